/**
 * A simulated AKS cluster for the reboot daemon: the fake API server holds the nodes, pods, PodDisruptionBudgets
 * and the Lease; every node runs the real daemon code in-process (`RebootDaemon` on `KubeOps`, a real sentinel
 * file watched with fs.watch) with its own identity, token, pod and clock. A node's reboot kills its daemons as a
 * real reboot kills the pod's processes, turns the node NotReady, clears its sentinel, and after its reboot time
 * brings it back Ready with a new bootID and the same pod's daemon. A small ReplicaSet controller recreates
 * evicted pods on other schedulable nodes.
 *
 * The safety invariants (REBOOT.md) are checked by `Invariants` from the fake API server's own objects at every
 * change its store makes and at every eviction request and reboot — never from what the daemons believe — and
 * `until()` fails at the first violation.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { RebootDaemon, type Tuning } from '../../src/reboot/daemon.js';
import { parseDaemonOptions } from '../../src/reboot/flags.js';
import { KubeOps } from '../../src/reboot/kube-ops.js';
import { RebootMetrics } from '../../src/reboot/metrics.js';
import type { Clock, NodeOps, Rebooter } from '../../src/reboot/ports.js';
import { systemClock } from '../../src/reboot/ports.js';
import { FileSentinel } from '../../src/reboot/sentinel.js';
import type { RebootWindow } from '../../src/reboot/window.js';
import { FakeKube, type StoredObject } from './fake-kube/index.js';
import { Invariants } from './reboot-invariants.js';

export const NAMESPACE = 'kube-system';
/** --reboot-timeout in the simulation, in --lock-ttl: shorter than the longest reboots dealt. */
export const REBOOT_TIMEOUT_TTLS = 5;
const IMAGE_LABEL = 'kubernetes.azure.com/node-image-version';
const IMAGE = 'AKSUbuntu-2204gen2containerd-202511.03.0';

export type Phase = 'admitted' | 'draining' | 'rebooting' | 'verifying';

export interface SimConfig {
  readonly nodes: number;
  readonly pools: readonly string[];
  readonly zones: readonly string[];
  readonly concurrency: number;
  readonly perPool: number;
  readonly perZone?: number;
  readonly seed: number;
  readonly lockTtlMs: number;
  readonly renewMs: number;
  readonly periodMs: number;
  /** Reboot times as multiples of --lock-ttl, dealt to the nodes in a seeded order from a seeded rung. */
  readonly rebootTimes: readonly number[];
  /** Background faults: API 500s, Lease 409s, latency, dropped watches. */
  readonly faults: boolean;
  /** Every Lease write waits a random 0..N ms (writes race and land in any order); in every scenario by default. */
  readonly leaseLatencyMs: number;
  /** Some writes are applied and their answers lost. */
  readonly lostResponses: boolean;
  /** Watches go silent now and then (open, no events). */
  readonly stallWatches: boolean;
  /** Each daemon's wall clock is off by one of these (dealt in turn). */
  readonly skewMs: readonly number[];
  /** Nodes whose reboot never completes: NotReady for good, no daemon. */
  readonly dead: readonly string[];
  /** Nodes needing a reboot from the start; undefined = all. */
  readonly sentinels?: readonly string[];
  /** Nodes with a single-replica pod whose PodDisruptionBudget allows no eviction (until `releaseBudget`). */
  readonly stuckBudgets: readonly string[];
  /** Nodes with a pod stuck Terminating. */
  readonly stuckTerminating: readonly string[];
  /** Daemons killed when their node reaches a phase, restarted after `restartMs` (in a new pod if `newPod`). */
  readonly kills: readonly { readonly node: string; readonly at: Phase; readonly newPod?: boolean }[];
  /** Nodes that run a second daemon pod from the start. */
  readonly twoPods: readonly string[];
  /** Flag the evictions of a holder whose heartbeat writes failed for --lock-ttl minus two renewal intervals. */
  readonly checkFencing: boolean;
  /** Post notifications to a webhook the simulation serves. */
  readonly webhook: boolean;
  readonly restartMs: number;
  readonly rescheduleMs: number;
  readonly flags: readonly string[];
  readonly tuning: Partial<Tuning>;
}

export const DEFAULT_SIM: SimConfig = {
  nodes: 4,
  pools: ['a', 'b'],
  zones: ['1', '2', '3'],
  concurrency: 2,
  perPool: 1,
  seed: 1,
  lockTtlMs: 3000,
  renewMs: 600,
  periodMs: 3000,
  rebootTimes: [0.1, 0.3, 1, 3, 10],
  faults: false,
  leaseLatencyMs: 60,
  lostResponses: false,
  stallWatches: false,
  skewMs: [0],
  dead: [],
  stuckBudgets: [],
  stuckTerminating: [],
  kills: [],
  twoPods: [],
  checkFencing: false,
  webhook: false,
  restartMs: 100,
  rescheduleMs: 30,
  flags: [],
  tuning: { backoffMs: 50, backoffMaxMs: 300, pollMs: 30, retryMs: 100, rebootWaitMs: 60_000 },
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
  readonly metrics: RebootMetrics;
  readonly kill: () => void;
  readonly done: Promise<void>;
}

interface Pod {
  readonly name: string;
  readonly uid: string;
}

export class Simulation {
  readonly names: string[];
  readonly reboots = new Map<string, number>();
  readonly invariants: Invariants;
  /** Notifications posted to the webhook, as parsed JSON. */
  readonly notifications: Record<string, unknown>[] = [];
  /** Daemons killed by `kills`, by node and phase. */
  readonly killed: string[] = [];
  /** How long each node's reboot takes (ms). */
  readonly rebootMs = new Map<string, number>();
  private readonly pods = new Map<string, Pod[]>();
  private readonly running = new Map<string, Running>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly hooks: { node: string; phase: Phase; run: () => void }[] = [];
  private readonly random: () => number;
  private readonly dir: string;
  private webhook: Server | undefined;
  private webhookUrl = '';
  private stopped = false;
  private podCounter = 0;
  private daemonCounter = 0;
  windowOpen = true;
  private windowOpenedAt = Date.now() - 3_600_000;

  private constructor(
    readonly kube: FakeKube,
    readonly config: SimConfig,
  ) {
    this.random = seeded(config.seed);
    this.dir = mkdtempSync(join(tmpdir(), 'aksguard-sim-'));
    this.names = Array.from({ length: config.nodes }, (_, i) => `aks-${this.poolOf(i)}-${i}`);
    this.invariants = new Invariants(kube, {
      namespace: NAMESPACE,
      concurrency: config.concurrency,
      perPool: config.perPool,
      perZone: config.perZone,
      // REBOOT.md: no eviction --lock-ttl minus two renewal intervals after the last heartbeat, plus one interval for an
      // eviction already on its way.
      fenceMs: config.checkFencing ? config.lockTtlMs - config.renewMs : undefined,
      windowOpen: () => this.windowOpen,
      onPhase: (node, phase) => this.onPhase(node, phase),
      onEviction: (node) => this.onPhase(node, 'draining'),
    });
  }

  static async start(overrides: Partial<SimConfig> = {}): Promise<Simulation> {
    // Plain HTTP: TLS handshakes for every client would dominate the run; the adapter's TLS is tested in test/kube.
    const kube = await FakeKube.start({ http: true });
    const sim = new Simulation(kube, { ...DEFAULT_SIM, ...overrides });
    await sim.serveWebhook();
    sim.seedCluster();
    sim.invariants.attach();
    kube.store.subscribe((event) => {
      if (event.resourceType.kind === 'Pod' && event.type === 'DELETED') sim.reschedule(event.object);
    });
    sim.injectFaults();
    // Seed s deals three rungs of the ladder of reboot times, from rung s-1 up, to the nodes in a seeded order:
    // seeds 1, 2, 3 together cover the whole ladder (0.1× to 10×), and each run stays short but one.
    const order = sim.names.map((n) => ({ n, r: sim.random() })).sort((a, b) => a.r - b.r);
    const times = sim.config.rebootTimes;
    const first = times.length > 3 ? (sim.config.seed - 1) % (times.length - 2) : 0;
    const rungs = times.slice(first, first + 3);
    order.forEach(({ n }, i) => {
      sim.rebootMs.set(n, (rungs[i % rungs.length] as number) * sim.config.lockTtlMs);
    });
    for (const name of sim.names) {
      mkdirSync(join(sim.dir, name), { recursive: true });
      sim.startDaemons(name);
    }
    await sim.until(() => sim.ready(), 30_000);
    // Patches land on nodes at different moments: the sentinels appear a few milliseconds apart, in seeded order.
    order.forEach(({ n }, i) => {
      if (!sim.config.sentinels || sim.config.sentinels.includes(n)) sim.later(i * 20, () => sim.requireReboot(n));
    });
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

  annotations(name: string): Record<string, string> {
    return (this.node(name).metadata as { annotations?: Record<string, string> }).annotations ?? {};
  }

  /** Rebooted, verified and released: state cleared, no longer waiting, a new boot ID, no slot held. */
  verified(name: string): boolean {
    const annotations = this.annotations(name);
    return (
      annotations['aksguard.io/reboot-state'] === undefined &&
      annotations['aksguard.io/reboot-required-since'] === undefined &&
      this.bootId(name) !== `${name}-boot-1` &&
      !this.holders().includes(name)
    );
  }

  /** The nodes the Lease names as holders. */
  holders(): string[] {
    const type = this.type('Lease', 'coordination.k8s.io/v1');
    return this.kube.store
      .list(type, NAMESPACE)
      .flatMap((l) => String((l.spec as { holderIdentity?: string } | undefined)?.holderIdentity ?? '').split(','))
      .filter(Boolean);
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

  /** The node's daemons' metrics (Prometheus text). */
  async metrics(node: string): Promise<string> {
    const mine = [...this.running].filter(([key]) => key.startsWith(`${node}/`)).map(([, r]) => r);
    return (await Promise.all(mine.map((r) => r.metrics.registry.metrics()))).join('\n');
  }

  /** Resolves when `done()` holds; rejects at the first invariant violation, or after `timeoutMs`. */
  async until(done: () => boolean, timeoutMs: number): Promise<void> {
    const start = Date.now();
    for (;;) {
      const violation = this.invariants.violations[0];
      if (violation) throw new Error(`invariant violated at +${violation.at - start} ms: ${violation.what}`);
      if (done()) return;
      if (Date.now() - start > timeoutMs)
        throw new Error(`simulation did not settle within ${timeoutMs} ms: ${this.describePending()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** The nodes not yet verified, with their recorded state and events, for a failure message. */
  describePending(): string {
    return this.names
      .filter((n) => this.kube.store.list(this.type('Node')).some((o) => name(o) === n) && !this.verified(n))
      .map(
        (n) =>
          `${n} state=${this.annotations(n)['aksguard.io/reboot-state'] ?? '-'} boot=${this.bootId(n)} events=${this.events(n).join(',')}`,
      )
      .join('; ');
  }

  /** Runs `run` after `ms`, unless the simulation stopped. */
  later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) run();
    }, ms);
    this.timers.add(timer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    const running = [...this.running.values()];
    this.running.clear();
    for (const r of running) r.kill();
    await Promise.all(running.map(async (r) => r.daemon.stop().catch(() => undefined)));
    await Promise.all(running.map((r) => r.done));
    await this.kube.close();
    await new Promise((resolve) => (this.webhook ? this.webhook.close(resolve) : resolve(undefined)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- what operators, AKS and the kubelet do --------------------------------------------------------------

  /** An operator (or an AKS upgrade) cordons a node; `accepted` adds `aksguard.io/ignore-cordon: "true"`. */
  cordon(node: string, accepted = false): void {
    this.invariants.operatorCordoned.add(node);
    this.patchNode(node, (n) => ({
      ...n,
      spec: { ...(n.spec as object), unschedulable: true },
      metadata: withAnnotations(n, accepted ? { 'aksguard.io/ignore-cordon': 'true' } : {}),
    }));
  }

  uncordon(node: string): void {
    this.invariants.operatorCordoned.delete(node);
    this.patchNode(node, (n) => ({ ...n, spec: { ...(n.spec as object), unschedulable: false } }));
  }

  /** Sets (or with undefined removes) the `aksguard.io/reboot-blocked` annotation. */
  block(node: string, why: string | undefined): void {
    this.patchNode(node, (n) => ({ ...n, metadata: withAnnotations(n, { 'aksguard.io/reboot-blocked': why }) }));
  }

  /** An AKS surge node joins the pool on a new node image (an upgrade rolls through it). */
  addSurgeNode(pool: string): string {
    const surge = `aks-${pool}-surge`;
    this.seedNode(surge, pool, '1', 'AKSUbuntu-2204gen2containerd-202512.01.0');
    return surge;
  }

  deleteNode(node: string): void {
    this.kube.store.delete(this.type('Node'), undefined, node);
  }

  /** The PodDisruptionBudget of a stuck-budget node's pod is removed: its drain can finish. */
  releaseBudget(node: string): void {
    const type = this.type('PodDisruptionBudget', 'policy/v1');
    this.kube.store.delete(type, 'default', `hold-${node}`);
  }

  setWindow(open: boolean): void {
    if (open && !this.windowOpen) this.windowOpenedAt = Date.now();
    this.windowOpen = open;
    this.invariants.windowChanged(open);
  }

  /** The daemon process(es) of a node die (no cleanup); with `newPod`, the pod is replaced by a new one. */
  killDaemons(node: string, newPod = false): void {
    const running = [...this.running].filter(([key]) => key.startsWith(`${node}/`));
    for (const [key, r] of running) {
      this.running.delete(key);
      r.kill();
      void r.daemon.stop().catch(() => undefined);
    }
    if (newPod) {
      for (const pod of this.pods.get(node) ?? []) this.kube.store.delete(this.type('Pod'), NAMESPACE, pod.name);
      this.pods.set(node, []);
      this.seedDaemonPod(node);
    }
  }

  /** Starts a daemon in each of the node's daemon pods. */
  startDaemons(node: string): void {
    for (const pod of this.pods.get(node) ?? []) this.startDaemon(node, pod);
  }

  // ---- the cluster --------------------------------------------------------------------------------------

  private type(kind: string, apiVersion = 'v1') {
    const type = this.kube.store.types.byKind(apiVersion, kind);
    if (!type) throw new Error(`no type ${kind}`);
    return type;
  }

  private patchNode(node: string, change: (n: StoredObject) => StoredObject): void {
    this.kube.store.seed(change(this.node(node)));
  }

  private seedNode(name: string, pool: string, zone: string, image = IMAGE): void {
    this.kube.store.seed({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.azure.com/agentpool': pool,
          'topology.kubernetes.io/zone': `westeurope-${zone}`,
          [IMAGE_LABEL]: image,
          'kubernetes.io/os': 'linux',
        },
        annotations: {},
      },
      spec: {},
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        nodeInfo: { bootID: `${name}-boot-1`, kubeletVersion: 'v1.33.2' },
      },
    });
  }

  private seedCluster(): void {
    const { store } = this.kube;
    store.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    this.names.forEach((name, i) => {
      const zone = this.config.zones[Math.floor(i / this.config.pools.length) % this.config.zones.length] as string;
      this.seedNode(name, this.poolOf(i), zone);
      this.reboots.set(name, 0);
      this.pods.set(name, []);
      this.seedDaemonPod(name);
      if (this.config.twoPods.includes(name)) this.seedDaemonPod(name);
      this.seedPod(name, `static-${name}`, { app: 'static' }, undefined, true);
    });
    // Workloads spread over the nodes; `api` has a PodDisruptionBudget allowing one pod down.
    let n = 0;
    for (const [app, replicas] of [
      ['api', this.names.length],
      ['web', this.names.length],
    ] as const) {
      for (let r = 0; r < replicas; r++)
        this.seedPod(this.names[n++ % this.names.length] as string, `${app}-${r}`, { app });
    }
    this.seedBudget('api', this.names.length - 1);
    for (const node of this.config.stuckBudgets) {
      this.seedPod(node, `hold-${node}`, { app: `hold-${node}` });
      this.seedBudget(`hold-${node}`, 1);
    }
    for (const node of this.config.stuckTerminating) {
      this.seedPod(node, `stuck-${node}`, { app: 'stuck' }, 'ReplicaSet', false, new Date().toISOString());
    }
  }

  private seedBudget(app: string, minAvailable: number): void {
    this.kube.store.seed({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: app, namespace: 'default' },
      spec: { minAvailable, selector: { matchLabels: { app } } },
    });
  }

  private seedDaemonPod(node: string): void {
    const name = `aksguard-reboot-daemon-${node}-${++this.daemonCounter}`;
    this.kube.store.seed({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: NAMESPACE,
        labels: { 'app.kubernetes.io/name': 'aksguard-reboot-daemon' },
        ownerReferences: [{ kind: 'DaemonSet', name: 'aksguard-reboot-daemon', apiVersion: 'apps/v1', uid: 'ds' }],
      },
      spec: { nodeName: node, containers: [{ name: 'reboot-daemon', image: 'aksguard' }] },
      status: { phase: 'Running' },
    });
    const uid = String((this.kube.store.get(this.type('Pod'), NAMESPACE, name).metadata as { uid: string }).uid);
    this.pods.get(node)?.push({ name, uid });
  }

  private seedPod(
    node: string,
    name: string,
    labels: Record<string, string>,
    owner = 'ReplicaSet',
    mirror = false,
    deletionTimestamp?: string,
  ): void {
    this.kube.store.seed({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'default',
        labels,
        ...(deletionTimestamp ? { deletionTimestamp, finalizers: ['example.com/stuck'] } : {}),
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
  reschedule(pod: StoredObject): void {
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
      this.seedPod(name(target), `${app}-r${++this.podCounter}`, { app });
    });
  }

  private async serveWebhook(): Promise<void> {
    if (!this.config.webhook) return;
    this.webhook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        this.notifications.push(JSON.parse(body) as Record<string, unknown>);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.webhook?.listen(0, '127.0.0.1', resolve));
    this.webhookUrl = `http://127.0.0.1:${(this.webhook.address() as AddressInfo).port}/hook`;
  }

  // ---- the daemons --------------------------------------------------------------------------------------

  private startDaemon(node: string, pod: Pod): void {
    const key = `${node}/${pod.uid}`;
    if (this.running.has(key) || this.stopped) return;
    const { ops, kill } = killable(new KubeOps(this.kubeConfigFor(node)));
    const c = this.config;
    const options = parseDaemonOptions(
      [
        ...['--node-name', node, '--namespace', NAMESPACE, '--pod-name', pod.name, '--pod-uid', pod.uid],
        ...['--reboot-sentinel', this.sentinelPath(node), '--concurrency', String(c.concurrency)],
        ...['--max-unavailable-per-pool', String(c.perPool)],
        ...(c.perZone ? ['--max-unavailable-per-zone', String(c.perZone)] : []),
        ...['--lock-ttl', `${c.lockTtlMs}ms`, '--lock-renew-interval', `${c.renewMs}ms`, '--period', `${c.periodMs}ms`],
        // The longest reboots (10× --lock-ttl) outlast every timeout: they are reported overdue, and come back.
        ...['--reboot-timeout', `${REBOOT_TIMEOUT_TTLS * c.lockTtlMs}ms`],
        ...(this.webhookUrl ? ['--notify-url', this.webhookUrl] : []),
        ...c.flags,
      ],
      {},
    );
    const skew = c.skewMs[this.names.indexOf(node) % c.skewMs.length] ?? 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + skew };
    const rebooter: Rebooter = { reboot: async () => this.reboot(node) };
    const metrics = new RebootMetrics(node);
    const daemon = new RebootDaemon(options, {
      ops,
      clock,
      sentinel: new FileSentinel(this.sentinelPath(node)),
      rebooter,
      window: this.windowFor(skew),
      log: pino({ level: process.env.SIM_LOG ?? 'silent', base: { node, pod: pod.name } }),
      metrics,
      fetch: globalThis.fetch,
      tuning: c.tuning,
    });
    const done = daemon.run().catch(() => undefined);
    this.running.set(key, { daemon, metrics, kill, done });
  }

  /**
   * What a daemon's kubeconfig would hold, built in memory (parsing a file per daemon start costs more than the
   * rest of its start). Each daemon has a token of its own, so a fault can pick one daemon's requests.
   */
  private kubeConfigFor(node: string): KubeConfig {
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'sim', server: this.kube.url, skipTLSVerify: true }],
      users: [{ name: node, token: tokenOf(node) }],
      contexts: [{ name: 'sim', cluster: 'sim', user: node }],
      currentContext: 'sim',
    });
    return config;
  }

  /** The simulation's window, in the frame of a daemon's (skewed) clock. */
  private windowFor(skew: number): RebootWindow {
    return {
      openAt: () => this.windowOpen,
      openedAt: () => (this.windowOpen ? this.windowOpenedAt + skew : undefined),
      describe: () => 'the simulated window',
    };
  }

  private reboot(node: string): void {
    this.invariants.onReboot(node);
    this.reboots.set(node, (this.reboots.get(node) ?? 0) + 1);
    this.killDaemons(node);
    this.setReady(node, false);
    rmSync(this.sentinelPath(node), { force: true });
    if (this.config.dead.includes(node)) return;
    this.later(this.rebootMs.get(node) ?? this.config.lockTtlMs, () => {
      if (!this.nodes().some((n) => name(n) === node)) return;
      this.setBoot(node, `${node}-boot-${(this.reboots.get(node) ?? 0) + 1}`);
      this.setReady(node, true);
      this.startDaemons(node);
    });
  }

  /** The kubelet's side: status changes written straight into the store. */
  private setReady(node: string, ready: boolean): void {
    this.patchNode(node, (n) => ({
      ...n,
      status: { ...(n.status as object), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
    }));
  }

  private setBoot(node: string, bootID: string): void {
    this.patchNode(node, (n) => {
      const status = n.status as Record<string, unknown>;
      return { ...n, status: { ...status, nodeInfo: { ...(status.nodeInfo as object), bootID } } };
    });
  }

  /** Runs `run` (once) when `node` reaches `phase`: a scenario's fault at the right moment. */
  when(node: string, phase: Phase, run: () => void): void {
    this.hooks.push({ node, phase, run });
  }

  /** `kills`: a daemon dies when its node reaches the phase, and comes back after `restartMs`. */
  private onPhase(node: string, phase: Phase): void {
    for (const hook of this.hooks.filter((h) => h.node === node && h.phase === phase)) {
      this.hooks.splice(this.hooks.indexOf(hook), 1);
      hook.run();
    }
    const kill = this.config.kills.find((k) => k.node === node && k.at === phase);
    if (!kill || this.killed.includes(`${node}:${phase}`)) return;
    this.killed.push(`${node}:${phase}`);
    this.killDaemons(node, kill.newPod);
    this.later(this.config.restartMs, () => this.startDaemons(node));
  }

  // ---- faults -------------------------------------------------------------------------------------------

  private injectFaults(): void {
    const { random, config: c, kube } = this;
    const isWatch = (url: URL) => url.searchParams.get('watch') === 'true';
    const leaseWrite = /\/leases/;
    if (c.leaseLatencyMs > 0) {
      kube.faults.push({
        path: leaseWrite,
        when: ({ method }) => method === 'PUT' || method === 'POST',
        delayMs: () => Math.floor(random() * c.leaseLatencyMs),
      });
    }
    if (c.lostResponses) {
      kube.faults.push({ when: ({ method }) => method !== 'GET' && random() < 0.08, lose: true });
    }
    if (c.faults) {
      kube.faults.push(
        { when: ({ url }) => !isWatch(url) && random() < 0.03, status: 500, message: 'injected: etcd timeout' },
        { method: 'PUT', path: leaseWrite, when: () => random() < 0.05, status: 409, message: 'injected conflict' },
        { when: ({ url }) => !isWatch(url) && random() < 0.05, delayMs: () => Math.floor(random() * 30) },
      );
      const drop = () => {
        kube.dropWatches();
        this.later(400 + Math.floor(random() * 400), drop);
      };
      this.later(300, drop);
    }
    if (c.stallWatches) {
      const stall = (on: boolean) => {
        kube.stallWatches(on);
        this.later(on ? 300 + Math.floor(random() * 500) : 200 + Math.floor(random() * 300), () => stall(!on));
      };
      this.later(100, () => stall(true));
    }
  }

  /** A fault on one daemon's requests only (by its token). */
  faultFor(node: string, fault: Omit<Parameters<FakeKube['faults']['push']>[0], 'when'> & { when?: () => boolean }) {
    const { when, ...rest } = fault;
    this.kube.faults.unshift({
      ...rest,
      when: ({ headers }) => headers.authorization === `Bearer ${tokenOf(node)}` && (when?.() ?? true),
    });
  }
}

const tokenOf = (node: string) => `daemon-${node}`;
const name = (object: StoredObject) => String((object.metadata as { name: string }).name);

function withAnnotations(node: StoredObject, changes: Record<string, string | undefined>): Record<string, unknown> {
  const metadata = node.metadata as { annotations?: Record<string, string> };
  const annotations = { ...metadata.annotations };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete annotations[key];
    else annotations[key] = value;
  }
  return { ...metadata, annotations };
}
