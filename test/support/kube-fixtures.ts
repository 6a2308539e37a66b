/** Builders for Kubernetes objects in rule tests: hardened by default, so each case states only what it breaks. */

type Body = Record<string, unknown>;

/** A `kubectl get -o json` List (what the rule tester writes as `cluster.json`). */
export const list = (...items: Body[]): Body => ({ apiVersion: 'v1', kind: 'List', items });

export const namespace = (name: string, labels: Record<string, string> = {}): Body => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

/** A namespace that enforces the restricted Pod Security level. */
export const restrictedNamespace = (name: string, labels: Record<string, string> = {}): Body =>
  namespace(name, { 'pod-security.kubernetes.io/enforce': 'restricted', ...labels });

/** A container that passes every workload rule; `securityContext` entries replace the hardened ones. */
export const container = (name = 'app', securityContext: Body = {}, extra: Body = {}): Body => ({
  name,
  image: 'registry.example.com/app:1.0',
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...securityContext },
  ...extra,
});

/** A pod spec that passes every workload rule; `overrides` replace its fields. */
export const podSpec = (overrides: Body = {}): Body => ({
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [container()],
  ...overrides,
});

const templated =
  (apiVersion: string, kind: string) =>
  (name: string, spec: Body, ns = 'shop', extra: Body = {}) => ({
    apiVersion,
    kind,
    metadata: { name, namespace: ns, ...extra },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
  });

export const deployment = templated('apps/v1', 'Deployment');
export const statefulSet = templated('apps/v1', 'StatefulSet');
export const daemonSet = templated('apps/v1', 'DaemonSet');
export const replicaSet = templated('apps/v1', 'ReplicaSet');

export const job = (name: string, spec: Body, ns = 'shop'): Body => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: ns },
  spec: { template: { spec } },
});

export const cronJob = (name: string, spec: Body, ns = 'shop'): Body => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name, namespace: ns },
  spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec } } } },
});

export const pod = (name: string, spec: Body, ns = 'shop', metadata: Body = {}): Body => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, ...metadata },
  spec,
});

export const serviceAccount = (name: string, ns: string, extra: Body = {}): Body => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: ns },
  ...extra,
});

export const networkPolicy = (ns: string, name = 'default-deny'): Body => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
});

const RBAC = 'rbac.authorization.k8s.io/v1';

export interface PolicyRule {
  readonly apiGroups?: string[];
  readonly resources?: string[];
  readonly verbs: string[];
  readonly nonResourceURLs?: string[];
}

export const clusterRole = (name: string, ...rules: PolicyRule[]): Body => ({
  apiVersion: RBAC,
  kind: 'ClusterRole',
  metadata: { name },
  rules,
});

export const role = (name: string, ns: string, ...rules: PolicyRule[]): Body => ({
  apiVersion: RBAC,
  kind: 'Role',
  metadata: { name, namespace: ns },
  rules,
});

export interface Subject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  readonly namespace?: string;
}

export const user = (name: string): Subject => ({ kind: 'User', name });
export const group = (name: string): Subject => ({ kind: 'Group', name });
export const account = (name: string, ns: string): Subject => ({ kind: 'ServiceAccount', name, namespace: ns });

export const clusterRoleBinding = (name: string, roleName: string, ...subjects: Subject[]): Body => ({
  apiVersion: RBAC,
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
  subjects,
});

export const roleBinding = (
  name: string,
  ns: string,
  ref: { kind: 'Role' | 'ClusterRole'; name: string },
  ...subjects: Subject[]
): Body => ({
  apiVersion: RBAC,
  kind: 'RoleBinding',
  metadata: { name, namespace: ns },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...ref },
  subjects,
});

export const node = (
  name: string,
  labels: Record<string, string>,
  extra: { annotations?: Record<string, string>; status?: Body } = {},
): Body => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels, annotations: extra.annotations ?? {} },
  status: extra.status ?? {},
});
