import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { InputError, MissingToolError } from '../model/errors.js';
import { type InlineIgnores, NO_INLINE_IGNORES } from '../model/ignore.js';
import type { Snapshot } from '../model/snapshot.js';
import { armSource } from './arm.js';
import { armTemplateSource } from './arm-template.js';
import { assemble } from './assemble.js';
import { bicepSource } from './bicep.js';
import type { Fragment } from './fragment.js';
import { commentIgnores, templateIgnores } from './inline-ignores.js';
import { kubernetesSource, trimmedIfObject } from './kubernetes.js';
import type { JoinOptions } from './kubernetes-join.js';
import { countingItems, countObjects, exhausted, limits, ScanLimit } from './limits.js';
import { type JsonDoc, parseJson } from './parse/json.js';
import { fileError, readInputFile } from './read-input.js';
import type { Input, InputFormat, Source } from './source.js';
import { loadTerraformFolders, terraformPlanSource, terraformSource } from './terraform/index.js';

/** Every input kind, most specific first: detection takes the first that recognises a file. */
export const SOURCES: readonly Source[] = [
  terraformPlanSource,
  armTemplateSource,
  armSource,
  bicepSource,
  kubernetesSource,
  terraformSource,
];

const READ_AHEAD = 16;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.terraform']);

export interface LoadOptions {
  /** Skip detection and read every file as this kind (`--input-format`). */
  readonly format?: InputFormat | undefined;
  readonly readStdin: () => Promise<string>;
  /** Called as files are read, for a progress display. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Parts read from elsewhere (a live cluster, the ARM API), joined with the files' parts. */
  readonly extra?: readonly Fragment[];
  /** How Kubernetes objects join Azure settings (`--target`). */
  readonly join?: JoinOptions;
  /** Paths a folder scan leaves out (`--skip-path`, `skipPaths`), tested on the path from the scanned folder. */
  readonly skipPath?: ((path: string) => boolean) | undefined;
}

export interface Skipped {
  readonly file: string;
  readonly reason: string;
}

export interface Loaded {
  readonly snapshot: Snapshot;
  /** Files that were read and recognised. */
  readonly files: readonly string[];
  /** Files a folder scan could not read (no Bicep compiler, broken JSON, a Helm template …), with why. */
  readonly skipped: readonly Skipped[];
  /** Files of a folder scan that are no AKS input of any kind (a package.json, a values file). */
  readonly passedOver: number;
  /** The suppressions written next to the code (Terraform and Bicep comments, ARM metadata), and malformed ones. */
  readonly inline: InlineIgnores;
}

/**
 * Reads every input (files, folders scanned recursively, `-` for stdin), recognises each file's kind and joins
 * what they describe into one snapshot. A named file that is not a known kind is an error; in a folder scan such
 * files are passed over.
 */
export async function loadInputs(paths: readonly string[], options: LoadOptions): Promise<Loaded> {
  const listed: { file: string; named: boolean }[] = [];
  const unreadable: Skipped[] = [];
  for (const path of paths) {
    if (path === '-') listed.push({ file: '-', named: true });
    else if ((await statOrFail(path)).isDirectory()) {
      const walked = await listFolder(path, options.format, options.skipPath);
      for (const file of walked.files) listed.push({ file, named: false });
      unreadable.push(...walked.skipped);
    } else listed.push({ file: path, named: true });
  }
  // Terraform reads a folder as one module (variables, tfvars, locals and resources span its files): each folder
  // holding a .tf input is loaded whole, once, by the Terraform loader; every other file is read on its own.
  const isTerraform = (file: string) =>
    file !== '-' && extname(file).toLowerCase() === '.tf' && (!options.format || options.format === 'terraform');
  const entries = listed.filter((e) => !isTerraform(e.file));
  const terraform = await loadTerraformFolders(listed.filter((e) => isTerraform(e.file)).map((e) => dirname(e.file)));
  const read = ({ file }: { file: string }): Promise<string | Failed> =>
    (file === '-' ? options.readStdin() : readInputFile(file)).catch((error: unknown) => ({ failed: error }));
  const texts = async function* () {
    // Read ahead a few files while the current one is parsed: file I/O, not parsing, was the wait.
    const pending = entries.slice(0, READ_AHEAD).map(read);
    for (const [i, { file, named }] of entries.entries()) {
      options.onProgress?.(i, entries.length);
      const next = entries[i + READ_AHEAD];
      if (next) pending.push(read(next));
      const text = await (pending[i] as Promise<string | Failed>);
      const shown = file === '-' ? '<stdin>' : file;
      yield typeof text === 'string' ? { file: shown, text, named } : { file: shown, text: '', named, ...text };
    }
    options.onProgress?.(entries.length, entries.length);
  };
  const loaded = await readTexts(
    texts(),
    options.format,
    [...(options.extra ?? []), ...terraform.fragments],
    options.join,
  );
  return {
    ...loaded,
    files: [...terraform.files, ...loaded.files],
    skipped: [...unreadable, ...loaded.skipped, ...terraform.notes],
    inline: joinIgnores([...terraform.inline, loaded.inline]),
  };
}

/** A file that could not be read, and why. */
interface Failed {
  readonly failed: unknown;
}

/** One input in memory: its text, or why it could not be read; `named` when the user named it (not a folder's). */
export interface TextInput {
  readonly file: string;
  readonly text: string;
  readonly named: boolean;
  readonly failed?: unknown;
}

/**
 * Recognises and loads inputs already in memory (files read, stdin, test fixtures) into one snapshot. A file
 * the user named must read cleanly: any problem with it is an error. A file a folder scan found that cannot be
 * read (broken JSON, a Bicep file without a compiler, a Helm template) is listed as skipped, with why.
 */
export async function readTexts(
  texts: AsyncIterable<TextInput> | Iterable<TextInput>,
  format?: InputFormat,
  extra: readonly Fragment[] = [],
  join: JoinOptions = {},
): Promise<Loaded> {
  const fragments: Fragment[] = [...extra];
  const files: string[] = [];
  const skipped: Skipped[] = [];
  const inline: InlineIgnores[] = [];
  let passedOver = 0;
  const objects = countObjects(limits().objects);
  for await (const { file, text, named, failed } of texts) {
    try {
      if (failed !== undefined) throw failed;
      const input = makeInput(file, text, objects.max);
      const source = pick(input, named, format);
      if (!source) {
        passedOver++;
        continue;
      }
      const fragment = await source.load(input);
      objects.add(input.file, fragment);
      fragments.push(fragment);
      files.push(input.file);
      inline.push(inlineIgnoresOf(input, source.format));
    } catch (caught) {
      const error = exhausted(file, caught);
      // A limit of the whole scan ends it wherever it is reached; a folder's broken file is passed over.
      if (named || !(error instanceof InputError) || error instanceof ScanLimit) throw error;
      skipped.push({ file, reason: error instanceof MissingToolError ? error.message : error.oneLine });
    }
  }
  return { snapshot: assemble(fragments, join), files, skipped, passedOver, inline: joinIgnores(inline) };
}

/** The suppressions written in a file of a kind that has them: Terraform and Bicep comments, ARM metadata. */
function inlineIgnoresOf(input: Input, format: InputFormat): InlineIgnores {
  if (format === 'terraform') return commentIgnores(input.file, input.text, 'hcl');
  if (format === 'bicep') return commentIgnores(input.file, input.text, 'bicep');
  if (format !== 'arm-template') return NO_INLINE_IGNORES;
  const doc = input.json();
  return templateIgnores(input.file, doc.value, (path) => doc.locate(path)?.line);
}

const joinIgnores = (all: readonly InlineIgnores[]): InlineIgnores => ({
  ignores: all.flatMap((i) => i.ignores),
  problems: all.flatMap((i) => i.problems),
});

function pick(input: Input, named: boolean, format: InputFormat | undefined): Source | undefined {
  if (format) return SOURCES.find((s) => s.format === format);
  const extension = extname(input.file).toLowerCase();
  const candidates = input.file === '<stdin>' ? SOURCES : SOURCES.filter((s) => s.extensions.includes(extension));
  let failure: unknown;
  for (const source of candidates) {
    try {
      if (source.detect(input)) return source;
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure && (named || extension === '.json')) throw failure;
  if (!named) return undefined;
  throw new InputError(
    input.file,
    `not a recognised AKS input (expected one of: ${SOURCES.map((s) => s.description).join('; ')}); use --input-format to force a kind`,
  );
}

/** An input whose JSON parse (or parse error) is computed once, however many sources ask. */
function makeInput(file: string, withBom: string, maxItems: number): Input {
  // Editors on Windows save UTF-8 with a byte order mark; it is not part of the YAML or JSON.
  const text = withBom.charCodeAt(0) === 0xfeff ? withBom.slice(1) : withBom;
  let parsed: { doc: JsonDoc } | { error: unknown } | undefined;
  return {
    file,
    text,
    json: () => {
      if (!parsed) {
        try {
          parsed = { doc: parseJson(file, text, countingItems(file, maxItems, trimmedIfObject)) };
        } catch (error) {
          parsed = { error };
        }
      }
      if ('error' in parsed) throw parsed.error;
      return parsed.doc;
    },
  };
}

/**
 * The files of a folder, recursively, whose names end like a known kind's, in a stable order. Symbolic links to
 * files and folders are followed (a folder reached twice, as in a link loop, is read once); hidden folders,
 * `node_modules`, `.terraform` and what `skipPath` matches are left out. A link that leads nowhere is skipped.
 */
async function listFolder(
  folder: string,
  format: InputFormat | undefined,
  skipPath: ((path: string) => boolean) | undefined,
): Promise<{ files: string[]; skipped: Skipped[] }> {
  const extensions = new Set(SOURCES.filter((s) => !format || s.format === format).flatMap((s) => s.extensions));
  const files: string[] = [];
  const skipped: Skipped[] = [];
  const seen = new Set<string>();
  const visit = async (dir: string, under: string) => {
    const real = await realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    const children = await readdir(dir, { withFileTypes: true });
    for (const child of children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, child.name);
      const relativePath = under === '' ? child.name : `${under}/${child.name}`;
      if (skipPath?.(relativePath)) continue;
      let kind: Dirent | Stats = child;
      if (child.isSymbolicLink()) {
        try {
          kind = await stat(path);
        } catch {
          if (extensions.has(extname(child.name).toLowerCase()))
            skipped.push({ file: path, reason: 'a symbolic link to a file that does not exist' });
          continue;
        }
      }
      if (kind.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(child.name) && !child.name.startsWith('.')) await visit(path, relativePath);
      } else if (kind.isFile() && extensions.has(extname(child.name).toLowerCase())) {
        files.push(path);
      }
    }
  };
  await visit(folder, '');
  return { files, skipped };
}

async function statOrFail(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    throw fileError(path, error);
  }
}
