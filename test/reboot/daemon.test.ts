import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IGNORE_CORDON, REBOOT_REQUIRED_SINCE, REBOOT_STATE } from '../../src/model/reboot-annotations.js';
import { aksUpgrade, blockers } from '../../src/reboot/blockers.js';
import { RebootDaemon } from '../../src/reboot/daemon.js';
import { parseDaemonOptions } from '../../src/reboot/flags.js';
import { type Holder, LOCK_NAME, readHolders } from '../../src/reboot/lease.js';
import { RebootMetrics } from '../../src/reboot/metrics.js';
import type { Clock, NodeInfo } from '../../src/reboot/ports.js';
import { type RebootState, readState, writeState } from '../../src/reboot/state.js';
import { dailyWindow } from '../../src/reboot/window.js';
import { FlagSentinel, MemoryCluster, MemoryRebooter, VirtualClock } from '../support/memory-ops.js';

// Wednesday 2026-03-04 10:00 UTC.
const WEDNESDAY_10 = Date.parse('2026-03-04T10:00:00Z');
const POOL = 'kubernetes.azure.com/agentpool';
const ZONE = 'topology.kubernetes.io/zone';
const NS = 'kube-system';

interface Setup {
  cluster?: MemoryCluster;
  clock?: VirtualClock;
  /** The daemon's wall clock is this much ahead of the others' (its monotonic clock is not). */
  skewMs?: number;
  sentinel?: FlagSentinel;
  rebooter?: { sentinelStays?: boolean; noop?: boolean };
  node?: Partial<NodeInfo>;
  fetch?: typeof fetch;
}

/** One node's daemon on the in-memory cluster; `restart()` is a new process of the same pod, as after a reboot. */
function setup(name: string, args: string[] = [], given: Setup = {}) {
  const cluster = given.cluster ?? new MemoryCluster();
  if (!cluster.nodes.has(name)) cluster.addNode(name, given.node);
  const clock = given.clock ?? new VirtualClock(WEDNESDAY_10);
  const sentinel = given.sentinel ?? new FlagSentinel(true);
  const rebooter = new MemoryRebooter(cluster, name, sentinel, given.rebooter ?? {});
  let pod = { name: `reboot-daemon-${name}`, uid: `${name}-uid-1` };
  cluster.daemonPods.add(`${NS}/${pod.name}/${pod.uid}`);
  let process: ReturnType<VirtualClock['process']> | undefined;
  const start = () => {
    process?.kill();
    process = clock.process();
    const skewed: Clock = { ...process.clock, now: () => clock.now() + (given.skewMs ?? 0) };
    const options = parseDaemonOptions(
      ['--node-name', name, '--namespace', NS, '--pod-name', pod.name, '--pod-uid', pod.uid, ...args],
      {},
    );
    const metrics = new RebootMetrics(name);
    const daemon = new RebootDaemon(options, {
      ops: cluster,
      clock: skewed,
      sentinel,
      rebooter,
      window: dailyWindow({
        days: options.rebootDays,
        startTime: options.startTime,
        endTime: options.endTime,
        timeZone: options.timeZone,
      }),
      log: pino({ level: 'silent' }),
      metrics,
      fetch: given.fetch ?? globalThis.fetch,
    });
    return { daemon, metrics };
  };
  const first = start();
  const t = {
    cluster,
    clock,
    sentinel,
    rebooter,
    daemon: first.daemon,
    metrics: first.metrics,
    /** A new daemon process in the same pod (container restart, or back after the reboot). */
    restart: () => {
      const next = start();
      t.daemon = next.daemon;
      t.metrics = next.metrics;
      return next.daemon;
    },
    /** The pod replaced by a new one (a new uid); the old pod no longer exists. */
    replacePod: () => {
      cluster.daemonPods.delete(`${NS}/${pod.name}/${pod.uid}`);
      pod = { name: `${pod.name}-x`, uid: `${name}-uid-2` };
      cluster.daemonPods.add(`${NS}/${pod.name}/${pod.uid}`);
      return t.restart();
    },
    node: () => cluster.node(name),
    state: () => readState(cluster.node(name).annotations),
    name,
  };
  return t;
}

const holders = (cluster: MemoryCluster): Holder[] => readHolders(cluster.leases.get(LOCK_NAME));
const holderNames = (cluster: MemoryCluster) => holders(cluster).map((h) => h.node);

/** Another node holding a slot, as its daemon would have written it. */
function seedHolder(cluster: MemoryCluster, node: string, extra: Partial<Holder> = {}): void {
  const holder: Holder = {
    node,
    pool: cluster.nodes.get(node)?.labels[POOL] ?? 'pool1',
    zone: cluster.nodes.get(node)?.labels[ZONE] ?? 'z1',
    pod: `reboot-daemon-${node}`,
    uid: `${node}-uid-1`,
    heartbeat: 1,
    ...extra,
  };
  cluster.daemonPods.add(`${NS}/${holder.pod}/${holder.uid}`);
  const others = holders(cluster).filter((h) => h.node !== node);
  const all = [...others, holder];
  cluster.leases.set(LOCK_NAME, {
    name: LOCK_NAME,
    holderIdentity: all.map((h) => h.node).join(','),
    annotations: { 'aksguard.io/reboot-holders': JSON.stringify(all) },
    resourceVersion: `seed-${Math.random()}`,
  });
}

/** A node another daemon is rebooting: its recorded phase, cordoned, and (optionally) down. */
function rebooting(cluster: MemoryCluster, node: string, extra: Partial<NodeInfo> = {}): void {
  const state: RebootState = {
    phase: 'rebooting',
    startedAt: '2026-03-04T09:50:00.000Z',
    preCordoned: false,
    bootIdBefore: `${node}-boot-1`,
    attempt: 1,
    owner: { pod: `reboot-daemon-${node}`, uid: `${node}-uid-1` },
  };
  cluster.setNode(node, {
    unschedulable: true,
    annotations: writeState(state) as Record<string, string>,
    ...extra,
  });
}

describe('reboot daemon: the happy path', () => {
  it('drains through evictions, reboots once, holds its slot through the reboot, then uncordons and releases', async () => {
    const t = setup('n1');
    t.cluster.addPod('n1', 'web-1');
    t.cluster.addPod('n1', 'ds-1', { ownerKinds: ['DaemonSet'] });
    t.cluster.addPod('n1', 'static', { mirror: true });
    t.cluster.addPod('n1', 'done', { finished: true });
    expect(await t.daemon.step()).toBe('rebooted');
    expect(t.rebooter.reboots).toBe(1);
    expect(t.cluster.evictions).toEqual(['default/web-1']);
    expect(t.node().unschedulable).toBe(true);
    expect(t.state()).toMatchObject({
      phase: 'rebooting',
      preCordoned: false,
      bootIdBefore: 'n1-boot-1',
      attempt: 1,
      owner: { pod: 'reboot-daemon-n1', uid: 'n1-uid-1' },
    });
    expect(t.node().annotations[REBOOT_REQUIRED_SINCE]).toBe('2026-03-04T10:00:00.000Z');
    expect(holders(t.cluster)).toEqual([
      expect.objectContaining({ node: 'n1', pool: 'pool1', zone: 'z1', pod: 'reboot-daemon-n1', uid: 'n1-uid-1' }),
    ]);
    expect(t.cluster.leases.get(LOCK_NAME)?.holderIdentity).toBe('n1');
    expect(await t.restart().step()).toBe('verified');
    expect(t.node().unschedulable).toBe(false);
    expect(t.node().annotations[REBOOT_STATE]).toBeUndefined();
    expect(t.node().annotations[REBOOT_REQUIRED_SINCE]).toBeUndefined();
    expect(holders(t.cluster)).toEqual([]);
    expect(t.cluster.leases.get(LOCK_NAME)?.holderIdentity).toBeUndefined();
    expect(t.cluster.reasons('n1')).toEqual(['RebootDrain', 'Rebooting', 'Rebooted']);
    expect(t.rebooter.reboots).toBe(1);
  });

  it('a state write whose answer is lost but which was applied counts as written: the reboot goes ahead', async () => {
    const t = setup('n1');
    const patch = t.cluster.patchNode.bind(t.cluster);
    let lost = 0;
    t.cluster.patchNode = async (name, change) => {
      const written = await patch(name, change);
      if (String(change.annotations?.[REBOOT_STATE] ?? '').includes('"rebooting"') && lost++ === 0) {
        throw new Error('socket hang up');
      }
      return written;
    };
    expect(await t.daemon.step()).toBe('rebooted');
    expect(lost).toBe(1);
    expect(t.rebooter.reboots).toBe(1);
    expect(t.state()).toMatchObject({ phase: 'rebooting', attempt: 1 });
  });

  it('does nothing without a sentinel, and touches no API beyond reading its own node', async () => {
    const t = setup('n1', [], { sentinel: new FlagSentinel(false) });
    expect(await t.daemon.step()).toBe('idle');
    expect([...t.cluster.calls.keys()]).toEqual(['getNode']);
  });

  it('does not report success before the node is Ready again, and keeps the slot meanwhile', async () => {
    const t = setup('n1');
    await t.daemon.step();
    t.cluster.setNode('n1', { ready: false });
    expect(await t.restart().step()).toBe('waiting');
    expect(t.state()?.phase).toBe('rebooting');
    expect(holderNames(t.cluster)).toEqual(['n1']);
  });

  it('sets pre-reboot labels, then swaps them for post-reboot labels', async () => {
    const t = setup('n1', ['--pre-reboot-node-labels', 'rebooting=yes', '--post-reboot-node-labels', 'patched=yes']);
    await t.daemon.step();
    expect(t.node().labels.rebooting).toBe('yes');
    await t.restart().step();
    expect(t.node().labels.rebooting).toBeUndefined();
    expect(t.node().labels.patched).toBe('yes');
  });

  it('--prefer-no-schedule-taint taints the node while it waits and removes the taint once no reboot is needed', async () => {
    const t = setup('n1', ['--prefer-no-schedule-taint', 'example.com/reboot', '--start-time', '22:00'], {
      node: { taints: [{ key: 'other', effect: 'NoSchedule' }] },
    });
    expect(await t.daemon.step()).toBe('blocked');
    expect(t.node().taints).toEqual([
      { key: 'other', effect: 'NoSchedule' },
      { key: 'example.com/reboot', effect: 'PreferNoSchedule' },
    ]);
    t.clock.time = Date.parse('2026-03-04T22:00:00Z');
    expect(await t.daemon.step()).toBe('rebooted');
    expect(await t.restart().step()).toBe('verified');
    expect(await t.daemon.step()).toBe('idle');
    expect(t.node().taints).toEqual([{ key: 'other', effect: 'NoSchedule' }]);
  });
});

describe('gate: window and blockers', () => {
  it('does nothing outside the window: no cordon, no eviction, no slot', async () => {
    const t = setup('n1', ['--start-time', '22:00', '--end-time', '04:00']);
    t.cluster.addPod('n1', 'web-1');
    expect(await t.daemon.step()).toBe('blocked');
    expect(t.node().unschedulable).toBe(false);
    expect(t.cluster.evictions).toEqual([]);
    expect(t.cluster.leases.size).toBe(0);
    // …but it does record that the node waits for a reboot.
    expect(t.node().annotations[REBOOT_REQUIRED_SINCE]).toBeDefined();
    t.clock.time = Date.parse('2026-03-04T22:00:00Z');
    expect(await t.daemon.step()).toBe('rebooted');
  });

  it('is blocked by the node annotation, a matching pod, and an AKS upgrade rolling through the pool', async () => {
    const t = setup('n1', ['--blocking-pod-selector', 'app=backup,tier=db']);
    t.cluster.setNode('n1', { annotations: { 'aksguard.io/reboot-blocked': 'change freeze' } });
    expect(await t.daemon.step()).toBe('blocked');
    t.cluster.setNode('n1', { annotations: {} });
    // One selector, as kured takes it: both labels must match.
    t.cluster.addPod('n1', 'backup-1', { labels: { app: 'backup' } });
    expect(await t.daemon.step()).not.toBe('blocked');
    await t.restart().step();
    t.sentinel.present = true;
    t.cluster.addPod('n1', 'backup-2', { labels: { app: 'backup', tier: 'db' } });
    expect(await t.daemon.step()).toBe('blocked');
    t.cluster.pods = [];
    t.cluster.addNode('n2', { kubeletVersion: 'v1.34.0' });
    expect(await t.daemon.step()).toBe('blocked');
    expect(t.rebooter.reboots).toBe(1);
    expect(t.node().unschedulable).toBe(false);
    const metrics = await t.metrics.registry.getSingleMetricAsString('aksguard_reboot_blocked');
    expect(metrics).toContain('aksguard_reboot_blocked{node="n1",reason="aks-upgrade"} 1');
  });

  it('an AKS upgrade shows as mixed node images or kubelet versions in one pool', () => {
    const node = (image: string, kubelet = 'v1.33.2') =>
      ({
        labels: { 'kubernetes.azure.com/node-image-version': image },
        kubeletVersion: kubelet,
      }) as unknown as NodeInfo;
    expect(aksUpgrade([node('a'), node('a')])).toBeUndefined();
    expect(aksUpgrade([node('a'), node('b')])).toMatch(/node images differ/);
    expect(aksUpgrade([node('a'), node('a', 'v1.34.0')])).toMatch(/kubelet versions differ/);
  });

  describe('Prometheus alerts', () => {
    let url = '';
    let alerts: unknown[] = [];
    let status = 200;
    const server = createServer((request, response) => {
      expect(request.url).toBe('/api/v1/alerts');
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ status: 'success', data: { alerts } }));
    });
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const check = async (firingOnly: boolean, filter?: RegExp, matchOnly = false) => {
      const cluster = new MemoryCluster();
      const node = cluster.addNode('n1');
      const found = await blockers(
        {
          ops: cluster,
          blockingPodSelectors: [],
          prometheusUrl: url,
          alertFilterRegexp: filter,
          alertFiringOnly: firingOnly,
          alertFilterMatchOnly: matchOnly,
          fetch: globalThis.fetch,
        },
        node,
        [node],
      );
      return found.map((b) => b.detail);
    };

    it('blocks on active alerts, minus filtered names, pending ones only without --alert-firing-only', async () => {
      alerts = [
        { labels: { alertname: 'Watchdog' }, state: 'firing' },
        { labels: { alertname: 'HighErrorRate' }, state: 'pending' },
      ];
      expect(await check(false, /^Watchdog$/)).toEqual(['alerts active: HighErrorRate']);
      expect(await check(true, /^Watchdog$/)).toEqual([]);
      expect(await check(true)).toEqual(['alerts active: Watchdog']);
    });

    it('--alert-filter-match-only: only alerts matching the filter block', async () => {
      alerts = [
        { labels: { alertname: 'RebootRequired' }, state: 'firing' },
        { labels: { alertname: 'HighErrorRate' }, state: 'firing' },
      ];
      expect(await check(false, /^RebootRequired$/, true)).toEqual(['alerts active: RebootRequired']);
      expect(await check(false, /^Nothing$/, true)).toEqual([]);
    });

    it('blocks when Prometheus cannot answer: an unknown is not a yes', async () => {
      status = 503;
      expect(await check(false)).toEqual(['Prometheus answered 503']);
      status = 200;
    });
  });
});

describe('lock: unavailable is node state', () => {
  it('a pool-mate cordoned by anyone counts; one whose cordon is accepted (ignore-cordon) does not', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('mate', { unschedulable: true });
    const t = setup('n1', ['--concurrency', '3'], { cluster });
    expect(await t.daemon.step()).toBe('waiting');
    expect(t.node().unschedulable).toBe(false);
    expect(holders(cluster)).toEqual([]);
    cluster.setNode('mate', { annotations: { [IGNORE_CORDON]: 'true' } });
    expect(await t.daemon.step()).toBe('rebooted');
  });

  it('a NotReady node of the pool holds it back, one of another pool does not', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('other-pool', { ready: false, labels: { [POOL]: 'pool2' } });
    cluster.addNode('same-pool', { ready: false });
    const t = setup('n1', ['--concurrency', '3'], { cluster });
    expect(await t.daemon.step()).toBe('waiting');
    cluster.setNode('same-pool', { ready: true });
    expect(await t.daemon.step()).toBe('rebooted');
  });

  it('the asking node never counts against itself: a node cordoned before is rebooted and stays cordoned', async () => {
    const t = setup('n1', [], { node: { unschedulable: true } });
    expect(await t.daemon.step()).toBe('rebooted');
    expect(t.state()?.preCordoned).toBe(true);
    expect(await t.restart().step()).toBe('verified');
    expect(t.node().unschedulable).toBe(true);
  });

  it('a node that came back Ready but is not verified yet still counts, however long that takes', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('mate');
    rebooting(cluster, 'mate', { bootId: 'mate-boot-2' });
    const t = setup('n1', ['--concurrency', '3'], { cluster });
    for (let hour = 0; hour < 3; hour++) {
      expect(await t.daemon.step()).toBe('waiting');
      await t.clock.advance(3_600_000);
    }
  });

  it('--max-unavailable-per-zone counts across pools', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('n2', { labels: { [POOL]: 'pool2', [ZONE]: 'z1' } });
    seedHolder(cluster, 'n2');
    const t = setup('n1', ['--concurrency', '2', '--max-unavailable-per-zone', '1'], { cluster });
    expect(await t.daemon.step()).toBe('waiting');
    expect(holderNames(cluster)).toEqual(['n2']);
    cluster.setNode('n2', { labels: { [POOL]: 'pool2', [ZONE]: 'z2' } });
    seedHolder(cluster, 'n2', { zone: 'z2', heartbeat: 2 });
    expect(await t.daemon.step()).toBe('rebooted');
  });

  it('while live holders fill the limits, a woken waiter reads the Lease only, and every node once a --period', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('mate');
    seedHolder(cluster, 'mate');
    const t = setup('n1', ['--period', '1m'], { cluster });
    expect(await t.daemon.step()).toBe('waiting');
    const lists = cluster.calls.get('listNodes');
    for (let wake = 0; wake < 5; wake++) {
      seedHolder(cluster, 'mate', { heartbeat: wake + 2 });
      expect(await t.daemon.step()).toBe('waiting');
    }
    expect(cluster.calls.get('listNodes')).toBe(lists);
    await t.clock.advance(60_000);
    seedHolder(cluster, 'mate', { heartbeat: 10 });
    expect(await t.daemon.step()).toBe('waiting');
    expect(cluster.calls.get('listNodes')).toBeGreaterThan(lists as number);
  });

  it('--concurrency counts holders and nodes in an active phase', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('a', { labels: { [POOL]: 'pa' } });
    cluster.addNode('b', { labels: { [POOL]: 'pb' } });
    seedHolder(cluster, 'a');
    // b lost its entry (removed by hand) but is still rebooting: it counts all the same.
    rebooting(cluster, 'b');
    const t = setup('n1', ['--concurrency', '2', '--max-unavailable-per-pool', '5'], { cluster });
    expect(await t.daemon.step()).toBe('waiting');
    expect(await t.metrics.registry.getSingleMetricAsString('aksguard_reboot_blocked')).toContain('reason="slot"} 1');
  });
});

describe('lock: one compare-and-swap', () => {
  it('a 409 makes it read again and decide again: a pool-mate that won the race keeps it out', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('mate');
    const t = setup('n1', ['--concurrency', '2'], { cluster });
    const create = cluster.createLease.bind(cluster);
    let raced = false;
    cluster.createLease = async (ns, lease) => {
      if (!raced) {
        raced = true;
        seedHolder(cluster, 'mate');
      }
      return create(ns, lease);
    };
    expect(await t.daemon.step()).toBe('waiting');
    expect(holderNames(cluster)).toEqual(['mate']);
    expect(t.node().unschedulable).toBe(false);
    expect(t.state()).toBeUndefined();
  });

  it('a pool-mate cordoned between reading the nodes and the swap makes it step back before touching anything', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('mate');
    const t = setup('n1', [], { cluster });
    const create = cluster.createLease.bind(cluster);
    cluster.createLease = async (ns, lease) => {
      cluster.setNode('mate', { unschedulable: true });
      return create(ns, lease);
    };
    expect(await t.daemon.step()).toBe('waiting');
    expect(holders(cluster)).toEqual([]);
    expect(t.node().unschedulable).toBe(false);
    expect(t.state()).toBeUndefined();
  });

  it('a write whose answer is lost is read back: the slot it took is this node’s', async () => {
    const t = setup('n1');
    const create = t.cluster.createLease.bind(t.cluster);
    t.cluster.createLease = async (ns, lease) => {
      await create(ns, lease);
      throw new Error('socket hang up');
    };
    expect(await t.daemon.step()).toBe('rebooted');
    expect(holderNames(t.cluster)).toEqual(['n1']);
  });

  it('no decision rests on another node’s clock: ten minutes ahead, it still waits for a live holder', async () => {
    const cluster = new MemoryCluster();
    const clock = new VirtualClock(WEDNESDAY_10);
    cluster.addNode('mate');
    seedHolder(cluster, 'mate');
    const t = setup('n1', ['--lock-ttl', '60s'], { cluster, clock, skewMs: 10 * 60_000 });
    for (let i = 0; i < 5; i++) {
      expect(await t.daemon.step()).toBe('waiting');
      await clock.advance(50_000);
      // The holder renews: its heartbeat changes.
      seedHolder(cluster, 'mate', { heartbeat: i + 2 });
    }
    expect(holderNames(cluster)).toEqual(['mate']);
  });
});

describe('lock: stale holders', () => {
  it('removes a holder whose heartbeat it has not seen change for --lock-ttl, only while that node is healthy', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('mate');
    seedHolder(cluster, 'mate');
    const t = setup('n1', ['--lock-ttl', '60s'], { cluster });
    expect(await t.daemon.step()).toBe('waiting');
    await t.clock.advance(59_000);
    expect(await t.daemon.step()).toBe('waiting');
    await t.clock.advance(1000);
    expect(await t.daemon.step()).toBe('rebooted');
    expect(holderNames(cluster)).toEqual(['n1']);
  });

  it('never frees the slot of a holder whose node is down, cordoned or in an active phase', async () => {
    for (const down of [{ ready: false }, { unschedulable: true }] as Partial<NodeInfo>[]) {
      const cluster = new MemoryCluster();
      cluster.addNode('mate', down);
      seedHolder(cluster, 'mate');
      const t = setup('n1', ['--lock-ttl', '60s', '--concurrency', '2', '--max-unavailable-per-pool', '2'], {
        cluster,
      });
      cluster.addNode('other', { labels: { [POOL]: 'p2' } });
      seedHolder(cluster, 'other');
      rebooting(cluster, 'other');
      for (let i = 0; i < 4; i++) {
        expect(await t.daemon.step()).toBe('waiting');
        await t.clock.advance(3_600_000);
      }
      expect(holderNames(cluster).sort()).toEqual(['mate', 'other']);
    }
  });

  it('removes the entry of a holder whose Node object is gone, at once', async () => {
    const cluster = new MemoryCluster();
    seedHolder(cluster, 'deleted', { pool: 'pool1' });
    const t = setup('n1', [], { cluster });
    expect(await t.daemon.step()).toBe('rebooted');
    expect(holderNames(cluster)).toEqual(['n1']);
  });

  it('a daemon whose Node was deleted gives its slot back', async () => {
    const t = setup('n1');
    t.cluster.addPod('n1', 'db-0');
    t.cluster.protected_.add('default/db-0');
    const evict = t.cluster.evictPod.bind(t.cluster);
    t.cluster.evictPod = async (pod, grace, signal) => {
      t.cluster.nodes.delete('n1');
      return evict(pod, grace, signal);
    };
    // The API answers 404 to the write that would end the attempt; the next step finds the Node gone.
    await expect(t.daemon.step()).rejects.toThrow(/no node n1/);
    expect(await t.daemon.step()).toBe('blocked');
    expect(holders(t.cluster)).toEqual([]);
  });
});

describe('lock: held through the reboot, released by its holder', () => {
  it('keeps counting a node that never comes back; reports it overdue once (Event, metric, notification)', async () => {
    const posts: { url: string; body: unknown }[] = [];
    const recordingFetch = (async (url: string | URL, init?: RequestInit) => {
      posts.push({ url: String(url), body: JSON.parse(String(init?.body)) });
      return new Response('ok');
    }) as typeof fetch;
    const cluster = new MemoryCluster();
    const clock = new VirtualClock(WEDNESDAY_10);
    cluster.addNode('dead');
    seedHolder(cluster, 'dead');
    rebooting(cluster, 'dead', { ready: false });
    const args = ['--reboot-timeout', '30m', '--notify-url', 'https://hooks.example.com/x?token=a,b'];
    const a = setup('n1', args, { cluster, clock, fetch: recordingFetch });
    const b = setup('n2', args, { cluster, clock, fetch: recordingFetch });
    for (let minute = 0; minute <= 40; minute += 10) {
      expect(await a.daemon.step()).toBe('waiting');
      expect(await b.daemon.step()).toBe('waiting');
      await clock.advance(10 * 60_000);
    }
    expect(cluster.reasons('dead')).toEqual(['RebootOverdue']);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.url).toBe('https://hooks.example.com/x?token=a,b');
    expect(posts[0]?.body).toMatchObject({ event: 'overdue', node: 'dead' });
    expect(holders(cluster).find((h) => h.node === 'dead')?.overdue).toBe(true);
    for (const t of [a, b]) {
      expect(await t.metrics.registry.getSingleMetricAsString('aksguard_reboot_overdue')).toContain(
        'aksguard_reboot_overdue{node="dead"} 1',
      );
    }
    expect(a.node().unschedulable || b.node().unschedulable).toBe(false);
  });

  it('--lock-release-delay keeps the slot after the verified reboot, then releases it', async () => {
    const t = setup('n1', ['--lock-release-delay', '5m']);
    expect(await t.daemon.step()).toBe('rebooted');
    const daemon = t.restart();
    const seen: string[][] = [];
    const sleep = t.clock.sleep.bind(t.clock);
    t.clock.sleep = async (ms, signal) => {
      if (ms === 300_000) seen.push(holderNames(t.cluster), [String(t.node().unschedulable)]);
      return sleep(ms, signal);
    };
    expect(await daemon.step()).toBe('verified');
    expect(seen).toEqual([['n1'], ['false']]);
    expect(holders(t.cluster)).toEqual([]);
  });

  it('gives the slot back when the sentinel went away during the drain', async () => {
    const t = setup('n1');
    t.cluster.addPod('n1', 'web-1');
    const original = t.cluster.evictPod.bind(t.cluster);
    t.cluster.evictPod = async (pod, grace, signal) => {
      t.sentinel.present = false;
      return original(pod, grace, signal);
    };
    expect(await t.daemon.step()).toBe('skipped');
    expect(t.rebooter.reboots).toBe(0);
    expect(t.node().unschedulable).toBe(false);
    expect(holders(t.cluster)).toEqual([]);
  });
});

/** A pod a PodDisruptionBudget never lets go, on n1: the time of every eviction attempt. */
function refusedDrain(t: ReturnType<typeof setup>): number[] {
  t.cluster.addPod('n1', 'db-0');
  t.cluster.protected_.add('default/db-0');
  const attempts: number[] = [];
  const evict = t.cluster.evictPod.bind(t.cluster);
  t.cluster.evictPod = async (pod, grace, signal) => {
    attempts.push(t.clock.time);
    return evict(pod, grace, signal);
  };
  return attempts;
}

describe('renewals and self-fencing', () => {
  const args = ['--lock-ttl', '60s', '--lock-renew-interval', '10s', '--drain-timeout', '0'];

  it('every renewal answering 409 is a failed renewal: it stops evicting after --lock-ttl minus two intervals', async () => {
    const t = setup('n1', args);
    const attempts = refusedDrain(t);
    const update = t.cluster.updateLease.bind(t.cluster);
    t.cluster.updateLease = async (ns, lease) => (t.node().unschedulable ? 'conflict' : update(ns, lease));
    const started = t.clock.time;
    expect(await t.daemon.step()).toBe('aborted');
    expect(attempts.length).toBeGreaterThan(3);
    expect(Math.max(...attempts) - started).toBeLessThanOrEqual(40_000);
    expect(t.clock.time - started).toBeGreaterThanOrEqual(40_000);
    expect(t.node().unschedulable).toBe(false);
    expect(t.state()).toBeUndefined();
    expect(t.cluster.reasons('n1')).toContain('RebootAborted');
  });

  it('renewals failing with errors fence it the same way, and an eviction in flight is abandoned', async () => {
    const t = setup('n1', args);
    refusedDrain(t);
    const update = t.cluster.updateLease.bind(t.cluster);
    t.cluster.updateLease = async (ns, lease) => {
      if (t.node().unschedulable) throw new Error('500 etcd timeout');
      return update(ns, lease);
    };
    // The eviction hangs until it is abandoned.
    const evict = t.cluster.evictPod.bind(t.cluster);
    let hung = 0;
    t.cluster.evictPod = async (pod, grace, signal) => {
      if (t.clock.time - WEDNESDAY_10 < 20_000) return evict(pod, grace, signal);
      hung++;
      await new Promise<void>((resolve) => {
        const tick = async () => {
          if (signal?.aborted) return resolve();
          await t.clock.advance(1000);
          setImmediate(tick);
        };
        void tick();
      });
      throw new Error('aborted');
    };
    expect(await t.daemon.step()).toBe('aborted');
    expect(hung).toBe(1);
    expect(t.clock.time - WEDNESDAY_10).toBeGreaterThanOrEqual(40_000);
    expect(t.clock.time - WEDNESDAY_10).toBeLessThan(60_000);
  });

  it('a holder that renews keeps its slot, with its heartbeat raised at every interval', async () => {
    const t = setup('n1', args);
    const attempts = refusedDrain(t);
    const stop = t.clock.sleep.bind(t.clock);
    t.clock.sleep = async (ms, signal) => {
      if (t.clock.time - WEDNESDAY_10 > 300_000) t.cluster.protected_.clear();
      return stop(ms, signal);
    };
    expect(await t.daemon.step()).toBe('rebooted');
    expect(attempts.length).toBeGreaterThan(10);
    // One heartbeat written every 10 s of a drain of over 300 s.
    expect(t.cluster.calls.get('writeLease')).toBeGreaterThanOrEqual(30);
  });
});

describe('blockers and the window, re-checked during the drain', () => {
  it('a blocker appearing mid-drain stops it before the next round: uncordon, release, no reboot', async () => {
    const t = setup('n1');
    t.cluster.addPod('n1', 'db-0');
    t.cluster.addPod('n1', 'db-1');
    t.cluster.protected_.add('default/db-1');
    const evict = t.cluster.evictPod.bind(t.cluster);
    t.cluster.evictPod = async (pod, grace, signal) => {
      const result = await evict(pod, grace, signal);
      t.cluster.setNode('n1', {
        annotations: { ...t.node().annotations, 'aksguard.io/reboot-blocked': 'incident 42' },
      });
      return result;
    };
    expect(await t.daemon.step()).toBe('blocked');
    expect(t.cluster.evictions).toEqual(['default/db-0']);
    expect(t.cluster.calls.get('evictPod')).toBe(2);
    expect(t.rebooter.reboots).toBe(0);
    expect(t.node().unschedulable).toBe(false);
    expect(t.state()).toBeUndefined();
    expect(holders(t.cluster)).toEqual([]);
    expect(t.cluster.reasons('n1')).toContain('RebootBlocked');
  });

  it('an AKS surge node appearing in the pool during --reboot-delay stops the reboot', async () => {
    const t = setup('n1', ['--reboot-delay', '1m']);
    const sleep = t.clock.sleep.bind(t.clock);
    t.clock.sleep = async (ms, signal) => {
      if (ms === 60_000 && !t.cluster.nodes.has('surge'))
        t.cluster.addNode('surge', { labels: { [POOL]: 'pool1', 'kubernetes.azure.com/node-image-version': 'new' } });
      return sleep(ms, signal);
    };
    t.cluster.setNode('n1', { labels: { ...t.node().labels, 'kubernetes.azure.com/node-image-version': 'old' } });
    expect(await t.daemon.step()).toBe('blocked');
    expect(t.rebooter.reboots).toBe(0);
    expect(t.node().unschedulable).toBe(false);
  });

  it('the window closing during --reboot-delay stops the reboot: uncordon, release, retry in the next window', async () => {
    const t = setup('n1', ['--reboot-delay', '2m', '--start-time', '09:00', '--end-time', '10:01']);
    t.cluster.addPod('n1', 'db-0');
    expect(await t.daemon.step()).toBe('drain-failed');
    expect(t.cluster.evictions).toEqual(['default/db-0']);
    expect(t.clock.time).toBeGreaterThanOrEqual(Date.parse('2026-03-04T10:02:00Z'));
    expect(t.state()?.reason).toBe('the reboot window closed before the reboot');
    expect(t.rebooter.reboots).toBe(0);
    expect(t.node().unschedulable).toBe(false);
    expect(holders(t.cluster)).toEqual([]);
  });

  it('stops evicting when the window closes during the drain, and undoes its cordon', async () => {
    const t = setup('n1', ['--start-time', '09:00', '--end-time', '10:01']);
    t.cluster.addPod('n1', 'db-0');
    t.cluster.addPod('n1', 'db-1');
    t.cluster.protected_.add('default/db-0');
    expect(await t.daemon.step()).toBe('drain-failed');
    expect(t.clock.time).toBeGreaterThanOrEqual(Date.parse('2026-03-04T10:01:00Z'));
    expect(t.state()?.reason).toBe('the reboot window closed during the drain');
    expect(t.cluster.evictions).toEqual(['default/db-1']);
    expect(t.node().unschedulable).toBe(false);
    expect(t.rebooter.reboots).toBe(0);
  });

  it('checks the window before every eviction, not only every round', async () => {
    const t = setup('n1', ['--start-time', '09:00', '--end-time', '10:01']);
    t.cluster.addPod('n1', 'db-0');
    t.cluster.addPod('n1', 'db-1');
    const evict = t.cluster.evictPod.bind(t.cluster);
    t.cluster.evictPod = async (pod, grace, signal) => {
      t.clock.time = Date.parse('2026-03-04T10:01:30Z');
      return evict(pod, grace, signal);
    };
    expect(await t.daemon.step()).toBe('drain-failed');
    expect(t.cluster.evictions).toEqual(['default/db-0']);
  });
});

describe('one actor per node', () => {
  it('a second daemon pod on the node does nothing while the owning pod exists, and takes over once it is gone', async () => {
    const cluster = new MemoryCluster();
    const first = setup('n1', ['--drain-timeout', '0'], { cluster });
    cluster.addPod('n1', 'db-0');
    cluster.protected_.add('default/db-0');
    const evict = cluster.evictPod.bind(cluster);
    let stop = false;
    cluster.evictPod = async (pod, grace, signal) => {
      if (stop) throw new Error('the first pod was killed mid-drain');
      stop = true;
      return evict(pod, grace, signal);
    };
    await expect(first.daemon.step()).rejects.toThrow(/killed/);
    expect(first.state()).toMatchObject({ phase: 'draining', owner: { uid: 'n1-uid-1' } });

    const second = setup('n1', [], { cluster });
    const secondUid = 'n1-uid-2';
    cluster.daemonPods.add(`${NS}/reboot-daemon-n1-2/${secondUid}`);
    const other = new RebootDaemon(
      parseDaemonOptions(
        ['--node-name', 'n1', '--namespace', NS, '--pod-name', 'reboot-daemon-n1-2', '--pod-uid', secondUid],
        {},
      ),
      {
        ops: cluster,
        clock: second.clock,
        sentinel: second.sentinel,
        rebooter: second.rebooter,
        window: dailyWindow({ days: [0, 1, 2, 3, 4, 5, 6], startTime: '0:00', endTime: '0:00', timeZone: 'UTC' }),
        log: pino({ level: 'silent' }),
        metrics: new RebootMetrics('n1'),
        fetch: globalThis.fetch,
      },
    );
    const calls = cluster.calls.get('patchNode');
    expect(await other.step()).toBe('blocked');
    expect(cluster.calls.get('patchNode')).toBe(calls);
    expect(cluster.calls.get('evictPod')).toBe(1);

    // The first pod is gone: the second takes the node over (written over the node's resourceVersion) and resumes.
    cluster.daemonPods.delete(`${NS}/reboot-daemon-n1/n1-uid-1`);
    cluster.protected_.clear();
    cluster.evictPod = evict;
    expect(await other.step()).toBe('rebooted');
    expect(first.state()).toMatchObject({ phase: 'rebooting', owner: { uid: secondUid } });
    expect(holders(cluster)).toEqual([expect.objectContaining({ node: 'n1', uid: secondUid })]);
  });

  it('of two pods claiming an idle node, the one whose write lost the resourceVersion race steps back', async () => {
    const t = setup('n1');
    const patch = t.cluster.patchNode.bind(t.cluster);
    t.cluster.patchNode = async (name, change) => {
      if (change.resourceVersion && change.annotations?.[REBOOT_STATE]) {
        // Another pod claimed the node a moment earlier.
        t.cluster.setNode('n1', {
          annotations: writeState({
            phase: 'draining',
            startedAt: '',
            preCordoned: false,
            bootIdBefore: 'n1-boot-1',
            attempt: 1,
            owner: { pod: 'other', uid: 'other-uid' },
          }) as Record<string, string>,
        });
      }
      return patch(name, change);
    };
    expect(await t.daemon.step()).toBe('waiting');
    expect(t.cluster.evictions).toEqual([]);
    expect(holders(t.cluster)).toEqual([]);
    expect(t.state()?.owner?.uid).toBe('other-uid');
  });

  it('a daemon pod replaced during the reboot verifies it and takes the old pod’s slot entry', async () => {
    const t = setup('n1');
    expect(await t.daemon.step()).toBe('rebooted');
    expect(await t.replacePod().step()).toBe('verified');
    expect(holders(t.cluster)).toEqual([]);
    expect(t.node().unschedulable).toBe(false);
  });
});

describe('drain: evictions, backoff, timeout', () => {
  it('backs off 1 s doubling to 30 s while a PodDisruptionBudget refuses, then gives up at --drain-timeout', async () => {
    const t = setup('n1', ['--drain-timeout', '3m']);
    const attempts = refusedDrain(t);
    expect(await t.daemon.step()).toBe('drain-failed');
    const gaps = attempts.slice(1, 8).map((at, i) => at - (attempts[i] as number));
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(t.rebooter.reboots).toBe(0);
    expect(t.node().unschedulable).toBe(false);
    expect(t.state()).toMatchObject({ phase: 'failed' });
    expect(t.state()?.reason).toMatch(/drain timed out after 180s; pods left: default\/db-0/);
    expect(holders(t.cluster)).toEqual([]);
    expect(t.cluster.reasons('n1')).toContain('RebootFailed');
    const metrics = await t.metrics.registry.getSingleMetricAsString('aksguard_reboots_total');
    expect(metrics).toContain('result="drain-failed"} 1');
  });

  it('after a failed drain waits for the next window', async () => {
    const t = setup('n1', ['--drain-timeout', '1m', '--start-time', '09:00', '--end-time', '17:00']);
    t.cluster.addPod('n1', 'db-0');
    t.cluster.protected_.add('default/db-0');
    expect(await t.daemon.step()).toBe('drain-failed');
    t.cluster.protected_.clear();
    expect(await t.daemon.step()).toBe('blocked');
    t.clock.time = Date.parse('2026-03-05T09:00:00Z');
    expect(await t.daemon.step()).toBe('rebooted');
  });

  it('leaves a pre-cordoned node cordoned after a failed drain and after a reboot', async () => {
    const t = setup('n1', ['--drain-timeout', '1m'], { node: { unschedulable: true } });
    t.cluster.addPod('n1', 'db-0');
    t.cluster.protected_.add('default/db-0');
    expect(await t.daemon.step()).toBe('drain-failed');
    expect(t.node().unschedulable).toBe(true);
    t.cluster.protected_.clear();
    t.clock.time = Date.parse('2026-03-05T10:00:00Z');
    expect(await t.daemon.step()).toBe('rebooted');
    expect(t.state()?.preCordoned).toBe(true);
    expect(await t.restart().step()).toBe('verified');
    expect(t.node().unschedulable).toBe(true);
  });

  it('with --force-reboot reboots when the drain times out', async () => {
    const t = setup('n1', ['--drain-timeout', '1m', '--force-reboot']);
    t.cluster.addPod('n1', 'db-0');
    t.cluster.protected_.add('default/db-0');
    expect(await t.daemon.step()).toBe('rebooted');
  });

  it('waits for a pod stuck terminating until --drain-timeout, or only --skip-wait-for-delete-timeout', async () => {
    const stuck = { deletionTimestamp: WEDNESDAY_10 - 5000 };
    const waits = setup('n1', ['--drain-timeout', '2m']);
    waits.cluster.addPod('n1', 'stuck', stuck);
    expect(await waits.daemon.step()).toBe('drain-failed');
    expect(waits.state()?.reason).toMatch(/pods left: default\/stuck/);
    const skips = setup('n1', ['--drain-timeout', '2m', '--skip-wait-for-delete-timeout', '60']);
    skips.cluster.addPod('n1', 'stuck', stuck);
    const started = skips.clock.time;
    expect(await skips.daemon.step()).toBe('rebooted');
    expect(skips.clock.time - started).toBeGreaterThanOrEqual(55_000);
    expect(skips.cluster.evictions).toEqual([]);
  });

  it('lists the pods again each round: a pod recreated under the same name is evicted too', async () => {
    const t = setup('n1');
    t.cluster.addPod('n1', 'sts-0', { uid: 'first' });
    const original = t.cluster.evictPod.bind(t.cluster);
    let recreate = 1;
    t.cluster.evictPod = async (pod, grace, signal) => {
      const result = await original(pod, grace, signal);
      if (recreate-- > 0) t.cluster.addPod('n1', 'sts-0', { uid: 'second' });
      return result;
    };
    expect(await t.daemon.step()).toBe('rebooted');
    expect(t.cluster.evictions).toEqual(['default/sts-0', 'default/sts-0']);
  });

  it('refuses to drop emptyDir data with --delete-emptydir-data=false', async () => {
    const t = setup('n1', ['--delete-emptydir-data=false']);
    t.cluster.addPod('n1', 'cache', { usesEmptyDir: true });
    expect(await t.daemon.step()).toBe('drain-failed');
    expect(t.cluster.evictions).toEqual([]);
  });

  it('--dry-run cordons and records but neither evicts nor reboots, and undoes the cordon', async () => {
    const t = setup('n1', ['--dry-run']);
    t.cluster.addPod('n1', 'web-1');
    expect(await t.daemon.step()).toBe('skipped');
    expect(t.cluster.evictions).toEqual([]);
    expect(t.rebooter.reboots).toBe(0);
    expect(t.node().unschedulable).toBe(false);
    expect(t.cluster.reasons('n1')).toContain('RebootDrain');
    expect(holders(t.cluster)).toEqual([]);
  });
});

describe('verify and the reboot-loop guard', () => {
  it('a sentinel that stays after --max-reboot-attempts verified reboots stops reboots on the node', async () => {
    const t = setup('n1', ['--max-reboot-attempts', '2'], { rebooter: { sentinelStays: true } });
    expect(await t.daemon.step()).toBe('rebooted');
    expect(await t.restart().step()).toBe('verified');
    expect(t.state()).toMatchObject({ phase: 'verified', attempt: 1 });
    expect(await t.restart().step()).toBe('rebooted');
    expect(t.state()?.attempt).toBe(2);
    expect(await t.restart().step()).toBe('verified');
    expect(await t.restart().step()).toBe('loop-guard');
    expect(await t.restart().step()).toBe('blocked');
    expect(t.rebooter.reboots).toBe(2);
    expect(t.cluster.reasons('n1').filter((r) => r === 'RebootLoop')).toHaveLength(1);
    // Removing the sentinel (or the annotation) ends it.
    t.sentinel.present = false;
    expect(await t.restart().step()).toBe('idle');
    expect(t.node().annotations[REBOOT_STATE]).toBeUndefined();
  });

  it('an unchanged boot ID after a restart is not success: the reboot is tried again, up to the guard', async () => {
    const t = setup('n1', ['--max-reboot-attempts', '2'], { rebooter: { noop: true } });
    expect(await t.daemon.step()).toBe('rebooted');
    expect(await t.restart().step()).toBe('rebooted');
    expect(t.state()?.attempt).toBe(2);
    expect(t.cluster.reasons('n1')).toContain('RebootNotHappened');
    expect(await t.restart().step()).toBe('loop-guard');
    expect(t.cluster.reasons('n1')).not.toContain('Rebooted');
    expect(t.rebooter.reboots).toBe(2);
    expect(t.node().unschedulable).toBe(false);
    expect(holders(t.cluster)).toEqual([]);
  });
});

describe('resume after a restart, in every phase', () => {
  const recorded = (t: ReturnType<typeof setup>, phase: 'draining' | 'rebooting', extra: Partial<NodeInfo> = {}) => {
    t.cluster.setNode(t.name, {
      unschedulable: true,
      annotations: writeState({
        phase,
        startedAt: '2026-03-04T09:59:00.000Z',
        preCordoned: false,
        bootIdBefore: 'n1-boot-1',
        attempt: 1,
        owner: { pod: 'reboot-daemon-n1', uid: 'n1-uid-1' },
      }) as Record<string, string>,
      ...extra,
    });
    seedHolder(t.cluster, t.name);
  };

  it('draining: keeps its slot, evicts what is left, reboots', async () => {
    const t = setup('n1');
    recorded(t, 'draining');
    t.cluster.addPod('n1', 'web-2');
    expect(await t.daemon.step()).toBe('rebooted');
    expect(t.cluster.evictions).toEqual(['default/web-2']);
    expect(t.state()?.startedAt).toBe('2026-03-04T09:59:00.000Z');
    expect(holders(t.cluster)[0]?.uid).toBe('n1-uid-1');
    expect(holders(t.cluster)[0]?.heartbeat).toBeGreaterThan(1);
  });

  it('draining, but its slot entry was removed meanwhile: uncordons and queues again, never drains without it', async () => {
    const t = setup('n1');
    recorded(t, 'draining');
    t.cluster.leases.clear();
    t.cluster.addPod('n1', 'web-2');
    expect(await t.daemon.step()).toBe('aborted');
    expect(t.cluster.evictions).toEqual([]);
    expect(t.node().unschedulable).toBe(false);
    expect(t.state()).toBeUndefined();
  });

  it('rebooting with a new boot ID: verifies', async () => {
    const t = setup('n1', [], { sentinel: new FlagSentinel(false) });
    recorded(t, 'rebooting', { bootId: 'n1-boot-2' });
    expect(await t.daemon.step()).toBe('verified');
    expect(t.node().unschedulable).toBe(false);
    expect(holders(t.cluster)).toEqual([]);
  });

  it('rebooting with the same boot ID: reboots again', async () => {
    const t = setup('n1');
    recorded(t, 'rebooting');
    expect(await t.daemon.step()).toBe('rebooted');
    expect(t.state()?.attempt).toBe(2);
  });

  it('SIGTERM during a reboot keeps the state and the slot for the next pod', async () => {
    const t = setup('n1', [], { rebooter: { noop: true } });
    expect(await t.daemon.step()).toBe('rebooted');
    await t.daemon.stop();
    expect(t.state()?.phase).toBe('rebooting');
    expect(holderNames(t.cluster)).toEqual(['n1']);
  });
});
