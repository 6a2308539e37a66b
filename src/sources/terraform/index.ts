import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type InlineIgnores, NO_INLINE_IGNORES } from '../../model/ignore.js';
import type { Fragment } from '../fragment.js';
import { commentIgnores } from '../inline-ignores.js';
import type { Source } from '../source.js';
import { type HclFile, parseHcl } from './hcl.js';
import {
  calledFolders,
  evaluateTree,
  type FolderReader,
  loadModule,
  type ModuleFiles,
  type Note,
  readTree,
  tfvarsOrder,
} from './module.js';

export { terraformPlanSource } from './plan.js';

/**
 * Terraform HCL. Terraform reads a folder as one module (variables, tfvars, locals and resources span its files),
 * so a folder scan loads each folder with `.tf` files through `loadTerraformFolders`; this per-input form serves
 * stdin and `--input-format terraform` on a single file, which is read as a module of its own.
 */
export const terraformSource: Source = {
  format: 'terraform',
  description: 'Terraform configurations (.tf folders: azurerm_kubernetes_cluster, node pools, azapi_resource)',
  extensions: ['.tf'],
  detect: (input) => input.file.toLowerCase().endsWith('.tf'),
  async load(input) {
    const file = await parseHcl(input.file, input.text);
    const folder = input.file === '<stdin>' ? process.cwd() : dirname(input.file);
    const { fragments } = await loadModule({ folder, tf: [file], tfvars: [] }, folderReader());
    return merge(input.file, fragments);
  },
};

export interface TerraformLoaded {
  readonly fragments: readonly Fragment[];
  readonly files: readonly string[];
  readonly notes: readonly Note[];
  /** The `aksguard:ignore` comments of every file read, one entry per file. */
  readonly inline: readonly InlineIgnores[];
}

/**
 * Loads every folder as a root module (its local modules followed), each folder once. A folder that another
 * scanned folder calls as a module is read only through that call, with the arguments it passes: read on its
 * own too, its clusters would appear twice, once with every input variable unknown.
 */
export async function loadTerraformFolders(folders: readonly string[]): Promise<TerraformLoaded> {
  const read = folderReader();
  const roots = [...new Map(folders.map((f) => [resolve(f), f])).values()];
  const settled = await Promise.allSettled(
    roots.map(async (folder) => ({ folder, tree: await readTree(await read(folder), read) })),
  );
  // The first failure in the order the folders were given, not the first to happen: the same input, the same error.
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  const trees = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  // Known from the calls alone, before evaluating anything: a folder tree that fans out at every level would
  // otherwise be evaluated once from each of its folders.
  const called = new Set(trees.flatMap((t) => calledFolders(t.tree)));
  const kept = trees.filter((t) => !called.has(resolve(t.folder))).map((t) => evaluateTree(t.tree));
  const files = [...new Set(kept.flatMap((l) => l.files))];
  return {
    fragments: kept.flatMap((l) => l.fragments),
    files,
    notes: kept.flatMap((l) => l.notes),
    inline: await Promise.all(files.map(async (file) => commentsOf(file, await read(dirname(file))))),
  };
}

function commentsOf(file: string, folder: ModuleFiles): InlineIgnores {
  const parsed = folder.tf.find((f) => f.file === file);
  return parsed ? commentIgnores(file, parsed.text, 'hcl') : NO_INLINE_IGNORES;
}

/** Reads and parses a folder's `.tf` and `.tfvars` files once, however many module calls point at it. */
function folderReader(): FolderReader {
  const cache = new Map<string, Promise<ModuleFiles>>();
  return (folder) => {
    let found = cache.get(resolve(folder));
    if (!found) {
      found = readFolder(folder);
      cache.set(resolve(folder), found);
    }
    return found;
  };
}

async function readFolder(folder: string): Promise<ModuleFiles> {
  let names: string[];
  try {
    names = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return { folder, tf: [], tfvars: [] };
  }
  const parse = (name: string): Promise<HclFile> =>
    readFile(join(folder, name), 'utf8').then((text) => parseHcl(join(folder, name), text));
  const sorted = names.sort();
  const tf = await Promise.all(sorted.filter((n) => n.endsWith('.tf')).map(parse));
  const tfvars = await Promise.all(tfvarsOrder(sorted.filter((n) => n.endsWith('.tfvars'))).map(parse));
  return { folder, tf, tfvars };
}

function merge(file: string, fragments: readonly Fragment[]): Fragment {
  return {
    file,
    clusters: fragments.flatMap((f) => f.clusters),
    pools: fragments.flatMap((f) => f.pools),
    upgradeProfiles: [],
    maintenanceConfigurations: fragments.flatMap((f) => f.maintenanceConfigurations),
    mentions: [],
  };
}
