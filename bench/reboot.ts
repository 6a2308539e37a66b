/**
 * The reboot daemon's reaction and rollout figures, from the simulation in test/support/reboot-sim.ts (real
 * daemons, real fs.watch on real sentinel files, the fake API server; no faults).
 *
 * - sentinelToDrainSeconds: a sentinel file appears on a node with an open window and a free slot; seconds until
 *   its recorded phase is `draining`. The --period is 1m, so anything near a second comes from the file watch.
 * - rollingSeconds vs boundSeconds: every node of a 12-node cluster needs a reboot (concurrency 2, one per pool);
 *   the bound is ceil(N/c) batches × (drain + reboot + 5 s).
 * - periodicListCalls: list requests during 3 s of steady state after the rollout (with a 250 ms --period): the
 *   daemons watch, they do not poll with lists.
 * - longRebootMaxPerPool: 30 nodes in 5 pools, every one needing a reboot, each reboot taking 5× --lock-ttl
 *   (concurrency 5, one node per pool): the most nodes of one pool unavailable at once, counted from the fake API
 *   server's Node objects at every change (test/support/reboot-invariants.ts). It must equal the limit: reached,
 *   never passed, although every Lease entry outlives its TTL many times over while its node is down.
 */
import { Simulation } from '../test/support/reboot-sim.js';

const NODES = 12;
const POOLS = ['system', 'apps', 'batch'];
const CONCURRENCY = 2;
const REBOOT_MS = 500;
/** The drain in this simulation: evictions answered at once, PDB refusals retried after 50 ms. */
const DRAIN_SECONDS = 1;

const isList = (r: { method: string; path: string; query: URLSearchParams }) =>
  r.method === 'GET' && r.query.get('watch') !== 'true' && /\/(nodes|pods|leases|events)$/.test(r.path);

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`reboot bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function benchRebootReaction(): Promise<{
  sentinelToDrainSeconds: number;
  rollingSeconds: number;
  boundSeconds: number;
  periodicListCalls: number;
}> {
  const sim = await Simulation.start({
    nodes: NODES,
    pools: POOLS,
    sentinels: [],
    lockTtlMs: 10_000,
    renewMs: 2000,
    periodMs: 60_000,
    rebootTimes: [REBOOT_MS / 10_000],
    concurrency: CONCURRENCY,
    // The daemon's own reaction: no latency injected on the Lease writes (the tests' simulation injects it).
    leaseLatencyMs: 0,
  });
  let sentinelToDrainSeconds: number;
  let rollingSeconds: number;
  try {
    await waitFor('watches', () => sim.ready(), 10_000);
    const phase = (name: string) =>
      (sim.node(name).metadata as { annotations?: Record<string, string> }).annotations?.['aksguard.io/reboot-state'];
    const first = sim.names[0] as string;
    const created = performance.now();
    sim.requireReboot(first);
    await waitFor('drain', () => phase(first)?.includes('"draining"') === true, 30_000);
    sentinelToDrainSeconds = (performance.now() - created) / 1000;
    await waitFor('first verified', () => sim.verified(first), 30_000);

    const rest = sim.names.slice(1);
    const started = performance.now();
    for (const name of rest) sim.requireReboot(name);
    await waitFor('rollout', () => rest.every((n) => sim.verified(n)), 120_000);
    rollingSeconds = (performance.now() - started) / 1000;
  } finally {
    await sim.stop();
  }
  const batches = Math.ceil((NODES - 1) / CONCURRENCY);
  const boundSeconds = batches * (DRAIN_SECONDS + REBOOT_MS / 1000 + 5);

  const idle = await Simulation.start({
    nodes: 6,
    pools: POOLS,
    sentinels: [],
    lockTtlMs: 10_000,
    renewMs: 2000,
    periodMs: 250,
    leaseLatencyMs: 0,
  });
  let periodicListCalls: number;
  try {
    await waitFor('idle watches', () => idle.ready(), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = idle.kube.requests.filter(isList).length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    periodicListCalls = idle.kube.requests.filter(isList).length - before;
  } finally {
    await idle.stop();
  }
  return { sentinelToDrainSeconds, rollingSeconds, boundSeconds, periodicListCalls };
}

/** The rolling reboot of 30 nodes whose reboots take 5× --lock-ttl: the most of one pool seen unavailable at once. */
export async function benchLongReboots(): Promise<{
  maxPerPool: number;
  limit: number;
  violations: number;
  seconds: number;
}> {
  const limit = 1;
  const sim = await Simulation.start({
    nodes: 30,
    pools: ['p1', 'p2', 'p3', 'p4', 'p5'],
    concurrency: 5,
    perPool: limit,
    lockTtlMs: 2000,
    renewMs: 400,
    periodMs: 2000,
    rebootTimes: [5],
    // Scaled down to a 2 s TTL, 30 daemons' heartbeats on one Lease would collide all the time under injected latency
    // (a production TTL of 60 s leaves 40 s to renew); the tests' simulation injects it, the bench measures the rollout.
    leaseLatencyMs: 0,
  });
  const started = performance.now();
  try {
    await sim.until(() => sim.names.every((n) => sim.verified(n)), 600_000);
  } finally {
    await sim.stop();
  }
  return {
    maxPerPool: sim.invariants.max.pool,
    limit,
    violations: sim.invariants.violations.length,
    seconds: (performance.now() - started) / 1000,
  };
}
