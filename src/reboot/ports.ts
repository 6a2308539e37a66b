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
  readonly ready: boolean;
  readonly bootId: string;
  readonly kubeletVersion: string;
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
  /** Set once the pod is terminating: it needs no second eviction, only waiting. */
  readonly deleting: boolean;
  /** Succeeded or Failed: nothing left to stop. */
  readonly finished: boolean;
}

export interface LeaseInfo {
  readonly name: string;
  readonly holder: string | undefined;
  /** Milliseconds since the epoch. */
  readonly acquireTime: number | undefined;
  readonly renewTime: number | undefined;
  readonly durationSeconds: number;
  readonly transitions: number;
  readonly resourceVersion: string;
}

/** What to change on the node; a `null` annotation or label removes it. */
export interface NodeChange {
  readonly annotations?: Readonly<Record<string, string | null>>;
  readonly labels?: Readonly<Record<string, string | null>>;
  readonly unschedulable?: boolean;
}

export type EvictionResult = 'evicted' | 'blocked' | 'gone';

export interface NodeEvent {
  readonly reason: string;
  readonly message: string;
  readonly type: 'Normal' | 'Warning';
}

export interface NodeOps {
  getNode(name: string): Promise<NodeInfo>;
  patchNode(name: string, change: NodeChange): Promise<NodeInfo>;
  listNodes(): Promise<NodeInfo[]>;
  /** The node's pods (`spec.nodeName`), optionally only those matching a label selector. */
  listPodsOnNode(node: string, labelSelector?: string): Promise<PodInfo[]>;
  /** Through the Eviction API: `blocked` is 429 (a PodDisruptionBudget says no), `gone` is 404. */
  evictPod(pod: PodInfo, gracePeriodSeconds: number | undefined): Promise<EvictionResult>;
  getLease(namespace: string, name: string): Promise<LeaseInfo | undefined>;
  /** `conflict` on 409 (someone created it first / the resourceVersion is stale). */
  createLease(namespace: string, lease: Omit<LeaseInfo, 'resourceVersion'>): Promise<LeaseInfo | 'conflict'>;
  updateLease(namespace: string, lease: LeaseInfo): Promise<LeaseInfo | 'conflict'>;
  recordEvent(node: NodeInfo, event: NodeEvent): Promise<void>;
  /**
   * Calls `onChange` whenever the node or the slot Leases change (and once the watches are established), until
   * the returned stop function is called. Dropped watches are re-established by the adapter.
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
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
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
