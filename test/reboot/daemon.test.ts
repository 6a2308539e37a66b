import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RebootDaemon } from '../../src/reboot/daemon.js';
import { parseDaemonOptions } from '../../src/reboot/flags.js';
import { RebootMetrics } from '../../src/reboot/metrics.js';
import { REQUIRED_SINCE_ANNOTATION, readState, STATE_ANNOTATION } from '../../src/reboot/state.js';
import { dailyWindow } from '../../src/reboot/window.js';
import { FlagSentinel, MemoryCluster, MemoryRebooter, VirtualClock } from '../support/memory-ops.js';

// Wednesday 2026-03-04 10:00 UTC.
const WEDNESDAY_10 = Date.parse('2026-03-04T10:00:00Z');

function setup(args: string[] = [], options: { node?: string; cluster?: MemoryCluster; clock?: VirtualClock } = {}) {
  const name = options.node ?? 'n1';
  const cluster = options.cluster ?? new MemoryCluster();
  if (!cluster.nodes.has(name)) cluster.addNode(name);
  const clock = options.clock ?? new VirtualClock(WEDNESDAY_10);
  const daemonOptions = parseDaemonOptions(['--node-name', name, ...args], {});
  const sentinel = new FlagSentinel(true);
  const rebooter = new MemoryRebooter(cluster, name, sentinel);
  const daemon = new RebootDaemon(daemonOptions, {
    ops: cluster,
    clock,
    sentinel,
    rebooter,
    window: dailyWindow({
      days: daemonOptions.rebootDays,
      startTime: daemonOptions.startTime,
      endTime: daemonOptions.endTime,
      timeZone: daemonOptions.timeZone,
    }),
    log: pino({ level: 'silent' }),
    metrics: new RebootMetrics(name),
    fetch: globalThis.fetch,
  });
  return { cluster, clock, sentinel, rebooter, daemon, node: () => cluster.node(name), name };
}

describe('reboot daemon: the happy path', () => {
  it('drains through evictions, reboots once, and after the new boot ID uncordons and clears its state', async () => {
    const t = setup();
    t.cluster.addPod('n1', 'web-1');
    t.cluster.addPod('n1', 'ds-1', { ownerKinds: ['DaemonSet'] });
    t.cluster.addPod('n1', 'static', { mirror: true });
    expect(await t.daemon.step()).toBe('rebooted');
    expect(t.rebooter.reboots).toBe(1);
    expect(t.cluster.evictions).toEqual(['default/web-1']);
    expect(t.node().unschedulable).toBe(true);
    expect(readState(t.node().annotations)?.phase).toBe('rebooting');
    t.node().annotations[REQUIRED_SINCE_ANNOTATION];
    expect(t.node().annotations[REQUIRED_SINCE_ANNOTATION]).toBe('2026-03-04T10:00:00.000Z');
    expect(await t.daemon.step()).toBe('verified');
    expect(t.node().unschedulable).toBe(false);
    expect(t.node().annotations[STATE_ANNOTATION]).toBeUndefined();
    expect(t.node().annotations[REQUIRED_SINCE_ANNOTATION]).toBeUndefined();
    expect(t.cluster.leases.get('aksguard-reboot-0')?.holder).toBeUndefined();
    expect(t.cluster.reasons('n1')).toEqual(['RebootDrain', 'Rebooting', 'Rebooted']);
    expect(await t.daemon.step()).toBe('idle');
  });
});
