import { basename, join, relative } from 'node:path';
import { Unresolved } from '../../model/unresolved.js';
import {
  type ClusterPart,
  type ClusterRef,
  clusterRefFromId,
  emptyFragment,
  type Fragment,
  type MaintenancePart,
} from '../fragment.js';
import type { ArmBuilder } from './arm-shape.js';
import { AzapiDoc, azapiResource, azapiType } from './azapi.js';
import { MAINTENANCE_BLOCKS, mapCluster, mapMaintenance, mapPool } from './azurerm.js';
import { evaluate, expressionText, type Scope } from './expression.js';
import { HclBody, type HclFile } from './hcl.js';
import { type Instance, instances, ModuleScope, record } from './scope.js';

/** A file aksguard read but could not follow (a registry module), reported as an info note, not an error. */
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

export interface ModuleResult {
  readonly fragments: Fragment[];
  readonly notes: Note[];
  readonly files: string[];
  /** Folders read as modules called from here. */
  readonly modules: string[];
}

const MAX_DEPTH = 8;
const META = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/**
 * One Terraform module (a folder): its clusters, node pools and maintenance windows as fragments, and the local
 * modules it calls, followed with the arguments the call passes. Registry and remote modules are noted, not read.
 */
export async function loadModule(
  files: ModuleFiles,
  read: FolderReader,
  inputs?: ReadonlyMap<string, unknown>,
  address = '',
  depth = 0,
): Promise<ModuleResult> {
  const scope = new ModuleScope(files.tf, inputs ? [] : files.tfvars, inputs);
  const resources = collect(files.tf);
  const clusters = new Map<string, string[]>();
  const result: ModuleResult = {
    fragments: [
      ...clusterFragments(resources, scope, address, clusters),
      ...childFragments(resources, scope, address, clusters),
    ],
    notes: [],
    files: files.tf.map((f) => f.file),
    modules: [],
  };
  for (const call of modules(files.tf)) {
    const outcome = await followModule(call, files.folder, scope, read, address, depth);
    result.fragments.push(...outcome.fragments);
    result.notes.push(...outcome.notes);
    result.files.push(...outcome.files);
    result.modules.push(...outcome.modules);
  }
  return result;
}

/** One fragment per cluster instance; `clusters` learns each resource address's cluster names, for the pools. */
function clusterFragments(
  resources: readonly RawResource[],
  scope: Scope,
  address: string,
  clusters: Map<string, string[]>,
): Fragment[] {
  const fragments: Fragment[] = [];
  for (const { r, body, instance, fallback } of resourceInstances(resources, scope, address)) {
    const part =
      r.type === 'azurerm_kubernetes_cluster'
        ? azurermCluster(body, r.file)
        : r.type === 'azapi_resource' && azapiType(body)?.kind === 'cluster'
          ? azapiCluster(body, r.file)
          : undefined;
    if (!part) continue;
    const named = part.name !== '' ? part : { ...part, name: fallback };
    for (const key of new Set([`${r.type}.${r.name}`, `${r.type}.${r.name}${instance.suffix}`])) {
      clusters.set(key, [...(clusters.get(key) ?? []), named.name]);
    }
    fragments.push({ ...emptyFragment(r.file.file), clusters: [named] });
  }
  return fragments;
}

/** Every instance of every resource (one per `count`/`for_each` element), its body evaluated in its scope. */
function* resourceInstances(resources: readonly RawResource[], scope: Scope, address: string) {
  for (const r of resources) {
    for (const instance of instances(r.raw, scope)) {
      const body = new HclBody(r.raw, r.node, instance.scope);
      yield { r, body, instance, fallback: `${address}${r.type}.${r.name}${instance.suffix}` };
    }
  }
}

/** Node pools and azapi agent pools / maintenance configurations, each joined to its cluster. */
function childFragments(
  resources: readonly RawResource[],
  scope: Scope,
  address: string,
  clusters: Map<string, string[]>,
): Fragment[] {
  const fragments: Fragment[] = [];
  for (const { r, body, instance, fallback } of resourceInstances(resources, scope, address)) {
    const fragment = emptyFragment(r.file.file);
    const azapi = r.type === 'azapi_resource' ? azapiType(body) : undefined;
    if (r.type === 'azurerm_kubernetes_cluster_node_pool') {
      const cluster = clusterRef(body, 'kubernetes_cluster_id', clusters, instance);
      const name = body.attr('name');
      const pool = mapPool(body, r.file.file, 'User');
      const settings = { value: pool.value, path: [], doc: pool.doc() };
      fragments.push({
        ...fragment,
        pools: [{ cluster, name: typeof name === 'string' ? name : fallback, settings }],
      });
    } else if (azapi && azapi.kind !== 'cluster') {
      const cluster = clusterRef(body, 'parent_id', clusters, instance);
      const resource = azapiResource(body, azapi.kind);
      const doc = new AzapiDoc(r.file.file, r.file.text, body.where(), body.where('body'));
      const name = typeof resource.name === 'string' ? resource.name : fallback;
      const settings = { value: resource.properties ?? {}, path: ['properties'], doc };
      fragments.push(
        azapi.kind === 'pool'
          ? { ...fragment, pools: [{ cluster, name, settings }] }
          : { ...fragment, maintenanceConfigurations: [{ cluster, name, settings }] },
      );
    }
  }
  return fragments;
}

interface RawResource {
  readonly type: string;
  readonly name: string;
  readonly raw: Record<string, unknown>;
  readonly node: HclFile['blocks'] | undefined;
  readonly file: HclFile;
}

function collect(files: readonly HclFile[]): RawResource[] {
  const found: RawResource[] = [];
  for (const file of files) {
    for (const [type, byName] of Object.entries(record(file.body.resource))) {
      for (const [name, bodies] of Object.entries(record(byName))) {
        const raw = Array.isArray(bodies) ? record(bodies[0]) : record(bodies);
        const node = file.blocks.blocks.find(
          (b) => b.type === 'resource' && b.labels[0] === type && b.labels[1] === name,
        );
        found.push({ type, name, raw, node, file });
      }
    }
  }
  return found;
}

function azurermCluster(body: HclBody, file: HclFile): ClusterPart {
  const b = mapCluster(body, file.file);
  return clusterPart(b, maintenance(body, file.file), undefined);
}

function azapiCluster(body: HclBody, file: HclFile): ClusterPart {
  const type = azapiType(body);
  const resource = azapiResource(body, 'Microsoft.ContainerService/managedClusters');
  const doc = new AzapiDoc(file.file, file.text, body.where(), body.where('body'));
  return {
    name: typeof resource.name === 'string' ? resource.name : '',
    settings: { value: resource.properties ?? {}, path: ['properties'], doc },
    resource: { value: resource, path: [], doc },
    description: 'iac',
    apiVersion: type?.apiVersion,
    maintenanceConfigurations: [],
  };
}

function clusterPart(
  b: ArmBuilder,
  maintenanceConfigurations: MaintenancePart[] | undefined,
  apiVersion: string | undefined,
): ClusterPart {
  const doc = b.doc();
  const name = b.value.name;
  return {
    name: typeof name === 'string' ? name : '',
    settings: { value: b.value.properties ?? {}, path: ['properties'], doc },
    resource: { value: b.value, path: [], doc },
    description: 'iac' as const,
    apiVersion,
    ...(maintenanceConfigurations ? { maintenanceConfigurations } : {}),
  };
}

/**
 * `maintenance_window*` blocks, declared on the cluster (the assembler ignores their cluster name); undefined
 * when a `dynamic` block makes it unknown whether a window exists.
 */
function maintenance(body: HclBody, file: string): MaintenancePart[] | undefined {
  if (MAINTENANCE_BLOCKS.some(([block]) => body.unknownBlock(block))) return undefined;
  return MAINTENANCE_BLOCKS.flatMap(([block, name]) =>
    body.blocks(block).map((found) => {
      const b = mapMaintenance(found, file, block);
      return { cluster: { name: '' }, name, settings: { value: b.value, path: [], doc: b.doc() } };
    }),
  );
}

const CLUSTER_REFERENCE = /^(azurerm_kubernetes_cluster|azapi_resource)\.([\w-]+)(?:\[(.+)\])?\.id$/;

/**
 * The cluster a pool belongs to: a reference to a cluster resource of this module (with a known index when the
 * cluster has `count`/`for_each`), else an ARM id string; otherwise the reference names a cluster of its own.
 */
function clusterRef(body: HclBody, attribute: string, clusters: Map<string, string[]>, instance: Instance): ClusterRef {
  const raw = body.raw(attribute);
  const expression = expressionText(raw)?.trim();
  const match = expression === undefined ? null : CLUSTER_REFERENCE.exec(expression);
  if (match) {
    const base = `${match[1]}.${match[2]}`;
    let key = base;
    if (match[3] !== undefined) {
      const index = evaluate(`\${${match[3]}}`, instance.scope);
      key =
        index instanceof Unresolved ? base : `${base}[${typeof index === 'number' ? index : JSON.stringify(index)}]`;
    }
    const names = clusters.get(key) ?? [];
    if (names.length === 1) return { name: names[0] as string };
    return { name: expression as string };
  }
  const value = body.attr(attribute);
  return clusterRefFromId(value) ?? { name: expression ?? String(value ?? '(cluster not named)') };
}

interface ModuleCall {
  readonly name: string;
  readonly raw: Record<string, unknown>;
  readonly file: HclFile;
}

function modules(files: readonly HclFile[]): ModuleCall[] {
  return files.flatMap((file) =>
    Object.entries(record(file.body.module)).map(([name, bodies]) => ({
      name,
      raw: Array.isArray(bodies) ? record(bodies[0]) : record(bodies),
      file,
    })),
  );
}

async function followModule(
  call: ModuleCall,
  folder: string,
  scope: Scope,
  read: FolderReader,
  address: string,
  depth: number,
): Promise<ModuleResult> {
  const source = call.raw.source;
  const empty: ModuleResult = { fragments: [], notes: [], files: [], modules: [] };
  if (typeof source !== 'string' || !/^\.\.?(\/|\\|$)/.test(source)) {
    const reason = `module "${call.name}" (source ${JSON.stringify(source)}) is not followed: aksguard reads local modules (./…) only; scan its plan (terraform show -json) to see the clusters it makes`;
    return { ...empty, notes: [{ file: call.file.file, reason }] };
  }
  if (depth >= MAX_DEPTH) {
    return {
      ...empty,
      notes: [{ file: call.file.file, reason: `module "${call.name}" is nested too deeply to follow` }],
    };
  }
  const target = join(folder, source);
  const files = await read(target);
  if (files.tf.length === 0) {
    const where = relative(process.cwd(), target) || '.';
    return { ...empty, notes: [{ file: call.file.file, reason: `module "${call.name}": no .tf files in ${where}` }] };
  }
  const inputs = new Map<string, unknown>();
  for (const [name, value] of Object.entries(call.raw)) {
    if (!META.has(name)) inputs.set(name, evaluate(value, scope));
  }
  const loaded = await loadModule(files, read, inputs, `${address}module.${call.name}.`, depth + 1);
  return { ...loaded, modules: [target, ...loaded.modules] };
}

/** `terraform.tfvars`, then `*.auto.tfvars`, then other `.tfvars` files (as `-var-file`): later ones win. */
export function tfvarsOrder(files: readonly string[]): string[] {
  const rank = (file: string) => {
    const name = basename(file);
    return name === 'terraform.tfvars' ? 0 : name.endsWith('.auto.tfvars') ? 1 : 2;
  };
  return [...files].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
