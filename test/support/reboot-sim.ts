/**
 * A simulated AKS cluster for the reboot daemon: the fake API server holds the nodes, pods, PodDisruptionBudgets
 * and Leases; every node runs the real daemon code in-process (`RebootDaemon` on `KubeOps`, a real sentinel file
 * watched with fs.watch) with its own identity. A node's reboot stops its daemon as a real reboot kills the pod,
 * turns the node NotReady, clears its sentinel, and after `rebootMs` brings it back Ready with a new bootID and
 * a fresh daemon. A small ReplicaSet controller recreates evicted pods on other schedulable nodes.
 *
 * The timeline recorder checks the safety invariants on every change the store makes, so a violation at any
 * instant is caught, not only in the end state.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadKubeconfig } from '../../src/kube/kubeconfig.js';
import { RebootDaemon, type Tuning } from '../../src/reboot/daemon.js';
import { parseDaemonOptions } from '../../src/reboot/flags.js';
import { KubeOps } from '../../src/reboot/kube-ops.js';
import { isLive, slotName } from '../../src/reboot/lease.js';
import { RebootMetrics } from '../../src/reboot/metrics.js';
import type { LeaseInfo, NodeOps, Rebooter } from '../../src/reboot/ports.js';
import { systemClock } from '../../src/reboot/ports.js';
import { FileSentinel } from '../../src/reboot/sentinel.js';
import { isActive, readState } from '../../src/reboot/state.js';
import { dailyWindow } from '../../src/reboot/window.js';
import { FakeKube, type StoredObject } from './fake-kube/index.js';

export interface SimConfig {
  readonly nodes: number;
  readonly pools: readonly string[];
  readonly zones: readonly string[];
  readonly concurrency: number;
  readonly perPool: number;
  readonly seed: number;
  /** Inject API 500s, lease 409s, latency and dropped watches. */
  readonly faults: boolean;
  /** Nodes cordoned by someone else before the daemon starts. */
  readonly preCordoned: readonly string[];
  /** Its reboot never completes: NotReady for good, no daemon. */
  readonly deadNode?: string;
  /** Its daemon is killed at its first eviction and restarted after `restartMs`. */
  readonly killMidDrain?: string;
  readonly restartMs: number;
  readonly rebootMs: number;
  /** How long a ReplicaSet takes to recreate an evicted pod elsewhere. */
  readonly rescheduleMs: number;
  readonly flags: readonly string[];
  readonly tuning: Partial<Tuning>;
  /** Create every sentinel at start (otherwise call `requireReboot`). */
  readonly sentinels: boolean;
}

export const DEFAULT_SIM: SimConfig = {
  nodes: 30,
  pools: ['system', 'apps', 'batch'],
  zones: ['1', '2', '3'],
  concurrency: 2,
  perPool: 1,
  seed: 42,
  faults: true,
  preCordoned: [],
  restartMs: 300,
  rebootMs: 150,
  rescheduleMs: 60,
  flags: ['--lock-ttl', '4s', '--lock-renew-interval', '250ms', '--period', '400ms'],
  tuning: { backoffMs: 50, backoffMaxMs: 400, pollMs: 30, retryMs: 100, rebootWaitMs: 60_000 },
  sentinels: true,
};

/** Deterministic randomness for fault injection (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A NodeOps whose calls fail once the simulated process is dead, so a killed daemon cannot act any more. */
function killable(ops: NodeOps): { ops: NodeOps; kill(): void } {
  let dead = false;
  const proxy = new Proxy(ops, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (dead)
          return key === 'watch'
            ? { synced: () => false, stop: () => undefined }
            : Promise.reject(new Error('process killed'));
        const result = value.apply(target, args);
        return result instanceof Promise
          ? result.then((r) => {
              if (dead) throw new Error('process killed');
              return r;
            })
          : result;
      };
    },
  });
  return { ops: proxy, kill: () => (dead = true) };
}

interface Running {
  readonly daemon: RebootDaemon;
  readonly kill: () => void;
  readonly done: Promise<void>;
}

export interface Violation {
  readonly at: number;
  readonly what: string;
}

export class Simulation {
  readonly names: string[];
  readonly reboots = new Map<string, number>();
  readonly violations: Violation[] = [];
  /** Pods removed other than through the Eviction API. */
  readonly unevictedDeletions: string[] = [];
  readonly maxActive = { total: 0, perPool: 0 };
  killedMidDrain = false;
  private readonly running = new Map<string, Running>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly random: () => number;
  private readonly dir: string;
  private kubeconfig = '';
  private stopped = false;
  private readonly dead = new Set<string>();
  private podCounter = 0;

  private constructor(
    readonly kube: FakeKube,
    readonly config: SimConfig,
  ) {
    this.random = seeded(config.seed);
    this.dir = mkdtempSync(join(tmpdir(), 'aksguard-sim-'));
    this.names = Array.from({ length: config.nodes }, (_, i) => `aks-${this.poolOf(i)}-${String(i).padStart(2, '0')}`);
  }

  static async start(overrides: Partial<SimConfig> = {}): Promise<Simulation> {
    // Plain HTTP: TLS handshakes for 30 clients would dominate the run; the adapter's TLS is tested in test/kube.
    const kube = await FakeKube.start({ http: true });
    const sim = new Simulation(kube, { ...DEFAULT_SIM, ...overrides });
    sim.kubeconfig = kube.writeKubeconfig(sim.dir);
    sim.seedCluster();
    sim.recordTimeline();
    if (sim.config.faults) sim.injectFaults();
    for (const name of sim.names) {
      mkdirSync(join(sim.dir, name), { recursive: true });
      if (sim.config.sentinels) sim.requireReboot(name);
      sim.startDaemon(name);
    }
    return sim;
  }

  /** Every running daemon has its watches established. */
  ready(): boolean {
    return [...this.running.values()].every((r) => r.daemon.ready());
  }

  sentinelPath(node: string): string {
    return join(this.dir, node, 'reboot-required');
  }

  requireReboot(node: string): void {
    writeFileSync(this.sentinelPath(node), '');
  }

  poolOf(i: number): string {
    return this.config.pools[i % this.config.pools.length] as string;
  }

  node(name: string): StoredObject {
    return this.kube.store.get(this.type('Node'), undefined, name);
  }

  nodes(): StoredObject[] {
    return this.kube.store.list(this.type('Node'));
  }

  lease(i: number): LeaseInfo | undefined {
    try {
      const lease = this.kube.store.get(this.type('Lease', 'coordination.k8s.io/v1'), 'kube-system', slotName(i));
      const spec = (lease.spec ?? {}) as Record<string, unknown>;
      return {
        name: slotName(i),
        holder: (spec.holderIdentity as string | undefined) || undefined,
        acquireTime: spec.acquireTime ? Date.parse(String(spec.acquireTime)) : undefined,
        renewTime: spec.renewTime ? Date.parse(String(spec.renewTime)) : undefined,
        durationSeconds: Number(spec.leaseDurationSeconds ?? 0),
        transitions: Number(spec.leaseTransitions ?? 0),
        resourceVersion: '',
      };
    } catch {
      return undefined;
    }
  }

  /** Resolves when `done()` holds, checking every 50 ms; rejects after `timeoutMs`. */
  async until(done: () => boolean, timeoutMs: number): Promise<void> {
    const start = Date.now();
    while (!done()) {
      if (Date.now() - start > timeoutMs)
        throw new Error(`simulation did not settle within ${timeoutMs} ms: ${this.describePending()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The nodes not yet verified, with their recorded state and events, for a failure message. */
  describePending(): string {
    return this.names
      .filter((n) => !this.verified(n) || !this.events(n).includes('Rebooted'))
      .map((n) => {
        const annotations = (this.node(n).metadata as { annotations?: Record<string, string> }).annotations ?? {};
        return `${n} state=${annotations['aksguard.io/reboot-state'] ?? '-'} boot=${this.bootId(n)} events=${this.events(n).join(',')}`;
      })
      .join('; ');
  }

  /** A node is finished when its reboot was verified: state cleared, not waiting for a reboot, new boot ID. */
  verified(name: string): boolean {
    const node = this.node(name);
    const annotations = (node.metadata as { annotations?: Record<string, string> }).annotations ?? {};
    return (
      annotations['aksguard.io/reboot-state'] === undefined &&
      annotations['aksguard.io/reboot-required-since'] === undefined &&
      this.bootId(name) !== `${name}-boot-1`
    );
  }

  bootId(name: string): string {
    return String(((this.node(name).status as Record<string, unknown>).nodeInfo as Record<string, unknown>).bootID);
  }

  unschedulable(name: string): boolean {
    return ((this.node(name).spec ?? {}) as { unschedulable?: boolean }).unschedulable === true;
  }

  events(name: string): string[] {
    return this.kube.store
      .list(this.type('Event'))
      .filter((e) => (e.involvedObject as { name?: string }).name === name)
      .map((e) => String(e.reason));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    const running = [...this.running.values()];
    for (const r of running) r.kill();
    await Promise.all(running.map(async (r) => r.daemon.stop().catch(() => undefined)));
    await Promise.all(running.map((r) => r.done));
    await this.kube.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- the cluster --------------------------------------------------------------------------------------

  private type(kind: string, apiVersion = 'v1') {
    const type = this.kube.store.types.byKind(apiVersion, kind);
    if (!type) throw new Error(`no type ${kind}`);
    return type;
  }

  private seedCluster(): void {
    const { store } = this.kube;
    store.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
    this.names.forEach((name, i) => {
      store.seed({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          labels: {
            'kubernetes.azure.com/agentpool': this.poolOf(i),
            'topology.kubernetes.io/zone': `westeurope-${this.config.zones[Math.floor(i / this.config.pools.length) % this.config.zones.length]}`,
            'kubernetes.azure.com/node-image-version': 'AKSUbuntu-2204gen2containerd-202511.03.0',
            'kubernetes.io/os': 'linux',
          },
          annotations: {},
        },
        spec: this.config.preCordoned.includes(name) ? { unschedulable: true } : {},
        status: {
          conditions: [{ type: 'Ready', status: 'True' }],
          nodeInfo: { bootID: `${name}-boot-1`, kubeletVersion: 'v1.33.2' },
        },
      });
      this.reboots.set(name, 0);
      this.seedPod(name, `ds-${name}`, { app: 'node-agent' }, 'DaemonSet');
      this.seedPod(name, `static-${name}`, { app: 'static' }, undefined, true);
    });
    // Workloads spread over the nodes; `api` and `db` have PodDisruptionBudgets allowing one pod down.
    const apps = [
      ['api', 9, 8],
      ['db', 6, 5],
      ['web', 15, undefined],
    ] as const;
    let n = 0;
    for (const [app, replicas, minAvailable] of apps) {
      for (let r = 0; r < replicas; r++)
        this.seedPod(this.names[n++ % this.names.length] as string, `${app}-${r}`, { app });
      if (minAvailable !== undefined) {
        store.seed({
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: app, namespace: 'default' },
          spec: { minAvailable, selector: { matchLabels: { app } } },
        });
      }
    }
  }

  private seedPod(
    node: string,
    name: string,
    labels: Record<string, string>,
    owner = 'ReplicaSet',
    mirror = false,
  ): void {
    this.kube.store.seed({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'default',
        labels,
        ...(mirror ? { annotations: { 'kubernetes.io/config.mirror': 'x' } } : {}),
        ...(mirror
          ? {}
          : { ownerReferences: [{ kind: owner, name: `${labels.app}-owner`, apiVersion: 'apps/v1', uid: 'u' }] }),
      },
      spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }] },
      status: { phase: 'Running' },
    });
  }

  /** Deleted ReplicaSet pods come back on another schedulable, Ready node, as a controller would do. */
  private reschedule(pod: StoredObject): void {
    const metadata = pod.metadata as { labels?: Record<string, string>; ownerReferences?: { kind: string }[] };
    if (metadata.ownerReferences?.[0]?.kind !== 'ReplicaSet') return;
    this.later(this.config.rescheduleMs, () => {
      const candidates = this.nodes().filter((n) => {
        const ready = ((n.status as { conditions?: { type: string; status: string }[] }).conditions ?? []).some(
          (c) => c.type === 'Ready' && c.status === 'True',
        );
        return ready && !((n.spec ?? {}) as { unschedulable?: boolean }).unschedulable;
      });
      const target = candidates[Math.floor(this.random() * candidates.length)];
      if (!target) return;
      const app = metadata.labels?.app ?? 'x';
      this.seedPod(String((target.metadata as { name: string }).name), `${app}-r${++this.podCounter}`, { app });
    });
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) run();
    }, ms);
    this.timers.add(timer);
  }

  // ---- the daemons --------------------------------------------------------------------------------------

  private startDaemon(name: string): void {
    const access = loadKubeconfig({ path: this.kubeconfig, env: {} });
    const { ops, kill } = killable(new KubeOps(access.config));
    const options = parseDaemonOptions(
      [
        '--node-name',
        name,
        '--reboot-sentinel',
        this.sentinelPath(name),
        '--concurrency',
        String(this.config.concurrency),
        '--max-unavailable-per-pool',
        String(this.config.perPool),
        '--start-time',
        '0:00',
        '--end-time',
        '0:00',
        ...this.config.flags,
      ],
      {},
    );
    const rebooter: Rebooter = { reboot: async () => this.reboot(name) };
    const daemon = new RebootDaemon(options, {
      ops,
      clock: systemClock,
      sentinel: new FileSentinel(this.sentinelPath(name)),
      rebooter,
      window: dailyWindow({ days: options.rebootDays, startTime: '0:00', endTime: '0:00', timeZone: 'UTC' }),
      log: pino({ level: process.env.SIM_LOG ?? 'silent', base: { node: name } }),
      metrics: new RebootMetrics(name),
      fetch: globalThis.fetch,
      tuning: this.config.tuning,
    });
    const done = daemon.run().catch(() => undefined);
    this.running.set(name, { daemon, kill, done });
  }

  /** The process dies: no cleanup, no slot release, in-flight calls lost. */
  private killDaemon(name: string): void {
    const running = this.running.get(name);
    if (!running) return;
    this.running.delete(name);
    running.kill();
    void running.daemon.stop().catch(() => undefined);
  }

  private reboot(name: string): void {
    this.reboots.set(name, (this.reboots.get(name) ?? 0) + 1);
    this.killDaemon(name);
    this.setReady(name, false);
    rmSync(this.sentinelPath(name), { force: true });
    if (name === this.config.deadNode) {
      this.dead.add(name);
      return;
    }
    this.later(this.config.rebootMs, () => {
      this.setBoot(name, `${name}-boot-${(this.reboots.get(name) ?? 0) + 1}`);
      this.setReady(name, true);
      this.startDaemon(name);
    });
  }

  /** The kubelet's side: status changes written straight into the store. */
  private setReady(name: string, ready: boolean): void {
    const node = this.node(name);
    const status = node.status as Record<string, unknown>;
    this.kube.store.seed({
      ...node,
      status: { ...status, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
    });
  }

  private setBoot(name: string, bootID: string): void {
    const node = this.node(name);
    const status = node.status as Record<string, unknown>;
    this.kube.store.seed({
      ...node,
      status: { ...status, nodeInfo: { ...(status.nodeInfo as object), bootID } },
    });
  }

  // ---- faults and the timeline --------------------------------------------------------------------------

  private injectFaults(): void {
    const random = this.random;
    const isWatch = (url: URL) => url.searchParams.get('watch') === 'true';
    this.kube.faults.push(
      { when: ({ url }) => !isWatch(url) && random() < 0.03, status: 500, message: 'injected: etcd timeout' },
      { method: 'PUT', path: /\/leases\//, when: () => random() < 0.05, status: 409, message: 'injected conflict' },
      { when: ({ url }) => !isWatch(url) && random() < 0.05, delayMs: 40 },
    );
    const drop = () => {
      this.kube.dropWatches();
      this.later(700 + Math.floor(random() * 600), drop);
    };
    this.later(500, drop);
  }

  /** Whether a node counts as in drain/reboot: its recorded phase is active and it is alive or still holds a live slot. */
  private activeNodes(): StoredObject[] {
    const now = Date.now();
    const liveHolders = new Set(
      Array.from({ length: this.config.concurrency }, (_, i) => this.lease(i))
        .filter((l) => isLive(l, now))
        .map((l) => l?.holder),
    );
    return this.nodes().filter((n) => {
      const name = String((n.metadata as { name: string }).name);
      const state = readState(
        ((n.metadata as { annotations?: Record<string, string> }).annotations ?? {}) as Record<string, string>,
      );
      return isActive(state) && (!this.dead.has(name) || liveHolders.has(name));
    });
  }

  private recordTimeline(): void {
    const { store } = this.kube;
    const pool = (n: StoredObject) =>
      (n.metadata as { labels: Record<string, string> }).labels['kubernetes.azure.com/agentpool'];
    this.kube.routes.unshift({
      name: 'eviction-spy',
      method: 'POST',
      matches: (c) => {
        if (c.target?.type.resource === 'pods' && c.target.subresource === 'eviction')
          this.onEvictionRequest(c.target.name as string);
        return false;
      },
      handle: () => ({ body: {} }),
    });
    store.subscribe((event) => {
      const now = Date.now();
      if (event.resourceType.kind === 'Pod' && event.type === 'DELETED') {
        const metadata = event.object.metadata as { namespace: string; name: string };
        const evicted = this.kube.evictions.some((e) => e.namespace === metadata.namespace && e.name === metadata.name);
        if (!evicted) this.unevictedDeletions.push(`${metadata.namespace}/${metadata.name}`);
        const nodeName = String((event.object.spec as { nodeName?: string }).nodeName);
        const phase = readState(
          ((this.node(nodeName).metadata as { annotations?: Record<string, string> }).annotations ?? {}) as Record<
            string,
            string
          >,
        )?.phase;
        if (phase !== 'draining')
          this.violations.push({ at: now, what: `pod ${metadata.name} evicted from ${nodeName} in phase ${phase}` });
        this.reschedule(event.object);
      }
      if (event.resourceType.kind !== 'Node' && event.resourceType.kind !== 'Lease') return;
      const active = this.activeNodes();
      this.maxActive.total = Math.max(this.maxActive.total, active.length);
      if (active.length > this.config.concurrency) {
        this.violations.push({ at: now, what: `${active.length} nodes in drain/reboot` });
      }
      const perPool = new Map<string, number>();
      for (const n of active) perPool.set(pool(n) as string, (perPool.get(pool(n) as string) ?? 0) + 1);
      for (const [p, count] of perPool) {
        this.maxActive.perPool = Math.max(this.maxActive.perPool, count);
        if (count > this.config.perPool)
          this.violations.push({ at: now, what: `${count} nodes of pool ${p} in drain/reboot` });
      }
      if (event.resourceType.kind === 'Node') {
        const name = String((event.object.metadata as { name: string }).name);
        if (
          this.config.preCordoned.includes(name) &&
          !((event.object.spec ?? {}) as { unschedulable?: boolean }).unschedulable
        ) {
          this.violations.push({ at: now, what: `pre-cordoned ${name} was uncordoned` });
        }
      }
    });
  }

  private onEvictionRequest(podName: string): void {
    const target = this.config.killMidDrain;
    if (!target || this.killedMidDrain) return;
    const pod = this.kube.store.list(this.type('Pod')).find((p) => (p.metadata as { name: string }).name === podName);
    if ((pod?.spec as { nodeName?: string } | undefined)?.nodeName !== target) return;
    this.killedMidDrain = true;
    this.killDaemon(target);
    this.later(this.config.restartMs, () => this.startDaemon(target));
  }
}
