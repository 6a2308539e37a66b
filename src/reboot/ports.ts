/**
 * The narrow view of the Kubernetes API the reboot coordinator needs. The daemon's logic talks only to this port,
 * so the same code runs against the real API (`kube-ops.ts`), the fake API server and an in-memory cluster.
 * Objects are reduced to the fields the logic reads; adapters translate.
 */
export interface NodeInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly unschedulable: boolean;
  readonly taints: readonly Taint[];
  readonly ready: boolean;
  readonly bootId: string;
  readonly kubeletVersion: string;
  /** For writes that must not cross another writer's (claiming the node for this pod). */
  readonly resourceVersion: string;
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export interface PodInfo {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Kinds of the controllers that own the pod (`DaemonSet`, `ReplicaSet`, …). */
  readonly ownerKinds: readonly string[];
  /** A static pod the kubelet mirrors into the API; the API cannot evict it. */
  readonly mirror: boolean;
  readonly usesEmptyDir: boolean;
  /** Set (ms since the epoch) once the pod is terminating: it needs no second eviction, only waiting. */
  readonly deletionTimestamp: number | undefined;
  /** Succeeded or Failed: nothing left to stop. */
  readonly finished: boolean;
}

/**
 * The one `coordination.k8s.io/v1` Lease the daemons coordinate through. Its holders live in an annotation (see
 * lease.ts); `holderIdentity` repeats their node names for `kubectl get lease`.
 */
export interface LeaseInfo {
  readonly name: string;
  readonly holderIdentity: string | undefined;
  readonly annotations: Readonly<Record<string, string>>;
  readonly resourceVersion: string;
}

/** What to change on the node; a `null` annotation or label removes it. */
export interface NodeChange {
  readonly annotations?: Readonly<Record<string, string | null>>;
  readonly labels?: Readonly<Record<string, string | null>>;
  readonly unschedulable?: boolean;
  /** The whole taint list (write it with `resourceVersion`, so a taint added meanwhile is not lost). */
  readonly taints?: readonly Taint[];
  /** Apply only if the node is still at this version; otherwise `patchNode` throws a `ConflictError`. */
  readonly resourceVersion?: string;
}

/** A write refused because the object changed since it was read (HTTP 409). */
export class ConflictError extends Error {}

export type EvictionResult = 'evicted' | 'blocked' | 'gone';

export interface NodeEvent {
  readonly reason: string;
  readonly message: string;
  readonly type: 'Normal' | 'Warning';
}

export interface NodeOps {
  /** The node, or undefined when its Node object no longer exists. */
  getNode(name: string): Promise<NodeInfo | undefined>;
  patchNode(name: string, change: NodeChange): Promise<NodeInfo>;
  listNodes(): Promise<NodeInfo[]>;
  /** The node's pods (`spec.nodeName`), optionally only those matching a label selector. */
  listPodsOnNode(node: string, labelSelector?: string): Promise<PodInfo[]>;
  /** Whether this pod (by name and uid) still exists: a pod replaced under the same name is another pod. */
  podExists(namespace: string, name: string, uid: string): Promise<boolean>;
  /**
   * Through the Eviction API: `blocked` is 429 (a PodDisruptionBudget says no), `gone` is 404. `signal` abandons
   * the request (self-fencing).
   */
  evictPod(pod: PodInfo, gracePeriodSeconds: number | undefined, signal?: AbortSignal): Promise<EvictionResult>;
  getLease(namespace: string, name: string): Promise<LeaseInfo | undefined>;
  /** `conflict` on 409 (someone created it first / the resourceVersion is stale). */
  createLease(namespace: string, lease: Omit<LeaseInfo, 'resourceVersion'>): Promise<LeaseInfo | 'conflict'>;
  updateLease(namespace: string, lease: LeaseInfo): Promise<LeaseInfo | 'conflict'>;
  recordEvent(node: NodeInfo, event: NodeEvent): Promise<void>;
  /**
   * Calls `onChange` whenever the node or the set of Lease holders changes (and once the watches are established),
   * until the returned stop function is called. Dropped watches are re-established by the adapter.
   */
  watch(node: string, namespace: string, onChange: () => void): WatchHandle;
}

export interface WatchHandle {
  /** True once every watch has been established since the last drop. */
  synced(): boolean;
  stop(): void;
}

/** Time, injected: the real clock in production and the simulation, a virtual one in logic tests. */
export interface Clock {
  /** Wall-clock milliseconds since the epoch: windows and the timestamps written for people. */
  now(): number;
  /** Milliseconds that never jump: every duration the daemon measures (fencing, staleness, timeouts). */
  monotonic(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref?.();
    return () => clearInterval(timer);
  },
};

/** Whether the host needs a reboot: the sentinel file or command. */
export interface Sentinel {
  required(): Promise<boolean>;
  /** Calls `onChange` when the sentinel may have changed (file watch); returns a stop function. */
  watch(onChange: () => void): () => void;
}

/** Reboots the host (command or signal); in tests, a simulated node that comes back with a new bootID. */
export interface Rebooter {
  reboot(): Promise<void>;
}
