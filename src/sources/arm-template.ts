import { InputError } from '../model/errors.js';
import { asBoolean } from '../model/fact.js';
import type { Path, SourceDoc } from '../model/provenance.js';
import { field, findKey, isRecord, text } from '../model/settings.js';
import { Unresolved } from '../model/unresolved.js';
import { Budget, copyCount, evaluateDeep, nameSegments, type Scope, withCopy } from './arm-expression.js';
import { nestedScope, TemplateScope } from './arm-scope.js';
import type { ClusterPart, ClusterRef, Fragment, Located, PoolPart } from './fragment.js';
import type { Source } from './source.js';

const CLUSTER = 'microsoft.containerservice/managedclusters';
const POOL = `${CLUSTER}/agentpools`;
const MAINTENANCE = `${CLUSTER}/maintenanceconfigurations`;
const DEPLOYMENT = 'microsoft.resources/deployments';
/** Nested deployments and child resources deeper than this are refused (real templates nest a handful). */
const MAX_NESTING = 64;

/**
 * ARM deployment templates: managedClusters, agentPools and maintenanceConfigurations resources, also as child
 * resources, in copy loops and inside nested deployments (inner and outer expression scope), with
 * `[parameters()]` and `[variables()]` resolved from defaults and from what outer templates pass. A resource
 * marked `"existing": true` (Bicep's `existing`) is a reference to a cluster, never a cluster of its own. Values
 * that depend on the deployment stay unknown.
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
  const walker = new Walker(doc);
  const scope = new TemplateScope(template, new Map(), new Budget());
  walker.resources(field(template, 'resources'), {
    path: [findKey(template, 'resources') ?? 'resources'],
    scope,
    within: [],
  });
  return walker.fragment(file);
}

/** A cluster's name as a template gives it: text, or the unknown value it comes from. */
type NameValue = string | Unresolved;

interface Declared {
  readonly part: ClusterPart;
  readonly name: NameValue;
}

/** A pool or maintenance configuration, with the cluster its name or parent points at (undefined: not said). */
interface Child {
  readonly kind: 'pool' | 'maintenance';
  readonly cluster: NameValue | undefined;
  readonly name: string;
  readonly settings: Located;
  readonly unknownExistence: Unresolved | undefined;
}

/** Where a resource sits: its path, the scope its expressions see, its parent resource, its deployments. */
interface Place {
  readonly path: Path;
  readonly scope: Scope;
  readonly parent?: { readonly type: string; readonly name: NameValue } | undefined;
  /** The names of the nested deployments around it, outermost first. */
  readonly within: readonly string[];
  /** Set inside a copy loop whose count is unknown: whether what is declared here exists is unknown too. */
  readonly unknownExistence?: Unresolved | undefined;
}

class Walker {
  private readonly clusters: Declared[] = [];
  private readonly children: Child[] = [];
  private depth = 0;

  constructor(private readonly doc: SourceDoc) {}

  resources(list: unknown, place: Place): void {
    if (this.depth >= MAX_NESTING)
      throw new InputError(this.doc.file, `resources and deployments are nested more than ${MAX_NESTING} levels deep`);
    this.depth++;
    try {
      this.each(list, place);
    } finally {
      this.depth--;
    }
  }

  private each(list: unknown, place: Place): void {
    const entries: [string | number, unknown][] = Array.isArray(list)
      ? list.map((r, i) => [i, r])
      : isRecord(list)
        ? Object.entries(list)
        : [];
    for (const [key, resource] of entries) {
      if (!isRecord(resource)) continue;
      const at = { ...place, path: [...place.path, key] };
      const symbolic = typeof key === 'string' ? key : undefined;
      const copy = field(resource, 'copy');
      if (!isRecord(copy)) {
        this.instance(resource, at, symbolic);
        continue;
      }
      // A copy loop: one instance per iteration; when the count is unknown, one stand-in whose copyIndex() is too.
      const loop = String(field(copy, 'name') ?? symbolic ?? 'copy');
      const count = copyCount(copy, place.scope);
      const iteration = (i: number | Unresolved) => ({ ...at, scope: withCopy(place.scope, loop, i, true) });
      if (count instanceof Unresolved)
        this.instance(resource, { ...iteration(count), unknownExistence: count }, symbolic);
      else for (let i = 0; i < count; i++) this.instance(resource, iteration(i), symbolic);
    }
  }

  private instance(resource: Record<string, unknown>, place: Place, symbolic: string | undefined) {
    const { scope, parent } = place;
    if (++scope.budget.resources > Budget.MAX_RESOURCES) {
      throw new InputError(
        this.doc.file,
        `the template expands to more than ${Budget.MAX_RESOURCES} resources (copy loops in nested deployments?); aksguard reads templates up to that size`,
      );
    }
    if (evaluateDeep(field(resource, 'condition') ?? true, scope) === false) return;
    if (asBoolean(evaluateDeep(field(resource, 'existing'), scope)) === true) return; // a reference, not a resource
    const written = text(field(resource, 'type')) ?? '';
    const type = fullType(written, parent?.type);
    const segments = nameSegments(field(resource, 'name'), scope);
    // A name the template does not resolve: its symbolic name, else its type within the deployments around it.
    const label = symbolic ?? [...place.within, written.split('/').at(-1) ?? written].join('/');
    if (type === CLUSTER) this.cluster(resource, place, segments, label);
    else if (type === POOL || type === MAINTENANCE) {
      const own = segments.at(-1) as NameValue;
      const cluster = parent ? parent.name : segments.length >= 2 ? (segments.at(-2) as NameValue) : undefined;
      this.children.push({
        kind: type === POOL ? 'pool' : 'maintenance',
        cluster,
        name: typeof own === 'string' ? own : label,
        settings: this.located(resource, place, 'properties'),
        unknownExistence: place.unknownExistence,
      });
    } else if (type === DEPLOYMENT) this.nested(resource, place, segments, symbolic);
    const children = field(resource, 'resources');
    if (children !== undefined) {
      const name = segments.length === 1 ? (segments[0] as NameValue) : new Unresolved(label, 'a nested name');
      const path = [...place.path, findKey(resource, 'resources') as string];
      this.resources(children, { ...place, path, parent: { type, name } });
    }
  }

  private cluster(resource: Record<string, unknown>, place: Place, segments: NameValue[], label: string) {
    const name: NameValue = segments.length === 1 ? (segments[0] as NameValue) : segments.join('/');
    const { resources: _children, copy: _copy, ...own } = resource;
    const evaluated = evaluateDeep(own, place.scope) as Record<string, unknown>;
    const apiVersion = field(evaluated, 'apiVersion');
    const propertiesKey = findKey(resource, 'properties') ?? 'properties';
    this.clusters.push({
      name,
      part: {
        name: typeof name === 'string' ? name : label,
        unresolvedName: typeof name !== 'string',
        settings: { value: evaluated[propertiesKey], path: [...place.path, propertiesKey], doc: this.doc },
        resource: { value: evaluated, path: place.path, doc: this.doc },
        description: 'iac',
        apiVersion: typeof apiVersion === 'string' ? apiVersion : undefined,
        maintenanceConfigurations: [],
      },
    });
  }

  private located(resource: Record<string, unknown>, place: Place, prop: string): Located {
    const key = findKey(resource, prop) ?? prop;
    return { value: evaluateDeep(resource[key], place.scope), path: [...place.path, key], doc: this.doc };
  }

  /** A nested deployment's inline template, in its own (inner) scope with the parameters passed, or its parent's. */
  private nested(resource: Record<string, unknown>, place: Place, segments: NameValue[], symbolic?: string): void {
    const props = field(resource, 'properties');
    const template = field(props, 'template');
    if (!isRecord(props) || !isRecord(template)) return; // a templateLink is not followed
    const scope = nestedScope(props, template, place.scope);
    const path = [
      ...place.path,
      findKey(resource, 'properties') as string,
      findKey(props, 'template') as string,
      findKey(template, 'resources') ?? 'resources',
    ];
    const name = segments.length === 1 && typeof segments[0] === 'string' ? segments[0] : (symbolic ?? 'deployment');
    const within = [...place.within, name];
    this.resources(field(template, 'resources'), { path, scope, within, unknownExistence: place.unknownExistence });
  }

  /**
   * Each pool and schedule joins the cluster its name points at (equal names, or the same unknown value); when
   * the template deploys one cluster, everything whose cluster name is not known to differ joins it. What joins
   * no declared cluster belongs to a cluster outside the input: named after it when its name is known, else after
   * the pool.
   */
  fragment(file: string): Fragment {
    const outside = new Map<NameValue | undefined, ClusterRef>();
    const refFor = (child: Child): ClusterRef => {
      const home = this.home(child.cluster);
      if (home) return { name: home.part.name, unresolvedName: home.part.unresolvedName, of: home.part };
      const key = typeof child.cluster === 'string' ? child.cluster.toLowerCase() : child.cluster;
      let ref = outside.get(key);
      if (!ref) {
        ref = typeof child.cluster === 'string' ? { name: child.cluster } : { name: child.name, unresolvedName: true };
        outside.set(key, ref);
      }
      return ref;
    };
    const parts = (kind: Child['kind']): PoolPart[] =>
      this.children
        .filter((c) => c.kind === kind)
        .map((c) => ({
          cluster: refFor(c),
          name: c.name,
          settings: c.settings,
          ...(c.unknownExistence ? { unknownExistence: c.unknownExistence } : {}),
        }));
    return {
      file,
      clusters: this.clusters.map((c) => c.part),
      pools: parts('pool'),
      upgradeProfiles: [],
      maintenanceConfigurations: parts('maintenance'),
      mentions: [],
    };
  }

  private home(cluster: NameValue | undefined): Declared | undefined {
    const same = this.clusters.filter((c) => sameName(c.name, cluster));
    if (same.length === 1) return same[0];
    const only = this.clusters.length === 1 ? this.clusters[0] : undefined;
    const differs = only && typeof only.name === 'string' && typeof cluster === 'string';
    return differs ? undefined : only;
  }
}

function sameName(a: NameValue, b: NameValue | undefined): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

function fullType(type: string, parentType: string | undefined): string {
  const lower = type.toLowerCase();
  return parentType && !lower.includes('.') ? `${parentType}/${lower}` : lower;
}
