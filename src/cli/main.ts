import { Command, CommanderError, Option } from 'commander';
import { InputError, UsageError } from '../model/errors.js';
import { SEVERITIES } from '../model/finding.js';
import { type Io, processIo, VERSION } from './io.js';
import { explain, listRules } from './rules.js';
import { scan } from './scan.js';

const collect = (value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)];

/** Runs the CLI; returns the exit code (0 pass, 1 findings at or above --fail-on, 2 usage or input error). */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  const debug = argv.includes('--debug');
  const program = new Command('aksguard')
    .description('Find and fix what leaves Azure Kubernetes Service clusters exposed or unpatched.')
    .version(VERSION)
    .option('--debug', 'print stack traces for internal errors')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('scan')
    .summary('check clusters against the rule catalog')
    .description(
      'Check AKS clusters against the rule catalog. An input is a file, a folder (scanned recursively) or - for stdin:\n' +
        '`az aks show`/`az aks list` JSON, ARM REST bodies, agent pools, upgrade profiles, maintenance\n' +
        'configurations, ARM templates and Bicep files.',
    )
    .argument('[inputs...]', 'files, folders, or - for stdin')
    .addOption(
      new Option('-f, --format <format>', 'report format, repeatable with --output per format').choices([
        'text',
        'json',
      ]),
    )
    .option('-o, --output <file>', 'write the preceding --format to a file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .choices([...SEVERITIES, 'none'])
        .default('high'),
    )
    .option('--rule <id>', 'run only these rules (id, domain or domain/*), repeatable', collect, [])
    .option('--exclude-rule <id>', 'skip these rules, repeatable', collect, [])
    .option('--as-of <date>', 'scan time for time-dependent rules (ISO date), for reproducible reports')
    .addOption(
      new Option('--input-format <kind>', 'read every input as this kind instead of detecting it').choices([
        'arm',
        'arm-template',
        'bicep',
      ]),
    )
    .option('-q, --quiet', 'only failing findings and the summary; no progress or warnings')
    .option('--no-color', 'no ANSI colours (also NO_COLOR=1)')
    .addHelpText(
      'after',
      '\nExamples:\n  az aks show -g rg -n prod -o json | aksguard scan -\n  aksguard scan infra/ --format json --output report.json --format text\n  aksguard scan cluster.json --fail-on medium --exclude-rule monitoring/*',
    )
    .action(async (inputs: string[], options: Record<string, unknown>) => {
      exitCode = await scan(
        inputs,
        {
          outputs: pairOutputs(argv),
          failOn: options.failOn as string,
          rule: options.rule as string[],
          excludeRule: options.excludeRule as string[],
          asOf: options.asOf as string | undefined,
          inputFormat: options.inputFormat as string | undefined,
          quiet: options.quiet === true,
          color: options.color !== false,
        },
        io,
      );
    });

  program
    .command('rules')
    .description('list the rule catalog')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: { format: string }) => {
      exitCode = listRules(options.format, io);
    });

  program
    .command('explain')
    .description("show a rule's documentation: what it checks, why, and how to fix it")
    .argument('<id>', 'rule id, e.g. control-plane/api-server-unrestricted')
    .action(async (id: string) => {
      exitCode = await explain(id, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return failure(error, io, debug);
  }
}

/** `--format a --output x --format b` → [{a, x}, {b, stdout}]; no --format means one text report on stdout. */
export function pairOutputs(argv: readonly string[]): { format: string; file: string | undefined }[] {
  const pairs: { format: string; file: string | undefined }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split(/=(.*)/s, 2);
    const value = inline ?? argv[i + 1];
    if (flag === '--format' || flag === '-f') pairs.push({ format: value ?? 'text', file: undefined });
    else if (flag === '--output' || flag === '-o') {
      const last = pairs.at(-1);
      if (last && last.file === undefined) last.file = value;
      else pairs.push({ format: 'text', file: value });
    } else continue;
    if (inline === undefined) i++;
  }
  const toStdout = pairs.filter((p) => p.file === undefined);
  if (toStdout.length > 1) throw new UsageError('only one --format can go to stdout; give the others an --output file');
  return pairs.length === 0 ? [{ format: 'text', file: undefined }] : pairs;
}

function failure(error: unknown, io: Io, debug: boolean): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof InputError) io.stderr.write(`${error.oneLine}\n`);
  else if (error instanceof UsageError) io.stderr.write(`aksguard: ${error.message}\n`);
  else {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`aksguard: internal error: ${message}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && error instanceof Error) io.stderr.write(`${error.stack}\n`);
  }
  return 2;
}
