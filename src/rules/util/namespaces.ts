import type { Anchor } from '../../model/fact.js';
import { CLUSTER_WIDE_POLICY_KINDS, type KubeObject, WORKLOAD_KINDS } from '../../model/kubernetes.js';
import type { RuleOptions } from '../../model/rule.js';
import type { Cluster, Snapshot } from '../../model/snapshot.js';
import { within } from './report.js';

/** A namespace as the input shows it: its Namespace object when present, and what lives in it. */
export interface NamespaceView {
  readonly cluster: Cluster;
  readonly name: string;
  /** The Namespace object (with its labels); undefined when only objects in it are in the input. */
  readonly object: KubeObject | undefined;
  /** Where findings about it point: the Namespace object, else the first object in it. Owner: the namespace. */
  readonly anchor: Anchor;
  readonly hasWorkloads: boolean;
  /** A NetworkPolicy or CiliumNetworkPolicy in it, or a cluster-wide policy in the cluster. */
  readonly hasNetworkPolicy: boolean;
}

/** Every non-system namespace that appears in the input, as a Namespace object or as the namespace of an object. */
export function namespaces(snapshot: Snapshot, options: RuleOptions): NamespaceView[] {
  return snapshot.clusters.flatMap((cluster) => {
    const kubernetes = cluster.kubernetes;
    if (!kubernetes) return [];
    const seen = new Map<string, { object?: KubeObject; first: KubeObject; workloads: boolean; policy: boolean }>();
    const entry = (name: string, object: KubeObject) => {
      let found = seen.get(name);
      if (!found) {
        found = { first: object, workloads: false, policy: false };
        seen.set(name, found);
      }
      return found;
    };
    let clusterWidePolicy = false;
    for (const object of kubernetes.objects) {
      if (object.kind === 'Namespace') entry(object.name, object).object = object;
      if (CLUSTER_WIDE_POLICY_KINDS.has(object.kind)) clusterWidePolicy = true;
      if (object.namespace === null) continue;
      const found = entry(object.namespace, object);
      if (WORKLOAD_KINDS.has(object.kind)) found.workloads = true;
      if (object.kind === 'NetworkPolicy' || object.kind === 'CiliumNetworkPolicy') found.policy = true;
    }
    return [...seen.entries()]
      .filter(([name]) => !options.systemNamespaces.includes(name))
      .map(([name, found]) => ({
        cluster,
        name,
        object: found.object,
        anchor: namespaceAnchor(name, found.object ?? found.first),
        hasWorkloads: found.workloads,
        hasNetworkPolicy: found.policy || clusterWidePolicy,
      }));
  });
}

function namespaceAnchor(name: string, object: KubeObject): Anchor {
  const at = object.kind === 'Namespace' ? object.anchor : within(object.anchor, 'metadata', 'namespace');
  return { ...at, owner: { target: at.owner.target, resource: { kind: 'Namespace', name, namespace: null } } };
}
