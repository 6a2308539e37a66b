import type { Path, SourceDoc } from '../model/provenance.js';
import type { Description } from '../model/snapshot.js';
import type { Unresolved } from '../model/unresolved.js';

/** A JSON-like value and where it sits: the raw material every source hands to the assembler. */
export interface Located {
  readonly value: unknown;
  readonly path: Path;
  readonly doc: SourceDoc;
}

/** Which cluster a part belongs to: its ARM resource id when known, else its name. */
export interface ClusterRef {
  readonly name: string;
  readonly armId?: string | undefined;
  /**
   * True when `name` is a stand-in (an ARM symbolic name, a Terraform address, a pool's name) because the input
   * does not resolve the cluster's real name: reports show it, but `az` commands keep `<cluster>`.
   */
  readonly unresolvedName?: boolean | undefined;
  /** The cluster part this refers to, when the source knows it exactly (a template's own cluster). */
  readonly of?: ClusterPart | undefined;
}

export interface ClusterPart extends ClusterRef {
  readonly settings: Located;
  /** The whole resource (`identity`, `sku`, `properties`); for `az` output the same object as `settings`. */
  readonly resource: Located;
  readonly description: Description;
  readonly apiVersion?: string | undefined;
  /** For IaC inputs, the maintenance schedules declared alongside (an empty list means none). */
  readonly maintenanceConfigurations?: readonly MaintenancePart[];
}

export interface PoolPart {
  readonly cluster: ClusterRef;
  readonly name: string;
  readonly settings: Located;
  /** Set when the input does not tell whether the pool exists (Terraform `count`/`for_each` over an unknown value). */
  readonly unknownExistence?: Unresolved | undefined;
}

export interface UpgradeProfilePart {
  readonly cluster: ClusterRef;
  readonly pool: string;
  readonly settings: Located;
}

export interface MaintenancePart {
  readonly cluster: ClusterRef;
  readonly name: string;
  readonly settings: Located;
}

/** Which cluster Kubernetes objects belong to, when their input says: a kubeconfig context, or `--target`. */
export interface KubernetesClusterHint {
  /** The kubeconfig's cluster name (for AKS, the cluster's own name). */
  readonly name: string;
  /** The API server URL, whose host is an AKS cluster's `fqdn` or `privateFQDN`. */
  readonly server?: string | undefined;
}

/** Kubernetes objects of one cluster: manifests, `kubectl get -o json` output, or a live cluster's API. */
export interface KubernetesPart {
  readonly cluster?: KubernetesClusterHint | undefined;
  /** Read from a running cluster, so status fields are real. */
  readonly live: boolean;
  /** Each object's parsed body, at path `[]` of a document that locates paths inside that object. */
  readonly objects: readonly Located[];
}

/** Everything one input contributed. Parts of one cluster may come from several files in the same folder. */
export interface Fragment {
  readonly file: string;
  readonly clusters: readonly ClusterPart[];
  readonly pools: readonly PoolPart[];
  readonly upgradeProfiles: readonly UpgradeProfilePart[];
  readonly maintenanceConfigurations: readonly MaintenancePart[];
  /** Clusters the input names without describing any part of them (e.g. a cluster upgrade profile). */
  readonly mentions: readonly ClusterRef[];
  /** Kubernetes objects, joined to a cluster by `assemble` (see `kubernetes-join.ts`). */
  readonly kubernetes?: readonly KubernetesPart[];
}

export const emptyFragment = (file: string): Fragment => ({
  file,
  clusters: [],
  pools: [],
  upgradeProfiles: [],
  maintenanceConfigurations: [],
  mentions: [],
});

/** `/subscriptions/…/managedClusters/NAME[/…]` → the cluster's own id and name. */
export function clusterRefFromId(id: unknown): ClusterRef | undefined {
  if (typeof id !== 'string') return undefined;
  const match = /^(.*\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+))/i.exec(id);
  if (!match) return undefined;
  return { armId: match[1] as string, name: match[2] as string };
}

/** `…/agentPools/NAME[/…]` → NAME. */
export function poolNameFromId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  return /\/agentpools\/([^/]+)/i.exec(id)?.[1];
}
