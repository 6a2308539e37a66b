import { execFile } from 'node:child_process';
import { InputError, MissingToolError } from '../model/errors.js';
import type { Path, Position, SourceDoc } from '../model/provenance.js';
import { isTemplate, loadTemplate } from './arm-template.js';
import { LineIndex } from './parse/lines.js';
import type { Source } from './source.js';

/** The Bicep CLI, or the copy inside the Azure CLI. Overridable for tests and odd installs. */
const COMPILERS: readonly (readonly string[])[] = [
  ['bicep', 'build', '--stdout'],
  ['az', 'bicep', 'build', '--stdout', '--file'],
];

/**
 * Bicep files, compiled to an ARM template by a `bicep` or `az bicep` found on PATH, then read as a template.
 * Lines point at the first `key:` of the property in the .bicep file when that key occurs there only once, else at
 * the `resource` declaration the value belongs to: a setting the file leaves out has a line, so an
 * `// aksguard:ignore` comment above the resource covers its findings.
 */
export const bicepSource: Source = {
  format: 'bicep',
  description: 'Bicep files (compiled with `bicep build` or `az bicep build` from PATH)',
  extensions: ['.bicep'],
  detect: (input) => input.file.endsWith('.bicep'),
  async load(input) {
    const compiled = await compile(input.file);
    let template: unknown;
    try {
      template = JSON.parse(compiled);
    } catch {
      throw new InputError(input.file, 'the Bicep compiler did not print an ARM template');
    }
    if (!isTemplate(template)) throw new InputError(input.file, 'the Bicep compiler did not print an ARM template');
    return loadTemplate(input.file, template, new BicepDoc(input.file, input.text));
  },
};

async function compile(file: string): Promise<string> {
  const failures: string[] = [];
  for (const [command, ...args] of COMPILERS) {
    try {
      return await run(command as string, [...args, file]);
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stderr?: string };
      if (failure.code === 'ENOENT') continue;
      const firstLine = (failure.stderr ?? failure.message).trim().split('\n')[0] ?? '';
      failures.push(`${command}: ${firstLine}`);
      break;
    }
  }
  if (failures.length > 0) throw new InputError(file, `Bicep compilation failed: ${failures.join('; ')}`);
  throw new MissingToolError(
    file,
    'Bicep files need compiling and neither `bicep` nor `az` is on PATH: install the Bicep CLI ' +
      '(https://aka.ms/bicep-install), or run `az bicep build --file FILE` and scan the .json it writes',
  );
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve(stdout);
    });
  });
}

class BicepDoc implements SourceDoc {
  private readonly lines: LineIndex;

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  locate(path: Path): Position | undefined {
    for (let i = path.length - 1; i >= 0; i--) {
      const key = path[i];
      if (typeof key !== 'string' || key === 'properties') continue;
      const pattern = new RegExp(`^\\s*'?${key.replace(/[^\w]/g, '')}'?\\s*:`, 'gim');
      const matches = [...this.text.matchAll(pattern)];
      if (matches.length === 1) return this.lines.position((matches[0] as RegExpMatchArray).index as number);
    }
    return this.declaration(path);
  }

  /**
   * The `resource` declaration of a compiled template's resource: by symbolic name (`resources.aks`, language
   * version 2.0), else by position among the declarations that are not `existing` (the compiler keeps their order).
   */
  private declaration(path: Path): Position | undefined {
    const [top, which] = path;
    if (typeof top !== 'string' || top.toLowerCase() !== 'resources') return undefined;
    const declared = [...this.text.matchAll(/^[ \t]*resource\s+(\w+)\s+'[^']*'\s*(existing\s*)?=/gm)].filter(
      (m) => m[2] === undefined,
    );
    const found = typeof which === 'string' ? declared.find((m) => m[1] === which) : declared[which ?? -1];
    return found?.index === undefined
      ? undefined
      : this.lines.position(found.index + (found[0].length - found[0].trimStart().length));
  }
}
