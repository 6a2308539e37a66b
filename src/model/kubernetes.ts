import type { Anchor } from './fact.js';

/** One Kubernetes object as read (one parsed copy, shared by every rule). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, unknown>>;
  /** Where the object starts; its owner names the object itself. */
  readonly anchor: Anchor;
}

/** The Kubernetes objects of one cluster, from manifests, `kubectl get -o json` dumps or the live API. */
export interface KubernetesObjects {
  /** Read from a running cluster (status fields are real) rather than from manifests. */
  readonly live: boolean;
  readonly nodes: readonly KubeObject[];
  readonly daemonSets: readonly KubeObject[];
}
