/**
 * An in-memory cluster behind the reboot daemon's `NodeOps` port, for logic tests: nodes with resourceVersions,
 * pods, the reboot Lease with compare-and-swap, PodDisruptionBudget-like refusals and recorded events, plus a
 * virtual clock whose sleeps advance time at once (a 30-minute drain timeout takes no real time) and run the
 * periodic timers (slot renewals) that fall due on the way.
 */
import {
  type Clock,
  ConflictError,
  type EvictionResult,
  type LeaseInfo,
  type NodeChange,
  type NodeEvent,
  type NodeInfo,
  type NodeOps,
  type PodInfo,
  type Rebooter,
  type Sentinel,
  type WatchHandle,
} from '../../src/reboot/ports.js';
import { labelSelector } from './fake-kube/selectors.js';

interface Timer {
  at: number;
  readonly every: number;
  readonly tick: () => void;
}

/** Lets everything a timer started run to its end (the in-memory cluster answers in microtasks). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

export class VirtualClock implements Clock {
  /** Every sleep asked for, in order. */
  readonly sleeps: number[] = [];
  private readonly timers = new Set<Timer>();
  constructor(public time: number) {}

  now(): number {
    return this.time;
  }

  monotonic(): number {
    return this.time;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.sleeps.push(ms);
    await this.advance(ms, signal);
  }

  /** Moves time on by `ms`, running each periodic timer that falls due on the way, in order, with its work. */
  async advance(ms: number, signal?: AbortSignal): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const next = [...this.timers].filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.time = Math.max(this.time, next.at);
      next.at = this.time + next.every;
      next.tick();
      await settle();
      if (signal?.aborted) return;
    }
    this.time = Math.max(this.time, end);
    await Promise.resolve();
  }

  every(ms: number, tick: () => void): () => void {
    const timer = { at: this.time + ms, every: ms, tick };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** The clock as one process sees it: the same time; `kill()` stops its timers, as a dying process's stop. */
  process(): { clock: Clock; kill(): void } {
    const stops: (() => void)[] = [];
    const clock: Clock = {
      now: () => this.now(),
      monotonic: () => this.monotonic(),
      sleep: (ms, signal) => this.sleep(ms, signal),
      every: (ms, tick) => {
        const stop = this.every(ms, tick);
        stops.push(stop);
        return stop;
      },
    };
    return {
      clock,
      kill: () => {
        for (const stop of stops) stop();
      },
    };
  }
}

export interface MemoryPod extends PodInfo {
  readonly node: string;
}

export class MemoryCluster implements NodeOps {
  nodes = new Map<string, NodeInfo>();
  pods: MemoryPod[] = [];
  leases = new Map<string, LeaseInfo>();
  events: { node: string; event: NodeEvent }[] = [];
  evictions: string[] = [];
  /** Daemon pods that exist (`namespace/name/uid`): a pod not here is gone. */
  daemonPods = new Set<string>();
  /** Pods (`ns/name`) whose eviction a PodDisruptionBudget refuses with 429. */
  protected_ = new Set<string>();
  /** Calls made, by method name. */
  calls = new Map<string, number>();
  private revision = 1;

  addNode(name: string, extra: Partial<NodeInfo> = {}): NodeInfo {
    const node: NodeInfo = {
      name,
      labels: { 'kubernetes.azure.com/agentpool': 'pool1', 'topology.kubernetes.io/zone': 'z1' },
      annotations: {},
      unschedulable: false,
      taints: [],
      ready: true,
      bootId: `${name}-boot-1`,
      kubeletVersion: 'v1.33.2',
      ...extra,
      resourceVersion: String(++this.revision),
    };
    this.nodes.set(name, node);
    return node;
  }

  /** Changes a node as someone else would (kubelet, operator): a new resourceVersion. */
  setNode(name: string, change: Partial<NodeInfo>): NodeInfo {
    const node = { ...this.node(name), ...change, resourceVersion: String(++this.revision) };
    this.nodes.set(name, node);
    return node;
  }

  addPod(node: string, name: string, extra: Partial<MemoryPod> = {}): void {
    this.pods.push({
      namespace: 'default',
      name,
      uid: `${name}-uid`,
      labels: {},
      ownerKinds: ['ReplicaSet'],
      mirror: false,
      usesEmptyDir: false,
      deletionTimestamp: undefined,
      finished: false,
      node,
      ...extra,
    });
  }

  node(name: string): NodeInfo {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }

  private count(method: string) {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
  }

  async getNode(name: string): Promise<NodeInfo | undefined> {
    this.count('getNode');
    return this.nodes.get(name);
  }

  async patchNode(name: string, change: NodeChange): Promise<NodeInfo> {
    this.count('patchNode');
    const node = this.node(name);
    if (change.resourceVersion !== undefined && change.resourceVersion !== node.resourceVersion)
      throw new ConflictError(`node ${name} changed`);
    const merge = (base: Readonly<Record<string, string>>, patch?: Readonly<Record<string, string | null>>) => {
      const out: Record<string, string> = { ...base };
      for (const [k, v] of Object.entries(patch ?? {})) {
        if (v === null) delete out[k];
        else out[k] = v;
      }
      return out;
    };
    return this.setNode(name, {
      annotations: merge(node.annotations, change.annotations),
      labels: merge(node.labels, change.labels),
      unschedulable: change.unschedulable ?? node.unschedulable,
      taints: change.taints ?? node.taints,
    });
  }

  async listNodes(): Promise<NodeInfo[]> {
    this.count('listNodes');
    return [...this.nodes.values()];
  }

  async listPodsOnNode(node: string, selector?: string): Promise<PodInfo[]> {
    this.count('listPodsOnNode');
    const matches = labelSelector(selector ?? null);
    return this.pods.filter((p) => p.node === node && matches({ metadata: { labels: p.labels } }));
  }

  async podExists(namespace: string, name: string, uid: string): Promise<boolean> {
    this.count('podExists');
    return this.daemonPods.has(`${namespace}/${name}/${uid}`);
  }

  async evictPod(pod: PodInfo, _grace: number | undefined, signal?: AbortSignal): Promise<EvictionResult> {
    this.count('evictPod');
    if (signal?.aborted) throw new Error('aborted');
    const key = `${pod.namespace}/${pod.name}`;
    if (!this.pods.some((p) => p.namespace === pod.namespace && p.name === pod.name)) return 'gone';
    if (this.protected_.has(key)) return 'blocked';
    this.evictions.push(key);
    this.pods = this.pods.filter((p) => !(p.namespace === pod.namespace && p.name === pod.name));
    return 'evicted';
  }

  async getLease(_ns: string, name: string): Promise<LeaseInfo | undefined> {
    this.count('getLease');
    return this.leases.get(name);
  }

  async createLease(_ns: string, lease: Omit<LeaseInfo, 'resourceVersion'>): Promise<LeaseInfo | 'conflict'> {
    this.count('writeLease');
    if (this.leases.has(lease.name)) return 'conflict';
    const stored = { ...lease, resourceVersion: String(++this.revision) };
    this.leases.set(lease.name, stored);
    return stored;
  }

  async updateLease(_ns: string, lease: LeaseInfo): Promise<LeaseInfo | 'conflict'> {
    this.count('writeLease');
    if (this.leases.get(lease.name)?.resourceVersion !== lease.resourceVersion) return 'conflict';
    const stored = { ...lease, resourceVersion: String(++this.revision) };
    this.leases.set(lease.name, stored);
    return stored;
  }

  async recordEvent(node: NodeInfo, event: NodeEvent): Promise<void> {
    this.events.push({ node: node.name, event });
  }

  watch(): WatchHandle {
    return { synced: () => true, stop: () => undefined };
  }

  reasons(node: string): string[] {
    return this.events.filter((e) => e.node === node).map((e) => e.event.reason);
  }
}

/** A sentinel the test switches on and off. */
export class FlagSentinel implements Sentinel {
  constructor(public present = true) {}
  async required(): Promise<boolean> {
    return this.present;
  }
  watch(): () => void {
    return () => undefined;
  }
}

/** Reboots a memory node: a new boot ID, the sentinel cleared (unless `sentinelStays`). */
export class MemoryRebooter implements Rebooter {
  reboots = 0;
  constructor(
    private readonly cluster: MemoryCluster,
    private readonly node: string,
    private readonly sentinel: FlagSentinel,
    public options: { sentinelStays?: boolean; noop?: boolean } = {},
  ) {}
  async reboot(): Promise<void> {
    this.reboots++;
    if (this.options.noop) return;
    this.cluster.setNode(this.node, { bootId: `${this.node}-boot-${this.reboots + 1}` });
    if (!this.options.sentinelStays) this.sentinel.present = false;
  }
}
