import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aksUpgrade, blockers } from '../../src/reboot/blockers.js';
import { RebootDaemon } from '../../src/reboot/daemon.js';
import { parseDaemonOptions } from '../../src/reboot/flags.js';
import { RebootMetrics } from '../../src/reboot/metrics.js';
import { type Clock, type LeaseInfo, type NodeInfo, systemClock } from '../../src/reboot/ports.js';
import { REQUIRED_SINCE_ANNOTATION, readState, STATE_ANNOTATION, writeState } from '../../src/reboot/state.js';
import { dailyWindow } from '../../src/reboot/window.js';
import { FlagSentinel, MemoryCluster, MemoryRebooter, VirtualClock } from '../support/memory-ops.js';

// Wednesday 2026-03-04 10:00 UTC.
const WEDNESDAY_10 = Date.parse('2026-03-04T10:00:00Z');
const POOL = 'kubernetes.azure.com/agentpool';

interface Setup {
  cluster?: MemoryCluster;
  clock?: VirtualClock | Clock;
  sentinel?: FlagSentinel;
  rebooter?: { sentinelStays?: boolean; noop?: boolean };
}

function setup(name: string, args: string[] = [], given: Setup = {}) {
  const cluster = given.cluster ?? new MemoryCluster();
  if (!cluster.nodes.has(name)) cluster.addNode(name);
  // A real clock only where real timers (slot renewals) must run; it has no `time` or `sleeps`.
  const clock = (given.clock ?? new VirtualClock(WEDNESDAY_10)) as VirtualClock;
  const sentinel = given.sentinel ?? new FlagSentinel(true);
  const rebooter = new MemoryRebooter(cluster, name, sentinel, given.rebooter ?? {});
  const start = () => {
    const options = parseDaemonOptions(['--node-name', name, ...args], {});
    const metrics = new RebootMetrics(name);
    const daemon = new RebootDaemon(options, {
      ops: cluster,
      clock,
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
      fetch: globalThis.fetch,
    });
    return { daemon, metrics };
  };
  const first = start();
  return {
    cluster,
    clock,
    sentinel,
    rebooter,
    daemon: first.daemon,
    metrics: first.metrics,
    /** A new daemon process on the same node (pod restart or reboot). */
    restart: () => start().daemon,
    node: () => cluster.node(name),
    state: () => readState(cluster.node(name).annotations),
    name,
  };
}

describe('reboot daemon: the happy path', () => {
  it('drains through evictions, reboots once, and after the new boot ID uncordons and clears its state', async () => {
    const t = setup('n1');
    t.cluster.addPod('n1', 'web-1');
    t.cluster.addPod('n1', 'ds-1', { ownerKinds: ['DaemonSet'] });
    t.cluster.addPod('n1', 'static', { mirror: true });
    t.cluster.addPod('n1', 'done', { finished: true });
    expect(await t.daemon.step()).toBe('rebooted');
    expect(t.rebooter.reboots).toBe(1);
    expect(t.cluster.evictions).toEqual(['default/web-1']);
    expect(t.node().unschedulable).toBe(true);
    expect(t.state()).toMatchObject({ phase: 'rebooting', preCordoned: false, bootIdBefore: 'n1-boot-1', attempt: 1 });
    expect(t.node().annotations[REQUIRED_SINCE_ANNOTATION]).toBe('2026-03-04T10:00:00.000Z');
    expect(t.cluster.leases.get('aksguard-reboot-0')?.holder).toBe('n1');
    expect(await t.restart().step()).toBe('verified');
    expect(t.node().unschedulable).toBe(false);
    expect(t.node().annotations[STATE_ANNOTATION]).toBeUndefined();
    expect(t.node().annotations[REQUIRED_SINCE_ANNOTATION]).toBeUndefined();
    expect(t.cluster.leases.get('aksguard-reboot-0')?.holder).toBeUndefined();
    expect(t.cluster.reasons('n1')).toEqual(['RebootDrain', 'Rebooting', 'Rebooted']);
    expect(t.rebooter.reboots).toBe(1);
  });

  it('does nothing without a sentinel, and touches no API beyond reading its own node', async () => {
    const t = setup('n1', [], { sentinel: new FlagSentinel(false) });
    expect(await t.daemon.step()).toBe('idle');
    expect([...t.cluster.calls.keys()]).toEqual(['getNode']);
  });

  it('does not report success before the node is Ready again', async () => {
    const t = setup('n1');
    await t.daemon.step();
    t.cluster.nodes.set('n1', { ...t.node(), ready: false });
    expect(await t.restart().step()).toBe('waiting');
    expect(t.state()?.phase).toBe('rebooting');
  });

  it('sets pre-reboot labels, then swaps them for post-reboot labels', async () => {
    const t = setup('n1', ['--pre-reboot-node-labels', 'rebooting=yes', '--post-reboot-node-labels', 'patched=yes']);
    await t.daemon.step();
    expect(t.node().labels.rebooting).toBe('yes');
    await t.restart().step();
    expect(t.node().labels.rebooting).toBeUndefined();
    expect(t.node().labels.patched).toBe('yes');
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
    expect(t.node().annotations[REQUIRED_SINCE_ANNOTATION]).toBeDefined();
    t.clock.time = Date.parse('2026-03-04T22:00:00Z');
    expect(await t.daemon.step()).toBe('rebooted');
  });

  it('is blocked by the node annotation, a matching pod, and an AKS upgrade rolling through the pool', async () => {
    const t = setup('n1', ['--blocking-pod-selector', 'app=backup']);
    t.cluster.nodes.set('n1', { ...t.node(), annotations: { 'aksguard.io/reboot-blocked': 'change freeze' } });
    expect(await t.daemon.step()).toBe('blocked');
    t.cluster.nodes.set('n1', { ...t.node(), annotations: {} });
    t.cluster.addPod('n1', 'backup-1', { labels: { app: 'backup' } });
    expect(await t.daemon.step()).toBe('blocked');
    t.cluster.pods = [];
    t.cluster.addNode('n2', { kubeletVersion: 'v1.34.0' });
    expect(await t.daemon.step()).toBe('blocked');
    expect(t.rebooter.reboots).toBe(0);
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

    const check = async (firingOnly: boolean, filter?: RegExp) => {
      const cluster = new MemoryCluster();
      const node = cluster.addNode('n1');
      const found = await blockers(
        {
          ops: cluster,
          blockingPodSelectors: [],
          prometheusUrl: url,
          alertFilterRegexp: filter,
          alertFiringOnly: firingOnly,
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

    it('blocks when Prometheus cannot answer: an unknown is not a yes', async () => {
      status = 503;
      expect(await check(false)).toEqual(['Prometheus answered 503']);
      status = 200;
    });
  });
});

describe('lock: slots and limits', () => {
  it('waits while another live node holds the only slot; takes it once that holder stopped renewing', async () => {
    const cluster = new MemoryCluster();
    const clock = new VirtualClock(WEDNESDAY_10);
    cluster.leases.set('aksguard-reboot-0', {
      name: 'aksguard-reboot-0',
      holder: 'n9',
      acquireTime: WEDNESDAY_10 - 5000,
      renewTime: WEDNESDAY_10 - 5000,
      durationSeconds: 60,
      transitions: 3,
      resourceVersion: '1',
    });
    const t = setup('n1', [], { cluster, clock });
    expect(await t.daemon.step()).toBe('waiting');
    expect(t.node().unschedulable).toBe(false);
    clock.time += 56_000;
    expect(await t.daemon.step()).toBe('rebooted');
    expect(cluster.leases.get('aksguard-reboot-0')).toMatchObject({ holder: 'n1', transitions: 4 });
  });

  it('with --concurrency 2 takes the second slot', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('n2', { labels: { [POOL]: 'other' } });
    cluster.leases.set('aksguard-reboot-0', {
      name: 'aksguard-reboot-0',
      holder: 'n2',
      acquireTime: WEDNESDAY_10,
      renewTime: WEDNESDAY_10,
      durationSeconds: 60,
      transitions: 0,
      resourceVersion: '1',
    });
    const t = setup('n1', ['--concurrency', '2'], { cluster });
    expect(await t.daemon.step()).toBe('rebooted');
    expect(t.state()?.slot).toBe('aksguard-reboot-1');
  });

  it('keeps to --max-unavailable-per-pool: a NotReady node of the pool holds it back, one of another pool does not', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('other-pool', { ready: false, labels: { [POOL]: 'pool2' } });
    cluster.addNode('same-pool', { ready: false });
    const t = setup('n1', ['--concurrency', '3'], { cluster });
    expect(await t.daemon.step()).toBe('waiting');
    cluster.nodes.set('same-pool', { ...cluster.node('same-pool'), ready: true });
    expect(await t.daemon.step()).toBe('rebooted');
  });

  it('keeps to --max-unavailable-per-zone across pools', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('n2', { labels: { [POOL]: 'pool2', 'topology.kubernetes.io/zone': 'z1' } });
    cluster.leases.set('aksguard-reboot-0', {
      name: 'aksguard-reboot-0',
      holder: 'n2',
      acquireTime: WEDNESDAY_10,
      renewTime: WEDNESDAY_10,
      durationSeconds: 60,
      transitions: 0,
      resourceVersion: '1',
    });
    const t = setup('n1', ['--concurrency', '2', '--max-unavailable-per-zone', '1'], { cluster });
    expect(await t.daemon.step()).toBe('waiting');
    expect(cluster.leases.get('aksguard-reboot-1')?.holder).toBeUndefined();
  });

  it('of two nodes of one pool that took slots at the same moment, the later steps back', async () => {
    const cluster = new MemoryCluster();
    cluster.addNode('n0');
    cluster.leases.set('aksguard-reboot-0', {
      name: 'aksguard-reboot-0',
      holder: 'n0',
      acquireTime: WEDNESDAY_10 - 1,
      renewTime: WEDNESDAY_10,
      durationSeconds: 60,
      transitions: 0,
      resourceVersion: '1',
    });
    // n1 checks before n0's Lease exists, then n0's appears: simulate by hiding it for the first check only.
    const t = setup('n1', ['--concurrency', '2'], { cluster });
    const original = cluster.getLease.bind(cluster);
    let hidden = 1;
    cluster.getLease = async (ns, name) =>
      name === 'aksguard-reboot-0' && hidden-- > 0 ? undefined : original(ns, name);
    expect(await t.daemon.step()).toBe('waiting');
    expect(cluster.leases.get('aksguard-reboot-1')?.holder).toBeUndefined();
    expect(t.node().unschedulable).toBe(false);
  });

  it('answers a 409 on the Lease by reading again', async () => {
    const t = setup('n1');
    const original = t.cluster.createLease.bind(t.cluster);
    let conflicts = 1;
    t.cluster.createLease = async (ns, lease) => (conflicts-- > 0 ? 'conflict' : original(ns, lease));
    expect(await t.daemon.step()).toBe('rebooted');
  });
});

describe('drain: evictions, backoff, timeout', () => {
  it('backs off 1 s doubling to 30 s while a PodDisruptionBudget refuses, then gives up at --drain-timeout', async () => {
    const t = setup('n1', ['--drain-timeout', '3m']);
    t.cluster.addPod('n1', 'db-0');
    t.cluster.protected_.add('default/db-0');
    expect(await t.daemon.step()).toBe('drain-failed');
    expect(t.clock.sleeps.slice(0, 7)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(t.rebooter.reboots).toBe(0);
    expect(t.node().unschedulable).toBe(false);
    expect(t.state()).toMatchObject({ phase: 'failed' });
    expect(t.state()?.reason).toMatch(/drain timed out after 180s; pods left: default\/db-0/);
    expect(t.cluster.leases.get('aksguard-reboot-0')?.holder).toBeUndefined();
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
    const t = setup('n1', ['--drain-timeout', '1m']);
    t.cluster.nodes.set('n1', { ...t.node(), unschedulable: true });
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

  it('stops evicting when the window closes during the drain, and undoes its cordon', async () => {
    const t = setup('n1', ['--start-time', '09:00', '--end-time', '10:01']);
    t.cluster.addPod('n1', 'db-0');
    t.cluster.addPod('n1', 'db-1');
    t.cluster.protected_.add('default/db-1');
    expect(await t.daemon.step()).toBe('drain-failed');
    expect(t.clock.time).toBeGreaterThanOrEqual(Date.parse('2026-03-04T10:01:00Z'));
    expect(t.state()?.reason).toBe('the reboot window closed during the drain');
    expect(t.cluster.evictions).toEqual(['default/db-0']);
    expect(t.node().unschedulable).toBe(false);
    expect(t.rebooter.reboots).toBe(0);
  });

  it('with --force-reboot reboots when the drain times out', async () => {
    const t = setup('n1', ['--drain-timeout', '1m', '--force-reboot']);
    t.cluster.addPod('n1', 'db-0');
    t.cluster.protected_.add('default/db-0');
    expect(await t.daemon.step()).toBe('rebooted');
  });

  it('lists the pods again each round: a pod recreated under the same name is evicted too', async () => {
    const t = setup('n1');
    t.cluster.addPod('n1', 'sts-0', { uid: 'first' });
    const original = t.cluster.evictPod.bind(t.cluster);
    let recreate = 1;
    t.cluster.evictPod = async (pod, grace) => {
      const result = await original(pod, grace);
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
  });

  it('skips the reboot when the sentinel went away during the drain', async () => {
    const t = setup('n1');
    t.cluster.addPod('n1', 'web-1');
    const original = t.cluster.evictPod.bind(t.cluster);
    t.cluster.evictPod = async (pod, grace) => {
      t.sentinel.present = false;
      return original(pod, grace);
    };
    expect(await t.daemon.step()).toBe('skipped');
    expect(t.rebooter.reboots).toBe(0);
    expect(t.node().unschedulable).toBe(false);
  });
});

describe('self-fencing', () => {
  it('stops evicting when it could not renew its slot for nearly the Lease duration', async () => {
    const t = setup('n1', ['--lock-ttl', '1s', '--lock-renew-interval', '100ms'], { clock: systemClock });
    t.cluster.addPod('n1', 'db-0');
    t.cluster.protected_.add('default/db-0');
    const update = t.cluster.updateLease.bind(t.cluster);
    // Once the drain has begun, every renewal fails.
    t.cluster.updateLease = async (ns, lease) => {
      if (t.node().unschedulable) throw new Error('API unreachable');
      return update(ns, lease);
    };
    expect(await t.daemon.step()).toBe('aborted');
    expect(t.node().unschedulable).toBe(false);
    expect(t.state()).toBeUndefined();
    expect(t.cluster.reasons('n1')).toContain('RebootAborted');
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
    expect(t.node().annotations[STATE_ANNOTATION]).toBeUndefined();
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
  });
});

describe('resume after a restart, in every phase', () => {
  const recorded = (t: ReturnType<typeof setup>, phase: 'draining' | 'rebooting', extra: Partial<NodeInfo> = {}) => {
    t.cluster.nodes.set(t.name, {
      ...t.node(),
      unschedulable: true,
      annotations: writeState({
        phase,
        startedAt: '2026-03-04T09:59:00.000Z',
        preCordoned: false,
        bootIdBefore: 'n1-boot-1',
        attempt: 1,
        slot: 'aksguard-reboot-0',
      }) as Record<string, string>,
      ...extra,
    });
    t.cluster.leases.set('aksguard-reboot-0', {
      name: 'aksguard-reboot-0',
      holder: 'n1',
      acquireTime: WEDNESDAY_10 - 60_000,
      renewTime: WEDNESDAY_10 - 5000,
      durationSeconds: 60,
      transitions: 0,
      resourceVersion: '7',
    });
  };

  it('draining: keeps its slot, evicts what is left, reboots', async () => {
    const t = setup('n1');
    recorded(t, 'draining');
    t.cluster.addPod('n1', 'web-2');
    expect(await t.daemon.step()).toBe('rebooted');
    expect(t.cluster.evictions).toEqual(['default/web-2']);
    expect(t.state()?.startedAt).toBe('2026-03-04T09:59:00.000Z');
  });

  it('draining, but the slot went to another node meanwhile: uncordons and queues again, never drains without it', async () => {
    const t = setup('n1');
    recorded(t, 'draining');
    t.cluster.leases.set('aksguard-reboot-0', {
      ...(t.cluster.leases.get('aksguard-reboot-0') as LeaseInfo),
      holder: 'n7',
      renewTime: WEDNESDAY_10,
    });
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
    expect(t.cluster.leases.get('aksguard-reboot-0')?.holder).toBe('n1');
  });
});
