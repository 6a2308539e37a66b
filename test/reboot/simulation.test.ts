import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimConfig, Simulation } from '../support/reboot-sim.js';

/**
 * REBOOT.md's fault list, each run with several seeds against the real daemons on the fake API server. Every run
 * deals reboot times of 0.1× to 10× --lock-ttl to its nodes (unless the scenario fixes them) and fails at the first
 * violation of the invariants, counted from the server's Node objects (test/support/reboot-invariants.ts). A run
 * must also finish: every node that can be rebooted is, exactly once, verified by a new boot ID.
 *
 * Four nodes unless a scenario needs more: pools a (aks-a-0, aks-a-2) and b (aks-b-1, aks-b-3), zones 1 (…-0, …-1)
 * and 2. Times are short (--lock-ttl 1.5 s) so the suite runs in seconds; what the daemons decide does not depend
 * on the scale, only on the order of events.
 */

interface Scenario {
  readonly name: string;
  readonly config?: Partial<SimConfig>;
  /** Faults and actions during the run. */
  readonly act?: (sim: Simulation) => void;
  /** Nodes needing a reboot that are not expected to finish (never back, blocked for good). */
  readonly unfinished?: readonly string[];
  /** Further checks once the run settled. */
  readonly verify?: (sim: Simulation) => Promise<void> | void;
  /** Besides the finished nodes, what the run waits for. */
  readonly also?: (sim: Simulation) => boolean;
}

const POOL_A = ['aks-a-0', 'aks-a-2'];
const SEEDS = [1, 2, 3];
/**
 * Renewal faults need room between the fencing margin and the TTL that latency on a busy machine cannot eat; the
 * drain retries a refused eviction every 50 ms at most, so a holder that does not fence itself in time is seen.
 */
const RENEWAL_TIMING: Partial<SimConfig> = {
  lockTtlMs: 2000,
  renewMs: 400,
  checkFencing: true,
  stuckBudgets: ['aks-a-0'],
  tuning: { backoffMs: 50, backoffMaxMs: 50, pollMs: 30, retryMs: 100, rebootWaitMs: 60_000 },
};

/**
 * From its first eviction on, aks-a-0's Lease writes fail; its drain is held by a PodDisruptionBudget, so its daemon
 * keeps trying to evict and must fence itself. The budget and the fault go away 3 s later.
 */
function failRenewals(fault: { status?: number; delayMs?: number }) {
  return (sim: Simulation) => {
    let faulty = false;
    sim.faultFor('aks-a-0', { method: 'PUT', path: /\/leases\//, ...fault, when: () => faulty });
    sim.when('aks-a-0', 'draining', () => {
      faulty = true;
      sim.later(3000, () => {
        faulty = false;
        sim.releaseBudget('aks-a-0');
      });
    });
  };
}

const SCENARIOS: Scenario[] = [
  { name: 'reboots take 3× --lock-ttl', config: { rebootTimes: [3] } },
  {
    name: 'reboots of 0.1× to 10× --lock-ttl with 500s, 409s, latency and dropped watches, one node per zone',
    config: { faults: true, perZone: 1 },
  },
  {
    name: 'a pool whose nodes never come back',
    config: { dead: POOL_A, webhook: true, flags: ['--reboot-timeout', '1s'] },
    unfinished: POOL_A,
    also: (sim) => sim.notifications.some((n) => n.event === 'overdue'),
    verify: async (sim) => {
      expect(POOL_A.map((n) => sim.reboots.get(n) ?? 0).reduce((a, b) => a + b)).toBe(1);
      const down = POOL_A.find((n) => sim.reboots.get(n) === 1) as string;
      const wentDown = sim.invariants.rebootedAt.get(down) as number;
      // Nothing touched another node of the pool after the first went down (an active phase, a cordon, an eviction).
      for (const other of POOL_A.filter((n) => n !== down)) {
        expect({ other, touched: (sim.invariants.touched.get(other) ?? 0) > wentDown }).toEqual({
          other,
          touched: false,
        });
        expect(sim.unschedulable(other)).toBe(false);
      }
      // Reported once, by one daemon (pool b's slower reboots may be reported overdue too: --reboot-timeout is 1 s).
      expect(sim.notifications.filter((n) => n.event === 'overdue' && n.node === down)).toHaveLength(1);
      expect(sim.events(down).filter((e) => e === 'RebootOverdue')).toHaveLength(1);
      const waiting = POOL_A.filter((n) => n !== down);
      const metrics = (await Promise.all(waiting.map((n) => sim.metrics(n)))).join('\n');
      expect(metrics).toContain(`aksguard_reboot_overdue{node="${down}"} 1`);
    },
  },
  {
    name: 'node clocks ten minutes apart',
    config: { skewMs: [600_000, -600_000, 0], concurrency: 1, rebootTimes: [0.3, 3] },
  },
  {
    name: 'Lease writes race with random latency and interleaving',
    config: { leaseLatencyMs: 150, concurrency: 1 },
  },
  {
    name: 'every renewal answers 409',
    config: RENEWAL_TIMING,
    act: failRenewals({ status: 409 }),
    verify: (sim) => expect(sim.events('aks-a-0')).toContain('RebootAborted'),
  },
  {
    name: 'renewals fail with 500',
    config: RENEWAL_TIMING,
    act: failRenewals({ status: 500 }),
    verify: (sim) => expect(sim.events('aks-a-0')).toContain('RebootAborted'),
  },
  {
    name: 'renewals time out',
    config: RENEWAL_TIMING,
    act: failRenewals({ delayMs: 5000 }),
    verify: (sim) => expect(sim.events('aks-a-0')).toContain('RebootAborted'),
  },
  { name: 'writes succeed but their answers are lost', config: { lostResponses: true } },
  { name: 'watches stall silently', config: { stallWatches: true } },
  {
    name: 'a Node deleted while it holds a slot (its daemon still running)',
    config: { concurrency: 1 },
    unfinished: ['aks-a-0'],
    act: (sim) =>
      sim.when('aks-a-0', 'draining', () => {
        sim.deleteNode('aks-a-0');
        sim.later(3000, () => sim.killDaemons('aks-a-0'));
      }),
  },
  { name: 'two daemon pods on every node', config: { twoPods: ['aks-a-0', 'aks-b-1', 'aks-a-2', 'aks-b-3'] } },
  {
    name: 'a blocker annotation appears mid-drain',
    config: { stuckBudgets: ['aks-a-0'] },
    act: (sim) =>
      sim.when('aks-a-0', 'draining', () => {
        sim.block('aks-a-0', 'incident 42');
        sim.later(1000, () => sim.releaseBudget('aks-a-0'));
        sim.later(1500, () => sim.block('aks-a-0', undefined));
      }),
    verify: (sim) => expect(sim.events('aks-a-0')).toContain('RebootBlocked'),
  },
  {
    name: 'an AKS surge node joins the pool mid-drain',
    config: { stuckBudgets: ['aks-a-0'] },
    act: (sim) =>
      sim.when('aks-a-0', 'draining', () => {
        const surge = sim.addSurgeNode('a');
        sim.later(1000, () => sim.releaseBudget('aks-a-0'));
        sim.later(1500, () => sim.deleteNode(surge));
      }),
    verify: (sim) => expect(sim.events('aks-a-0')).toContain('RebootBlocked'),
  },
  {
    name: 'an operator or an AKS upgrade cordons a pool-mate; an accepted cordon does not count',
    config: { nodes: 6, sentinels: ['aks-a-0', 'aks-a-2', 'aks-b-1', 'aks-b-3'] },
    act: (sim) => {
      sim.cordon('aks-a-4');
      sim.cordon('aks-b-5', true);
      sim.later(1000, () => sim.uncordon('aks-a-4'));
      for (const node of ['aks-a-0', 'aks-a-2'])
        sim.when(node, 'draining', () => {
          sim.cordon('aks-a-4');
          sim.later(800, () => sim.uncordon('aks-a-4'));
        });
    },
    verify: (sim) => expect(sim.unschedulable('aks-b-5')).toBe(true),
  },
  {
    name: 'a PodDisruptionBudget never allows the eviction',
    config: { stuckBudgets: ['aks-a-0'], flags: ['--drain-timeout', '1s'] },
    unfinished: ['aks-a-0'],
    also: (sim) => sim.events('aks-a-0').includes('RebootFailed'),
    verify: (sim) => {
      expect(sim.annotations('aks-a-0')['aksguard.io/reboot-state']).toContain('"failed"');
      expect(sim.reboots.get('aks-a-0')).toBe(0);
    },
  },
  {
    name: 'a pod stuck Terminating',
    config: { stuckTerminating: ['aks-a-0'], flags: ['--drain-timeout', '1s'] },
    unfinished: ['aks-a-0'],
    also: (sim) => sim.events('aks-a-0').includes('RebootFailed'),
    verify: (sim) => expect(sim.reboots.get('aks-a-0')).toBe(0),
  },
  {
    name: 'the window closes mid-drain',
    config: { stuckBudgets: ['aks-a-0'], concurrency: 1 },
    act: (sim) =>
      sim.when('aks-a-0', 'draining', () =>
        sim.later(100, () => {
          sim.setWindow(false);
          sim.later(1000, () => {
            sim.releaseBudget('aks-a-0');
            sim.setWindow(true);
          });
        }),
      ),
    verify: (sim) => expect(sim.events('aks-a-0')).toContain('RebootFailed'),
  },
  {
    name: 'daemons killed at each phase (admitted, draining in a replaced pod, rebooting, verifying)',
    config: {
      kills: [
        { node: 'aks-a-0', at: 'admitted' },
        { node: 'aks-b-1', at: 'draining', newPod: true },
        { node: 'aks-a-2', at: 'rebooting' },
        { node: 'aks-b-3', at: 'verifying' },
      ],
    },
    verify: (sim) =>
      expect(sim.killed.sort()).toEqual([
        'aks-a-0:admitted',
        'aks-a-2:rebooting',
        'aks-b-1:draining',
        'aks-b-3:verifying',
      ]),
  },
];

interface Run {
  readonly scenario: string;
  readonly seed: number;
  readonly ms: number;
  readonly error?: string;
  readonly max: { active: number; pool: number; zone: number };
  readonly limits: { concurrency: number; perPool: number; perZone: number | undefined };
  /** The reboot time each node was dealt, as a multiple of --lock-ttl. */
  readonly multiples: readonly number[];
}

async function run(scenario: Scenario, seed: number): Promise<Run> {
  const started = Date.now();
  const sim = await Simulation.start({ ...scenario.config, seed });
  const { config } = sim;
  const base = {
    scenario: scenario.name,
    seed,
    limits: { concurrency: config.concurrency, perPool: config.perPool, perZone: config.perZone },
    multiples: [...sim.rebootMs.values()].map((ms) => ms / config.lockTtlMs).sort((a, b) => a - b),
  };
  try {
    scenario.act?.(sim);
    const expected = (config.sentinels ?? sim.names).filter((n) => !scenario.unfinished?.includes(n));
    await sim.until(() => expected.every((n) => sim.verified(n)) && (scenario.also?.(sim) ?? true), TIMEOUT_MS);
    for (const node of expected) {
      expect({ node, reboots: sim.reboots.get(node) }).toEqual({ node, reboots: 1 });
      expect({ node, cordoned: sim.unschedulable(node) }).toEqual({
        node,
        cordoned: sim.invariants.operatorCordoned.has(node),
      });
    }
    expect(sim.invariants.unevicted.filter((p) => p.startsWith('default/'))).toEqual([]);
    await scenario.verify?.(sim);
    expect(sim.invariants.violations).toEqual([]);
    return { ...base, ms: Date.now() - started, max: { ...sim.invariants.max } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, ms: Date.now() - started, max: { ...sim.invariants.max }, error: message };
  } finally {
    await sim.stop();
  }
}

/** Runs at once: the simulations mostly wait on their timers. */
const PARALLEL = 6;
const TIMEOUT_MS = 60_000;

describe('reboot simulation: REBOOT.md faults × seeds, invariants from the API server’s objects', () => {
  const runs: Run[] = [];

  beforeAll(async () => {
    const queue = SCENARIOS.flatMap((scenario) => SEEDS.map((seed) => () => run(scenario, seed)));
    const workers = Array.from({ length: PARALLEL }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) runs.push(await next());
    });
    await Promise.all(workers);
  }, 600_000);

  afterAll(() => {
    // SIM_REPORT=file writes what each run saw, for the record (seeds, reboot-time multiples, maxima vs limits).
    if (process.env.SIM_REPORT) writeFileSync(process.env.SIM_REPORT, JSON.stringify(runs, null, 1));
  });

  it.each(SCENARIOS.map((s) => [s.name]))('%s', (name) => {
    const mine = runs.filter((r) => r.scenario === name).sort((a, b) => a.seed - b.seed);
    expect(mine.map((r) => r.seed)).toEqual(SEEDS);
    for (const r of mine) {
      expect({ seed: r.seed, error: r.error }).toEqual({ seed: r.seed, error: undefined });
      expect(r.max.active).toBeLessThanOrEqual(r.limits.concurrency);
      expect(r.max.pool).toBeLessThanOrEqual(r.limits.perPool);
      if (r.limits.perZone !== undefined) expect(r.max.zone).toBeLessThanOrEqual(r.limits.perZone);
    }
    // The limits were reached in some run, so the checks above tested something.
    expect(Math.max(...mine.map((r) => r.max.pool))).toBe(mine[0]?.limits.perPool);
  });
});
