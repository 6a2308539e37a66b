import type { Path, SourceDoc } from '../model/provenance.js';
import { field, findKey, isRecord, text } from '../model/settings.js';
import { Unresolved } from '../model/unresolved.js';
import { evaluateDeep, type Scope } from './arm-expression.js';
import type { ClusterPart, ClusterRef, Fragment, MaintenancePart, PoolPart } from './fragment.js';
import type { Source } from './source.js';

const CLUSTER = 'microsoft.containerservice/managedclusters';
const POOL = `${CLUSTER}/agentpools`;
const MAINTENANCE = `${CLUSTER}/maintenanceconfigurations`;
const DEPLOYMENT = 'microsoft.resources/deployments';

/**
 * ARM deployment templates: managedClusters, agentPools and maintenanceConfigurations resources, also as child
 * resources and inside nested deployments (inner and outer expression scope), with `[parameters()]` and
 * `[variables()]` resolved from defaults. Values that depend on the deployment stay unknown.
 */
export const armTemplateSource: Source = {
  format: 'arm-template',
  description: 'ARM deployment templates (azuredeploy.json, compiled Bicep), nested deployments included',
  extensions: ['.json'],
  detect: (input) => isTemplate(input.json().value),
  load(input) {
    const doc = input.json();
    return loadTemplate(input.file, doc.value as Record<string, unknown>, doc);
  },
};

export function isTemplate(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const schema = text(field(value, '$schema')) ?? '';
  const resources = field(value, 'resources');
  return (
    /deploymentTemplate\.json/i.test(schema) ||
    (text(field(value, 'contentVersion')) !== undefined && (Array.isArray(resources) || isRecord(resources)))
  );
}

export function loadTemplate(file: string, template: Record<string, unknown>, doc: SourceDoc): Fragment {
  const found: Found = { clusters: [], pools: [], maintenance: [] };
  walk(
    found,
    field(template, 'resources'),
    [findKey(template, 'resources') ?? 'resources'],
    new TemplateScope(template),
    doc,
  );
  return join(file, found);
}

interface Found {
  clusters: ClusterPart[];
  pools: PoolPart[];
  maintenance: MaintenancePart[];
}

interface Parent {
  readonly type: string;
  readonly name: string;
}

function walk(found: Found, resources: unknown, path: Path, scope: Scope, doc: SourceDoc, parent?: Parent): void {
  const entries: [string | number, unknown][] = Array.isArray(resources)
    ? resources.map((r, i) => [i, r])
    : isRecord(resources)
      ? Object.entries(resources)
      : [];
  for (const [key, resource] of entries) {
    if (!isRecord(resource)) continue;
    const at = [...path, key];
    if (evaluateDeep(field(resource, 'condition') ?? true, scope) === false) continue;
    const type = fullType(text(field(resource, 'type')) ?? '', parent);
    const name = display(evaluateDeep(field(resource, 'name'), scope));
    const located = (prop: string) => {
      const k = findKey(resource, prop) ?? prop;
      return { value: evaluateDeep(resource[k], scope), path: [...at, k], doc };
    };
    if (type === CLUSTER) {
      const apiVersion = evaluateDeep(field(resource, 'apiVersion'), scope);
      found.clusters.push({
        name,
        settings: located('properties'),
        resource: { value: evaluateDeep(resource, scope), path: at, doc },
        description: 'iac',
        apiVersion: typeof apiVersion === 'string' ? apiVersion : undefined,
        maintenanceConfigurations: [],
      });
    } else if (type === POOL || type === MAINTENANCE) {
      const [cluster, own] = parent ? [parent.name, name] : splitName(name);
      const part = { cluster: { name: cluster }, name: own, settings: located('properties') };
      if (type === POOL) found.pools.push(part);
      else found.maintenance.push(part);
    } else if (type === DEPLOYMENT) {
      nested(found, resource, at, scope, doc);
    }
    const children = field(resource, 'resources');
    if (children !== undefined)
      walk(found, children, [...at, findKey(resource, 'resources') as string], scope, doc, { type, name });
  }
}

/** A nested deployment's inline template, evaluated in its own (inner) or its parent's (outer) scope. */
function nested(found: Found, resource: Record<string, unknown>, at: Path, scope: Scope, doc: SourceDoc): void {
  const props = field(resource, 'properties');
  const template = field(props, 'template');
  if (!isRecord(props) || !isRecord(template)) return;
  const inner = text(field(field(props, 'expressionEvaluationOptions'), 'scope'))?.toLowerCase() === 'inner';
  let innerScope = scope;
  if (inner) {
    const given = field(props, 'parameters');
    const provided = new Map<string, unknown>();
    if (isRecord(given)) {
      for (const [name, entry] of Object.entries(given)) {
        const value = field(entry, 'value');
        provided.set(
          name.toLowerCase(),
          value === undefined
            ? new Unresolved(`[parameters('${name}')]`, 'passed by reference')
            : evaluateDeep(value, scope),
        );
      }
    }
    innerScope = new TemplateScope(template, provided);
  }
  const path = [
    ...at,
    findKey(resource, 'properties') as string,
    findKey(props, 'template') as string,
    findKey(template, 'resources') ?? 'resources',
  ];
  walk(found, field(template, 'resources'), path, innerScope, doc);
}

/** Every pool and schedule of a template that deploys one cluster belongs to it, whatever its name evaluates to. */
function join(file: string, found: Found): Fragment {
  const only = found.clusters.length === 1 ? (found.clusters[0] as ClusterPart) : undefined;
  const rehome = <T extends { cluster: ClusterRef }>(part: T): T =>
    only ? { ...part, cluster: { name: only.name } } : part;
  return {
    file,
    clusters: found.clusters,
    pools: found.pools.map(rehome),
    upgradeProfiles: [],
    maintenanceConfigurations: found.maintenance.map(rehome),
    mentions: [],
  };
}

function fullType(type: string, parent: Parent | undefined): string {
  const lower = type.toLowerCase();
  return parent && !lower.includes('.') ? `${parent.type}/${lower}` : lower;
}

function splitName(name: string): [string, string] {
  const slash = name.lastIndexOf('/');
  return slash === -1 ? ['(cluster not named)', name] : [name.slice(0, slash), name.slice(slash + 1)];
}

function display(value: unknown): string {
  return typeof value === 'string' ? value : value instanceof Unresolved ? value.expression : String(value);
}

class TemplateScope implements Scope {
  private readonly cache = new Map<string, unknown>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly template: Record<string, unknown>,
    private readonly provided = new Map<string, unknown>(),
  ) {}

  parameter(name: string): unknown {
    if (this.provided.has(name.toLowerCase())) return this.provided.get(name.toLowerCase());
    const definition = field(field(this.template, 'parameters'), name);
    const fallback = field(definition, 'defaultValue');
    if (fallback === undefined) {
      return new Unresolved(`[parameters('${name}')]`, `parameter '${name}' has no default value`);
    }
    return this.memo(`p:${name}`, () => evaluateDeep(fallback, this));
  }

  variable(name: string): unknown {
    const value = field(field(this.template, 'variables'), name);
    if (value === undefined) return new Unresolved(`[variables('${name}')]`, `variable '${name}' is not defined`);
    return this.memo(`v:${name}`, () => evaluateDeep(value, this));
  }

  private memo(key: string, compute: () => unknown): unknown {
    const lower = key.toLowerCase();
    if (this.cache.has(lower)) return this.cache.get(lower);
    if (this.busy.has(lower)) return new Unresolved(key, 'defined in terms of itself');
    this.busy.add(lower);
    const value = compute();
    this.busy.delete(lower);
    this.cache.set(lower, value);
    return value;
  }
}
