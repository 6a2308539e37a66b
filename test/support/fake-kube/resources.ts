/** The resource types the fake API server knows: group, version, plural name, kind and scope. */
export interface ResourceType {
  /** `''` for the core group (`/api/v1`). */
  readonly group: string;
  readonly version: string;
  /** The plural name in URLs, e.g. `pods`. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export const apiVersionOf = (type: ResourceType): string =>
  type.group ? `${type.group}/${type.version}` : type.version;

/** `/api/v1` or `/apis/<group>/<version>`. */
export const groupVersionPath = (type: Pick<ResourceType, 'group' | 'version'>): string =>
  type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;

const core = (resource: string, kind: string, namespaced = true): ResourceType => ({
  group: '',
  version: 'v1',
  resource,
  kind,
  namespaced,
});
const grouped =
  (group: string, version: string) =>
  (resource: string, kind: string, namespaced = true): ResourceType => ({ group, version, resource, kind, namespaced });

const apps = grouped('apps', 'v1');
const batch = grouped('batch', 'v1');
const rbac = grouped('rbac.authorization.k8s.io', 'v1');
const cilium = grouped('cilium.io', 'v2');

/** What a real AKS cluster serves that aksguard and its reboot daemon read or write. */
export const DEFAULT_TYPES: readonly ResourceType[] = [
  core('namespaces', 'Namespace', false),
  core('nodes', 'Node', false),
  core('pods', 'Pod'),
  core('serviceaccounts', 'ServiceAccount'),
  core('secrets', 'Secret'),
  core('configmaps', 'ConfigMap'),
  core('events', 'Event'),
  core('replicationcontrollers', 'ReplicationController'),
  apps('deployments', 'Deployment'),
  apps('statefulsets', 'StatefulSet'),
  apps('daemonsets', 'DaemonSet'),
  apps('replicasets', 'ReplicaSet'),
  batch('jobs', 'Job'),
  batch('cronjobs', 'CronJob'),
  rbac('roles', 'Role'),
  rbac('rolebindings', 'RoleBinding'),
  rbac('clusterroles', 'ClusterRole', false),
  rbac('clusterrolebindings', 'ClusterRoleBinding', false),
  grouped('networking.k8s.io', 'v1')('networkpolicies', 'NetworkPolicy'),
  grouped('coordination.k8s.io', 'v1')('leases', 'Lease'),
  grouped('policy', 'v1')('poddisruptionbudgets', 'PodDisruptionBudget'),
  cilium('ciliumnetworkpolicies', 'CiliumNetworkPolicy'),
  cilium('ciliumclusterwidenetworkpolicies', 'CiliumClusterwideNetworkPolicy', false),
];

/** Looks types up by URL parts or by an object's apiVersion and kind; `add` registers more (e.g. a CRD). */
export class ResourceTypes {
  private readonly types: ResourceType[] = [];

  constructor(types: readonly ResourceType[] = DEFAULT_TYPES) {
    for (const type of types) this.add(type);
  }

  add(type: ResourceType): void {
    this.types.push(type);
  }

  all(): readonly ResourceType[] {
    return this.types;
  }

  byResource(group: string, version: string, resource: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.resource === resource);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
  }

  /** The group/versions served, for discovery. */
  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const { group, version } of this.types) seen.set(`${group}/${version}`, { group, version });
    return [...seen.values()];
  }
}

/** A stable key for a type, used by the store. */
export const typeKey = (type: ResourceType): string => `${type.group}/${type.version}/${type.resource}`;
