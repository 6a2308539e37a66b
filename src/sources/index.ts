import { readdir, stat } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { InputError, MissingToolError } from '../model/errors.js';
import type { Snapshot } from '../model/snapshot.js';
import { armSource } from './arm.js';
import { armTemplateSource } from './arm-template.js';
import { assemble } from './assemble.js';
import { bicepSource } from './bicep.js';
import type { Fragment } from './fragment.js';
import { kubernetesSource, trimmedIfObject } from './kubernetes.js';
import type { JoinOptions } from './kubernetes-join.js';
import { countingItems, countObjects, exhausted, limits } from './limits.js';
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
}

export interface Loaded {
  readonly snapshot: Snapshot;
  /** Files that were read and recognised. */
  readonly files: readonly string[];
  /** Files of a known kind left out of a folder scan, with why (e.g. no Bicep compiler). */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/**
 * Reads every input (files, folders scanned recursively, `-` for stdin), recognises each file's kind and joins
 * what they describe into one snapshot. A named file that is not a known kind is an error; in a folder scan such
 * files are passed over.
 */
export async function loadInputs(paths: readonly string[], options: LoadOptions): Promise<Loaded> {
  const listed: { file: string; named: boolean }[] = [];
  for (const path of paths) {
    if (path === '-') listed.push({ file: '-', named: true });
    else if ((await statOrFail(path)).isDirectory()) {
      for (const file of await listFolder(path, options.format)) listed.push({ file, named: false });
    } else listed.push({ file: path, named: true });
  }
  // Terraform reads a folder as one module (variables, tfvars, locals and resources span its files): each folder
  // holding a .tf input is loaded whole, once, by the Terraform loader; every other file is read on its own.
  const isTerraform = (file: string) =>
    file !== '-' && extname(file).toLowerCase() === '.tf' && (!options.format || options.format === 'terraform');
  const entries = listed.filter((e) => !isTerraform(e.file));
  const terraform = await loadTerraformFolders(listed.filter((e) => isTerraform(e.file)).map((e) => dirname(e.file)));
  const read = ({ file }: { file: string }) => {
    const text = file === '-' ? options.readStdin() : readInputFile(file);
    text.catch(() => undefined); // awaited in order below; this only stops an early failure counting as unhandled
    return text;
  };
  const texts = async function* () {
    // Read ahead a few files while the current one is parsed: file I/O, not parsing, was the wait.
    const pending = entries.slice(0, READ_AHEAD).map(read);
    for (const [i, { file, named }] of entries.entries()) {
      options.onProgress?.(i, entries.length);
      const next = entries[i + READ_AHEAD];
      if (next) pending.push(read(next));
      yield { file: file === '-' ? '<stdin>' : file, text: await (pending[i] as Promise<string>), named };
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
    skipped: [...loaded.skipped, ...terraform.notes],
  };
}

/** Recognises and loads inputs already in memory (files read, stdin, test fixtures) into one snapshot. */
export async function readTexts(
  texts:
    | AsyncIterable<{ file: string; text: string; named: boolean }>
    | Iterable<{ file: string; text: string; named: boolean }>,
  format?: InputFormat,
  extra: readonly Fragment[] = [],
  join: JoinOptions = {},
): Promise<Loaded> {
  const fragments: Fragment[] = [...extra];
  const files: string[] = [];
  const skipped: { file: string; reason: string }[] = [];
  const objects = countObjects(limits().objects);
  for await (const { file, text, named } of texts) {
    const input = makeInput(file, text, objects.max);
    const source = pick(input, named, format);
    if (!source) continue;
    try {
      const fragment = await source.load(input);
      objects.add(input.file, fragment);
      fragments.push(fragment);
      files.push(input.file);
    } catch (error) {
      if (error instanceof MissingToolError && !named) skipped.push({ file: input.file, reason: error.message });
      else throw exhausted(input.file, error);
    }
  }
  return { snapshot: assemble(fragments, join), files, skipped };
}

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
function makeInput(file: string, text: string, maxItems: number): Input {
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

async function listFolder(folder: string, format: InputFormat | undefined): Promise<string[]> {
  const extensions = new Set(SOURCES.filter((s) => !format || s.format === format).flatMap((s) => s.extensions));
  const found: string[] = [];
  const visit = async (dir: string) => {
    const children = await readdir(dir, { withFileTypes: true });
    for (const child of children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, child.name);
      if (child.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(child.name) && !child.name.startsWith('.')) await visit(path);
      } else if (child.isFile() && extensions.has(extname(child.name).toLowerCase())) {
        found.push(path);
      }
    }
  };
  await visit(folder);
  return found;
}

async function statOrFail(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    throw fileError(path, error);
  }
}
