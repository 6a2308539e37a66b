import type { Path } from '../model/provenance.js';
import { field, findKey, isRecord, text } from '../model/settings.js';
import {
  type ClusterPart,
  type ClusterRef,
  clusterRefFromId,
  emptyFragment,
  type Located,
  type MaintenancePart,
  type PoolPart,
  poolNameFromId,
  type UpgradeProfilePart,
} from './fragment.js';
import type { JsonDoc } from './parse/json.js';
import type { Source } from './source.js';

type Kind = 'cluster' | 'pool' | 'pool-upgrade-profile' | 'cluster-upgrade-profile' | 'maintenance';

/** Names an enclosing REST example gives its body (`parameters.resourceName`, `agentPoolName`, `api-version`). */
interface Context {
  readonly clusterName?: string | undefined;
  readonly poolName?: string | undefined;
  readonly apiVersion?: string | undefined;
}

interface Resource {
  readonly value: Record<string, unknown>;
  readonly path: Path;
  readonly kind: Kind;
}

/**
 * Azure resource JSON as `az aks show / list`, `az aks nodepool show / list`, `az aks nodepool get-upgrades`,
 * `az aks maintenanceconfiguration list` and the ARM REST API return it: single bodies, arrays, `{ value: [] }`
 * list responses, the REST API's example files (`parameters` + `responses`) and kubescape's `ClusterDescribe`.
 */
export const armSource: Source = {
  format: 'arm',
  description: 'az aks show/list JSON, ARM REST bodies and list responses, agent pools, upgrade profiles',
  extensions: ['.json'],
  detect: (input) => resources(input.json()).length > 0,
  load(input) {
    const doc = input.json();
    const fragment = emptyFragment(input.file);
    const found = resources(doc);
    const clusters: ClusterPart[] = [];
    const pools: PoolPart[] = [];
    const upgradeProfiles: UpgradeProfilePart[] = [];
    const maintenanceConfigurations: MaintenancePart[] = [];
    const mentions: ClusterRef[] = [];
    for (const { resource, context } of found) {
      const settings = settingsOf(resource, doc);
      const ref = clusterOf(resource.value, context, poolName(resource.value, context));
      switch (resource.kind) {
        case 'cluster':
          clusters.push({
            name: text(field(resource.value, 'name')) ?? context.clusterName ?? ref.name,
            armId: clusterRefFromId(field(resource.value, 'id'))?.armId,
            settings,
            resource: { value: resource.value, path: resource.path, doc },
            description: 'state',
            apiVersion: context.apiVersion,
          });
          break;
        case 'pool':
          pools.push({ cluster: ref, name: poolName(resource.value, context), settings });
          break;
        case 'pool-upgrade-profile':
          upgradeProfiles.push({ cluster: ref, pool: poolName(resource.value, context, true), settings });
          break;
        case 'maintenance':
          maintenanceConfigurations.push({
            cluster: ref,
            name: text(field(resource.value, 'name')) ?? 'default',
            settings,
          });
          break;
        case 'cluster-upgrade-profile':
          mentions.push(ref);
          break;
      }
    }
    return { ...fragment, clusters, pools, upgradeProfiles, maintenanceConfigurations, mentions };
  },
};

function resources(doc: JsonDoc): { resource: Resource; context: Context }[] {
  const { body, path, context } = unwrap(doc.value);
  const items = Array.isArray(body)
    ? body.map((item, i) => [item, [...path, i]] as const)
    : isRecord(body) && Array.isArray(field(body, 'value')) && !classify(body)
      ? (field(body, 'value') as unknown[]).map(
          (item, i) => [item, [...path, findKey(body, 'value') as string, i]] as const,
        )
      : [[body, path] as const];
  return items.flatMap(([value, itemPath]) => {
    if (!isRecord(value)) return [];
    const kind = classify(value);
    return kind ? [{ resource: { value, path: itemPath, kind }, context }] : [];
  });
}

/** Peels the wrappers real files put around a resource body. */
function unwrap(value: unknown): { body: unknown; path: Path; context: Context } {
  if (!isRecord(value)) return { body: value, path: [], context: {} };
  const responses = field(value, 'responses');
  const parameters = field(value, 'parameters');
  if (isRecord(responses) && isRecord(parameters)) {
    const context = {
      clusterName: text(field(parameters, 'resourceName')),
      poolName: text(field(parameters, 'agentPoolName')),
      apiVersion: text(field(parameters, 'api-version')),
    };
    for (const status of ['200', '201', '202']) {
      const response = responses[status];
      if (isRecord(response) && isRecord(response.body)) {
        return { body: response.body, path: ['responses', status, 'body'], context };
      }
    }
    const request = field(parameters, 'parameters');
    return { body: request, path: ['parameters', findKey(parameters, 'parameters') ?? 'parameters'], context };
  }
  if (field(value, 'kind') === 'ClusterDescribe' && isRecord(field(value, 'data'))) {
    return { body: field(value, 'data'), path: [findKey(value, 'data') as string], context: {} };
  }
  return { body: value, path: [], context: {} };
}

const TYPES: Record<string, Kind> = {
  'microsoft.containerservice/managedclusters': 'cluster',
  'microsoft.containerservice/managedclusters/agentpools': 'pool',
  'microsoft.containerservice/managedclusters/agentpools/upgradeprofiles': 'pool-upgrade-profile',
  'microsoft.containerservice/managedclusters/upgradeprofiles': 'cluster-upgrade-profile',
  'microsoft.containerservice/managedclusters/maintenanceconfigurations': 'maintenance',
};

function classify(value: Record<string, unknown>): Kind | undefined {
  const type = text(field(value, 'type'));
  if (type) return TYPES[type.toLowerCase()];
  const props = propertiesOf(value);
  const has = (key: string) => field(props, key) !== undefined;
  if (has('agentPoolProfiles')) return 'cluster';
  if (has('latestNodeImageVersion')) return 'pool-upgrade-profile';
  if (has('controlPlaneProfile')) return 'cluster-upgrade-profile';
  if (has('maintenanceWindow') || has('timeInWeek') || has('notAllowedTime')) return 'maintenance';
  if (has('vmSize') || (has('osType') && (has('count') || has('mode')))) return 'pool';
  return undefined;
}

function settingsOf(resource: Resource, doc: JsonDoc): Located {
  const key = findKey(resource.value, 'properties');
  const props = key === undefined ? undefined : resource.value[key];
  return isRecord(props)
    ? { value: props, path: [...resource.path, key as string], doc }
    : { value: resource.value, path: resource.path, doc };
}

/** The cluster a body belongs to: by its id, else the REST example's name, else (not said) named by the body itself. */
function clusterOf(value: Record<string, unknown>, context: Context, own: string): ClusterRef {
  const ref = clusterRefFromId(field(value, 'id'));
  if (ref) return ref;
  return context.clusterName ? { name: context.clusterName } : { name: own, unresolvedName: true };
}

function poolName(value: Record<string, unknown>, context: Context, fromIdOnly = false): string {
  const own = fromIdOnly ? undefined : text(field(value, 'name'));
  return own ?? poolNameFromId(field(value, 'id')) ?? context.poolName ?? '(pool not named)';
}

function propertiesOf(value: Record<string, unknown>): Record<string, unknown> {
  const props = field(value, 'properties');
  return isRecord(props) ? props : value;
}
