import type { Path, Position } from '../../model/provenance.js';
import { SENSITIVE } from '../../model/provenance.js';
import { field, isRecord, text } from '../../model/settings.js';
import { Unresolved } from '../../model/unresolved.js';
import { type ClusterPart, type ClusterRef, clusterRefFromId, emptyFragment, type Fragment } from '../fragment.js';
import type { JsonDoc } from '../parse/json.js';
import type { Source } from '../source.js';
import type { ArmBuilder, TfBody } from './arm-shape.js';
import { MAINTENANCE_BLOCKS, mapCluster, mapMaintenance, mapPool } from './azurerm.js';

/**
 * `terraform show -json` output: a plan (`planned_values`) or a state (`values`), child modules included. Every
 * value is resolved there, so this is the most precise Terraform input; locations point into the JSON file.
 */
export const terraformPlanSource: Source = {
  format: 'terraform-plan',
  description: 'Terraform plans and states as `terraform show -json` prints them',
  extensions: ['.json'],
  detect: (input) => isPlan(input.json().value),
  load(input) {
    return loadPlan(input.file, input.json());
  },
};

export function isPlan(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.format_version === 'string' &&
    (isRecord(value.planned_values) || isRecord(value.values))
  );
}

interface PlanResource {
  readonly type: string;
  readonly module: string;
  readonly name: string;
  readonly address: string;
  readonly body: PlanBody;
}

function loadPlan(file: string, doc: JsonDoc): Fragment {
  const root = doc.value as Record<string, unknown>;
  const key = isRecord(root.planned_values) ? 'planned_values' : 'values';
  const resources: PlanResource[] = [];
  walkModule(
    field(root[key], 'root_module'),
    [key, 'root_module'],
    doc,
    resources,
    afterUnknown(root.resource_changes),
  );
  const references = configuredReferences(root.configuration);

  const clusters: ClusterPart[] = [];
  const names = new Map<string, string[]>();
  for (const r of resources.filter((r) => r.type === 'azurerm_kubernetes_cluster')) {
    const b = mapCluster(r.body, file, r.address);
    const name =
      r.body.sensitive('name').length > 0 ? SENSITIVE : typeof b.value.name === 'string' ? b.value.name : r.address;
    const base = `${r.module}${r.type}.${r.name}`;
    names.set(base, [...(names.get(base) ?? []), name]);
    clusters.push(part(b, name, r.body, file));
  }
  const pools = resources
    .filter((r) => r.type === 'azurerm_kubernetes_cluster_node_pool')
    .map((r) => {
      const b = mapPool(r.body, file, 'User', '', r.address);
      const name = r.body.sensitive('name').length > 0 ? SENSITIVE : r.body.attr('name');
      return {
        cluster: poolCluster(r, names, references),
        name: typeof name === 'string' ? name : r.address,
        settings: { value: b.value, path: [], doc: b.doc() },
      };
    });
  return { ...emptyFragment(file), clusters, pools };
}

function part(b: ArmBuilder, name: string, body: TfBody, file: string): ClusterPart {
  const doc = b.doc();
  const maintenanceConfigurations = MAINTENANCE_BLOCKS.flatMap(([block, config]) =>
    body.blocks(block).map((found) => {
      const m = mapMaintenance(found, file, block);
      return { cluster: { name }, name: config, settings: { value: m.value, path: [], doc: m.doc() } };
    }),
  );
  return {
    name,
    settings: { value: b.value.properties ?? {}, path: ['properties'], doc },
    resource: { value: b.value, path: [], doc },
    description: 'iac',
    maintenanceConfigurations,
  };
}

function walkModule(
  module: unknown,
  path: Path,
  doc: JsonDoc,
  out: PlanResource[],
  unknowns: ReadonlyMap<string, unknown>,
): void {
  if (!isRecord(module)) return;
  const prefix = typeof module.address === 'string' ? `${module.address}.` : '';
  const resources = module.resources;
  if (Array.isArray(resources)) {
    resources.forEach((resource, i) => {
      if (!isRecord(resource) || resource.mode === 'data' || !isRecord(resource.values)) return;
      const type = text(resource.type) ?? '';
      const address = text(resource.address) ?? `${prefix}${type}`;
      out.push({
        type,
        module: prefix,
        name: text(resource.name) ?? '',
        address,
        body: new PlanBody(
          resource.values,
          [...path, 'resources', i, 'values'],
          doc,
          unknowns.get(address),
          resource.sensitive_values,
        ),
      });
    });
  }
  const children = module.child_modules;
  if (!Array.isArray(children)) return;
  for (const [i, child] of children.entries()) {
    walkModule(child, [...path, 'child_modules', i], doc, out, unknowns);
  }
}

/** A pool's cluster: its `kubernetes_cluster_id` when known, else the cluster resource its configuration names. */
function poolCluster(pool: PlanResource, names: Map<string, string[]>, references: Map<string, string[]>): ClusterRef {
  const id = clusterRefFromId(pool.body.attr('kubernetes_cluster_id'));
  if (id) return id;
  const configured = references.get(`${pool.module}${pool.type}.${pool.name}`) ?? [];
  for (const reference of configured) {
    const match = /^(azurerm_kubernetes_cluster\.[\w-]+)/.exec(reference);
    const found = match ? names.get(`${pool.module}${match[1]}`) : undefined;
    if (found?.length === 1) return { name: found[0] as string };
  }
  const inModule = [...names].filter(
    ([k]) => k.startsWith(pool.module) && !k.slice(pool.module.length).includes('module.'),
  );
  if (inModule.length === 1 && inModule[0]?.[1].length === 1) return { name: inModule[0][1][0] as string };
  return { name: `${pool.address} (cluster unknown)` };
}

/** `configuration`'s `kubernetes_cluster_id` references by resource address (module path included). */
function configuredReferences(configuration: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (module: unknown, prefix: string) => {
    if (!isRecord(module)) return;
    for (const resource of Array.isArray(module.resources) ? module.resources : []) {
      const refs = field(field(field(resource, 'expressions'), 'kubernetes_cluster_id'), 'references');
      if (Array.isArray(refs)) out.set(`${prefix}${text(field(resource, 'address'))}`, refs.map(String));
    }
    const calls = field(module, 'module_calls');
    if (isRecord(calls)) {
      for (const [name, call] of Object.entries(calls)) visit(field(call, 'module'), `${prefix}module.${name}.`);
    }
  };
  visit(field(configuration, 'root_module'), '');
  return out;
}

/** `resource_changes[].change.after_unknown` by address: which values only the apply will know. */
function afterUnknown(changes: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!Array.isArray(changes)) return out;
  for (const change of changes) {
    const address = text(field(change, 'address'));
    const unknown = field(field(change, 'change'), 'after_unknown');
    if (address && isRecord(unknown)) out.set(address, unknown);
  }
  return out;
}

/**
 * A resource's `values` in a plan, read like an HCL block (nested blocks are lists there too). A value the plan
 * leaves out because only the apply will know it (`after_unknown`) is unknown, not absent: the provider default
 * must not stand in for it. The plan prints sensitive values in the clear; `sensitive_values` says which they are.
 */
class PlanBody implements TfBody {
  constructor(
    private readonly values: Record<string, unknown>,
    private readonly path: Path,
    private readonly doc: JsonDoc,
    private readonly unknown: unknown = undefined,
    private readonly secrets: unknown = undefined,
  ) {}

  sensitive(name: string): Path[] {
    const marked = field(this.secrets, name);
    return marked === true || (marked !== undefined && JSON.stringify(marked).includes('true')) ? [[]] : [];
  }

  attr(name: string): unknown {
    const value = this.values[name];
    if (value !== null && value !== undefined) return value;
    return field(this.unknown, name) === true
      ? new Unresolved(`${name} (known after apply)`, 'the plan leaves it to the apply')
      : undefined;
  }

  blocks(name: string): PlanBody[] {
    const list = this.values[name];
    if (!Array.isArray(list)) return [];
    const unknowns = field(this.unknown, name);
    return list.flatMap((item, i) =>
      isRecord(item)
        ? [
            new PlanBody(
              item,
              [...this.path, name, i],
              this.doc,
              Array.isArray(unknowns) ? unknowns[i] : undefined,
              at(field(this.secrets, name), i),
            ),
          ]
        : [],
    );
  }

  unknownBlock(name: string): Unresolved | undefined {
    const list = this.values[name];
    if (Array.isArray(list) && list.length > 0) return undefined;
    return field(this.unknown, name) === true
      ? new Unresolved(`${name} (known after apply)`, 'the plan leaves it to the apply')
      : undefined;
  }

  where(name?: string): Position | undefined {
    return this.doc.locate(name === undefined ? this.path : [...this.path, name]);
  }
}

const at = (list: unknown, i: number): unknown => (Array.isArray(list) ? list[i] : undefined);
