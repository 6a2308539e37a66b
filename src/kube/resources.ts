import {
  AppsV1Api,
  BatchV1Api,
  type Configuration,
  CoreV1Api,
  CustomObjectsApi,
  NetworkingV1Api,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';

/** The typed API clients the scan lists through, sharing one configuration. */
export interface Apis {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly batch: BatchV1Api;
  readonly rbac: RbacAuthorizationV1Api;
  readonly networking: NetworkingV1Api;
  readonly custom: CustomObjectsApi;
}

export const makeApis = (configuration: Configuration): Apis => ({
  core: new CoreV1Api(configuration),
  apps: new AppsV1Api(configuration),
  batch: new BatchV1Api(configuration),
  rbac: new RbacAuthorizationV1Api(configuration),
  networking: new NetworkingV1Api(configuration),
  custom: new CustomObjectsApi(configuration),
});

export interface Page {
  readonly limit: number;
  readonly _continue?: string;
}

/** One page as every list call answers it; typed lists spell the token `_continue`, custom objects `continue`. */
export interface PageResult {
  readonly items: readonly unknown[];
  readonly metadata?: { readonly _continue?: string | undefined; readonly continue?: string | undefined } | undefined;
}

/** One kind the scan reads, and how to list it across all namespaces. */
export interface ListSpec {
  readonly kind: string;
  readonly apiVersion: string;
  /** The plural resource name and API group, as RBAC names them (for 403 messages). */
  readonly resource: string;
  readonly group: string;
  readonly clusterScoped: boolean;
  /** A custom resource that may not be installed: 404 means there are none. */
  readonly optional?: boolean;
  list(apis: Apis, page: Page): Promise<PageResult>;
}

const spec = (
  kind: string,
  apiVersion: string,
  resource: string,
  list: ListSpec['list'],
  clusterScoped = false,
): ListSpec => ({
  kind,
  apiVersion,
  resource,
  group: apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '',
  clusterScoped,
  list,
});

const cilium = (kind: string, plural: string, clusterScoped: boolean): ListSpec => ({
  ...spec(kind, 'cilium.io/v2', plural, (apis, page) =>
    apis.custom.listClusterCustomObject({ group: 'cilium.io', version: 'v2', plural, ...page }),
  ),
  clusterScoped,
  optional: true,
});

/**
 * What the in-cluster rules read. Secrets and ConfigMaps are never requested: no rule needs their contents, and
 * what is not read cannot leak.
 */
export const LIST_SPECS: readonly ListSpec[] = [
  spec('Namespace', 'v1', 'namespaces', (a, p) => a.core.listNamespace(p), true),
  spec('Node', 'v1', 'nodes', (a, p) => a.core.listNode(p), true),
  spec('Pod', 'v1', 'pods', (a, p) => a.core.listPodForAllNamespaces(p)),
  spec('ServiceAccount', 'v1', 'serviceaccounts', (a, p) => a.core.listServiceAccountForAllNamespaces(p)),
  spec('ReplicationController', 'v1', 'replicationcontrollers', (a, p) =>
    a.core.listReplicationControllerForAllNamespaces(p),
  ),
  spec('Deployment', 'apps/v1', 'deployments', (a, p) => a.apps.listDeploymentForAllNamespaces(p)),
  spec('StatefulSet', 'apps/v1', 'statefulsets', (a, p) => a.apps.listStatefulSetForAllNamespaces(p)),
  spec('DaemonSet', 'apps/v1', 'daemonsets', (a, p) => a.apps.listDaemonSetForAllNamespaces(p)),
  spec('ReplicaSet', 'apps/v1', 'replicasets', (a, p) => a.apps.listReplicaSetForAllNamespaces(p)),
  spec('Job', 'batch/v1', 'jobs', (a, p) => a.batch.listJobForAllNamespaces(p)),
  spec('CronJob', 'batch/v1', 'cronjobs', (a, p) => a.batch.listCronJobForAllNamespaces(p)),
  spec('Role', 'rbac.authorization.k8s.io/v1', 'roles', (a, p) => a.rbac.listRoleForAllNamespaces(p)),
  spec('ClusterRole', 'rbac.authorization.k8s.io/v1', 'clusterroles', (a, p) => a.rbac.listClusterRole(p), true),
  spec('RoleBinding', 'rbac.authorization.k8s.io/v1', 'rolebindings', (a, p) =>
    a.rbac.listRoleBindingForAllNamespaces(p),
  ),
  spec(
    'ClusterRoleBinding',
    'rbac.authorization.k8s.io/v1',
    'clusterrolebindings',
    (a, p) => a.rbac.listClusterRoleBinding(p),
    true,
  ),
  spec('NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies', (a, p) =>
    a.networking.listNetworkPolicyForAllNamespaces(p),
  ),
  cilium('CiliumNetworkPolicy', 'ciliumnetworkpolicies', false),
  cilium('CiliumClusterwideNetworkPolicy', 'ciliumclusterwidenetworkpolicies', true),
];
