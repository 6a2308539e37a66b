import { SENSITIVE } from '../../model/provenance.js';
import type { Unresolved } from '../../model/unresolved.js';
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
import { HclBody, type HclFile } from './hcl.js';
import { ModuleInstance } from './instance.js';
import { instances, record } from './scope.js';
import { type FolderReader, type ModuleFiles, type Note, readTree } from './tree.js';
import { Budget, Reference, unmarkDeep } from './values.js';

export type { FolderReader, ModuleFiles, Note } from './tree.js';
export { tfvarsOrder } from './tree.js';

export interface ModuleResult {
  readonly fragments: Fragment[];
  readonly notes: Note[];
  readonly files: string[];
  /** Folders read as modules called from here. */
  readonly modules: string[];
}

/**
 * One Terraform root module (a folder) and the local modules it calls, evaluated as Terraform would plan them:
 * each module instance with the arguments its call passes, each resource once per `count`/`for_each` instance.
 * Clusters become fragments; node pools, azapi agent pools and maintenance configurations join the cluster their
 * reference leads to, across modules. Registry and remote modules are noted, not read.
 */
export async function loadModule(files: ModuleFiles, read: FolderReader): Promise<ModuleResult> {
  const tree = await readTree(files, read);
  const root = new ModuleInstance(tree, { address: '', budget: new Budget(), tfvars: files.tfvars });
  const modules = root.all();
  const resources = modules.flatMap((module) => collect(module));
  const clusters = new Registry();
  const fragments = [
    ...resources.flatMap((r) => clusterFragments(r, clusters)),
    ...resources.flatMap((r) => childFragments(r, clusters)),
  ];
  return {
    fragments,
    notes: modules.flatMap((m) => m.notes()),
    files: [...new Set(modules.flatMap((m) => m.node.files.tf.map((f) => f.file)))],
    modules: [...new Set(modules.slice(1).map((m) => m.node.files.folder))],
  };
}

interface RawResource {
  readonly type: string;
  readonly name: string;
  readonly raw: Record<string, unknown>;
  readonly node: HclFile['blocks'] | undefined;
  readonly file: HclFile;
  readonly module: ModuleInstance;
}

function collect(module: ModuleInstance): RawResource[] {
  const found: RawResource[] = [];
  for (const file of module.node.files.tf) {
    for (const [type, byName] of Object.entries(record(file.body.resource))) {
      if (!RELEVANT.test(type)) continue;
      for (const [name, bodies] of Object.entries(record(byName))) {
        const raw = record(Array.isArray(bodies) ? bodies[0] : bodies);
        const node = file.blocks.blocks.find(
          (b) => b.type === 'resource' && b.labels[0] === type && b.labels[1] === name,
        );
        found.push({ type, name, raw, node, file, module });
      }
    }
  }
  return found;
}

const RELEVANT = /^(azurerm_kubernetes_cluster|azurerm_kubernetes_cluster_node_pool|azapi_resource)$/;

interface ResourceInstance {
  readonly r: RawResource;
  readonly body: HclBody;
  /** `module.aks.azurerm_kubernetes_cluster.main[0]`. */
  readonly address: string;
  /** Set when whether this instance exists depends on an unknown `count`/`for_each` (its own or a module's). */
  readonly unknown: Unresolved | undefined;
}

/** Every instance of a resource (one per `count`/`for_each` element), its body read in its own scope. */
function resourceInstances(r: RawResource): ResourceInstance[] {
  const expanded = instances(r.raw, r.module.scope);
  return expanded.instances.map((instance) => ({
    r,
    body: new HclBody(r.raw, r.node, instance.scope),
    address: `${r.module.address}${r.type}.${r.name}${instance.suffix}`,
    unknown: expanded.unknown ?? r.module.unknown,
  }));
}

interface Registered {
  readonly name: string;
  readonly file: string;
  readonly part: ClusterPart;
}

/** The clusters declared in the input, by resource address, so references from anywhere find them. */
class Registry {
  private readonly byAddress = new Map<string, Registered>();
  private readonly byBase = new Map<string, Registered[]>();

  add(address: string, entry: Registered): void {
    this.byAddress.set(address, entry);
    const base = address.replace(/\[[^\]]*\]$/, '');
    this.byBase.set(base, [...(this.byBase.get(base) ?? []), entry]);
  }

  /** The cluster a reference names: its exact instance, or the only instance of the resource it names. */
  find(reference: Reference): Registered | undefined {
    const exact = this.byAddress.get(reference.address);
    if (exact) return exact;
    const all = this.byBase.get(reference.base) ?? [];
    return all.length === 1 ? all[0] : undefined;
  }
}

function clusterFragments(r: RawResource, clusters: Registry): Fragment[] {
  const isCluster = (body: HclBody) =>
    r.type === 'azurerm_kubernetes_cluster' || (r.type === 'azapi_resource' && azapiType(body)?.kind === 'cluster');
  return resourceInstances(r).flatMap(({ body, address }) => {
    if (!isCluster(body)) return [];
    const part =
      r.type === 'azurerm_kubernetes_cluster' ? azurermCluster(body, r.file, address) : azapiCluster(body, r.file);
    const name = nameOf(body, address);
    const named: ClusterPart = { ...part, name, unresolvedName: name === address || name === SENSITIVE };
    const file = r.module.origin ?? r.file.file;
    clusters.add(address, { name, file, part: named });
    return [{ ...emptyFragment(file), clusters: [named] }];
  });
}

/** The resolved `name`; `(sensitive)` for a secret; the Terraform address when it cannot be known. */
function nameOf(body: HclBody, address: string): string {
  const [name, sensitive] = unmarkDeep(body.value('name'));
  if (sensitive) return SENSITIVE;
  return typeof name === 'string' && name !== '' ? name : address;
}

/** Node pools and azapi agent pools / maintenance configurations, each joined to its cluster. */
function childFragments(r: RawResource, clusters: Registry): Fragment[] {
  return resourceInstances(r).flatMap(({ body, address, unknown }): Fragment[] => {
    const azapi = r.type === 'azapi_resource' ? azapiType(body) : undefined;
    if (r.type === 'azurerm_kubernetes_cluster_node_pool') {
      const home = clusterOf(body, 'kubernetes_cluster_id', clusters, address, r.module.origin ?? r.file.file);
      const pool = mapPool(body, r.file.file, 'User', '', address);
      const settings = { value: pool.value, path: [], doc: pool.doc() };
      const part = { cluster: home.ref, name: nameOf(body, address), settings, ...existence(unknown) };
      return [{ ...emptyFragment(home.file), pools: [part] }];
    }
    if (!azapi || azapi.kind === 'cluster') return [];
    const home = clusterOf(body, 'parent_id', clusters, address, r.module.origin ?? r.file.file);
    const resource = azapiResource(body, azapi.kind);
    const doc = new AzapiDoc(r.file.file, r.file.text, body.where(), body.where('body'), resource.sensitive);
    const settings = { value: resource.value.properties ?? {}, path: ['properties'], doc };
    const part = { cluster: home.ref, name: nameOf(body, address), settings };
    return [
      azapi.kind === 'pool'
        ? { ...emptyFragment(home.file), pools: [{ ...part, ...existence(unknown) }] }
        : { ...emptyFragment(home.file), maintenanceConfigurations: [part] },
    ];
  });
}

const existence = (unknown: Unresolved | undefined) => (unknown ? { unknownExistence: unknown } : {});

/**
 * The cluster a child resource belongs to: the cluster its reference leads to (through module arguments and
 * outputs), else the one an ARM id names. A cluster outside the input (a variable without a value, a data
 * source) leaves the resource to be judged alone, under its own address.
 */
function clusterOf(
  body: HclBody,
  attribute: string,
  clusters: Registry,
  address: string,
  file: string,
): { ref: ClusterRef; file: string } {
  const [value] = unmarkDeep(body.value(attribute));
  if (value instanceof Reference) {
    const found = clusters.find(value);
    if (found)
      return { ref: { name: found.name, unresolvedName: found.part.unresolvedName, of: found.part }, file: found.file };
  }
  const id = clusterRefFromId(value);
  if (id) return { ref: id, file };
  return { ref: { name: address }, file };
}

function azurermCluster(body: HclBody, file: HclFile, address: string): ClusterPart {
  return clusterPart(mapCluster(body, file.file, address), maintenance(body, file.file));
}

function azapiCluster(body: HclBody, file: HclFile): ClusterPart {
  const type = azapiType(body);
  const resource = azapiResource(body, 'Microsoft.ContainerService/managedClusters');
  const doc = new AzapiDoc(file.file, file.text, body.where(), body.where('body'), resource.sensitive);
  return {
    name: '',
    settings: { value: resource.value.properties ?? {}, path: ['properties'], doc },
    resource: { value: resource.value, path: [], doc },
    description: 'iac',
    apiVersion: type?.apiVersion,
    maintenanceConfigurations: [],
  };
}

function clusterPart(b: ArmBuilder, maintenanceConfigurations: MaintenancePart[] | undefined): ClusterPart {
  const doc = b.doc();
  return {
    name: '',
    settings: { value: b.value.properties ?? {}, path: ['properties'], doc },
    resource: { value: b.value, path: [], doc },
    description: 'iac' as const,
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
