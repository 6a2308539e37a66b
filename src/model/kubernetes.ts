import type { Anchor } from './fact.js';
import type { Path } from './provenance.js';

/** One Kubernetes object as read (one parsed copy, shared by every rule). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** The object as parsed, not a copy. Secret and ConfigMap bodies keep only apiVersion, kind, name, namespace and labels. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Where the object starts (path `[]`); its owner names the object itself. */
  readonly anchor: Anchor;
}

/** The Kubernetes objects of one cluster, from manifests, `kubectl get -o json` dumps or the live API. */
export interface KubernetesObjects {
  /** Read from a running cluster (status fields are real) rather than from manifests. */
  readonly live: boolean;
  /** Every object once, in input order; the lists below are views of the same objects. */
  readonly objects: readonly KubeObject[];
  readonly namespaces: readonly KubeObject[];
  readonly nodes: readonly KubeObject[];
  /** Pods and every kind with a pod template: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController. */
  readonly workloads: readonly KubeObject[];
  readonly daemonSets: readonly KubeObject[];
  readonly serviceAccounts: readonly KubeObject[];
  /** Role and ClusterRole. */
  readonly roles: readonly KubeObject[];
  /** RoleBinding and ClusterRoleBinding. */
  readonly bindings: readonly KubeObject[];
  /** NetworkPolicy (any API group), CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, Calico GlobalNetworkPolicy. */
  readonly networkPolicies: readonly KubeObject[];
}

/** Kinds that carry a pod spec: the Pod itself, or a template for the pods a controller creates. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'ReplicationController',
]);

/** Policies that apply to a whole cluster rather than one namespace. */
export const CLUSTER_WIDE_POLICY_KINDS: ReadonlySet<string> = new Set([
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
]);

const NETWORK_POLICY_KINDS = new Set(['NetworkPolicy', 'CiliumNetworkPolicy', ...CLUSTER_WIDE_POLICY_KINDS]);

/** Sorts objects into the views rules read. The objects are not copied. */
export function kubernetesObjects(objects: readonly KubeObject[], live: boolean): KubernetesObjects {
  const of = (...kinds: string[]) => objects.filter((o) => kinds.includes(o.kind));
  return {
    live,
    objects,
    namespaces: of('Namespace'),
    nodes: of('Node'),
    workloads: objects.filter((o) => WORKLOAD_KINDS.has(o.kind)),
    daemonSets: of('DaemonSet'),
    serviceAccounts: of('ServiceAccount'),
    roles: of('Role', 'ClusterRole'),
    bindings: of('RoleBinding', 'ClusterRoleBinding'),
    networkPolicies: objects.filter((o) => NETWORK_POLICY_KINDS.has(o.kind)),
  };
}

/**
 * Kinds that live outside namespaces. Any other kind without `metadata.namespace` is read as in `default`, where
 * `kubectl apply` would create it.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'CertificateSigningRequest',
  'PodSecurityPolicy',
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'ConstraintTemplate',
  'ClusterIssuer',
]);

/** Kinds whose payload is secret or private: only their metadata is kept, so no report can ever show it. */
export const PAYLOAD_KINDS: ReadonlySet<string> = new Set(['Secret', 'ConfigMap']);

/**
 * How a path inside an object reads in a report: `spec.containers[0].securityContext` and, for keys that are not
 * plain names, `metadata.labels["pod-security.kubernetes.io/enforce"]`.
 */
export function kubePath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
