import { basename, join, relative, resolve } from 'node:path';
import { InputError } from '../../model/errors.js';
import type { Position } from '../../model/provenance.js';
import { evaluate } from './expression.js';
import type { HclFile } from './hcl.js';
import { record } from './scope.js';
import { LIMITS } from './values.js';

/** A file aksguard read but could not follow (a registry module), reported as a skipped entry, not an error. */
export interface Note {
  readonly file: string;
  readonly reason: string;
}

export interface ModuleFiles {
  readonly folder: string;
  readonly tf: readonly HclFile[];
  readonly tfvars: readonly HclFile[];
}

/** Reads a folder's `.tf` and `.tfvars` files (not its subfolders), parsed. */
export type FolderReader = (folder: string) => Promise<ModuleFiles>;

/** A module (a folder) and the modules it calls, read once per folder however many calls point at it. */
export interface ModuleNode {
  readonly files: ModuleFiles;
  readonly calls: readonly CallNode[];
}

/** A `module "name" { … }` block: the module it calls when that is a local folder, or why it is not followed. */
export interface CallNode {
  readonly name: string;
  readonly raw: Record<string, unknown>;
  readonly file: HclFile;
  readonly at: Position | undefined;
  readonly child?: ModuleNode;
  readonly note?: Note;
}

/**
 * Reads a module and every local module it calls, each folder once. A module that calls a folder already on its
 * call path is a cycle Terraform cannot load: a one-line input error naming the call, not a hang.
 */
export function readTree(files: ModuleFiles, read: FolderReader): Promise<ModuleNode> {
  const nodes = new Map<string, Promise<ModuleNode>>();
  const visit = (module: ModuleFiles, path: readonly string[]): Promise<ModuleNode> => {
    const key = resolve(module.folder);
    let node = nodes.get(key);
    if (!node) {
      node = readCalls(module, [...path, key]);
      nodes.set(key, node);
    }
    return node;
  };
  // One call after the other: a folder being read is then always on the current call path, so a cycle is seen
  // as one instead of two reads waiting for each other.
  const readCalls = async (module: ModuleFiles, path: readonly string[]): Promise<ModuleNode> => {
    const calls: CallNode[] = [];
    for (const call of moduleBlocks(module.tf)) calls.push(await follow(call, module.folder, path));
    return { files: module, calls };
  };
  const follow = async (call: Omit<CallNode, 'child' | 'note'>, folder: string, path: readonly string[]) => {
    const source = evaluate(call.raw.source, { reference: () => undefined });
    if (typeof source !== 'string' || !/^\.\.?(\/|\\|$)/.test(source)) {
      const reason = `module "${call.name}" (source ${typeof source === 'string' ? JSON.stringify(source) : 'not a literal'}) is not followed: aksguard reads local modules (./…) only; scan its plan (terraform show -json) to see the clusters it makes`;
      return { ...call, note: { file: call.file.file, reason } };
    }
    const target = resolve(join(folder, source));
    if (path.includes(target)) throw cycle(call, path, target);
    if (path.length > LIMITS.depth) {
      const reason = `module "${call.name}": modules nested more than ${LIMITS.depth} calls deep, aksguard's limit; not followed`;
      return { ...call, note: { file: call.file.file, reason } };
    }
    const files = await read(target);
    if (files.tf.length === 0) {
      const where = relative(process.cwd(), target) || '.';
      return { ...call, note: { file: call.file.file, reason: `module "${call.name}": no .tf files in ${where}` } };
    }
    return { ...call, child: await visit(files, path) };
  };
  return visit(files, []);
}

/** The folders a module tree calls, at any depth (not its own). */
export function calledFolders(tree: ModuleNode): string[] {
  const seen = new Set<string>();
  const walk = (node: ModuleNode) => {
    for (const { child } of node.calls) {
      if (!child || seen.has(resolve(child.files.folder))) continue;
      seen.add(resolve(child.files.folder));
      walk(child);
    }
  };
  walk(tree);
  return [...seen];
}

function cycle(call: Omit<CallNode, 'child' | 'note'>, path: readonly string[], target: string): InputError {
  const chain = [...path.slice(path.indexOf(target)), target].map((f) => basename(f) || f).join(' → ');
  return new InputError(
    call.file.file,
    `module "${call.name}" calls a module already on its call path (${chain}): Terraform cannot load modules that call each other`,
    call.at?.line,
    call.at?.column,
  );
}

function moduleBlocks(files: readonly HclFile[]): Omit<CallNode, 'child' | 'note'>[] {
  return files.flatMap((file) =>
    Object.entries(record(file.body.module)).map(([name, bodies]) => ({
      name,
      raw: record(Array.isArray(bodies) ? bodies[0] : bodies),
      file,
      at: file.blocks.blocks.find((b) => b.type === 'module' && b.labels[0] === name)?.at,
    })),
  );
}

/** `terraform.tfvars`, then `*.auto.tfvars`, then other `.tfvars` files (as `-var-file`): later ones win. */
export function tfvarsOrder(files: readonly string[]): string[] {
  const rank = (file: string) => {
    const name = basename(file);
    return name === 'terraform.tfvars' ? 0 : name.endsWith('.auto.tfvars') ? 1 : 2;
  };
  return [...files].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
