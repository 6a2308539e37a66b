/**
 * Runs simulation scenarios (test/support/reboot-sim.ts) with several seeds each, a few at a time, and asserts per
 * scenario that every run finished without a violation of the invariants and within the limits. `SIM_REPORT=dir`
 * writes what each run saw (seeds, reboot-time multiples, the maxima against the limits), for the record.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimConfig, Simulation } from './reboot-sim.js';

export interface Scenario {
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

export const SEEDS = [1, 2, 3];

/**
 * Renewal faults need room between the fencing margin and the TTL that latency on a busy machine cannot eat; the
 * drain retries a refused eviction every 50 ms at most, so a holder that does not fence itself in time is seen.
 */
export const RENEWAL_TIMING: Partial<SimConfig> = {
  lockTtlMs: 4000,
  renewMs: 800,
  checkFencing: true,
  stuckBudgets: ['aks-a-0'],
  tuning: { backoffMs: 50, backoffMaxMs: 50, pollMs: 30, retryMs: 100, rebootWaitMs: 60_000 },
};

/**
 * From its first eviction on, aks-a-0's Lease writes fail; its drain is held by a PodDisruptionBudget, so its daemon
 * keeps trying to evict and must fence itself. The budget and the fault go away 3 s later.
 */
export function failRenewals(fault: { status?: number; delayMs?: number }) {
  return (sim: Simulation) => {
    let faulty = false;
    sim.faultFor('aks-a-0', { method: 'PUT', path: /\/leases\//, ...fault, when: () => faulty });
    sim.when('aks-a-0', 'draining', () => {
      faulty = true;
      sim.later(6000, () => {
        faulty = false;
        sim.releaseBudget('aks-a-0');
      });
    });
  };
}

interface Run {
  readonly scenario: string;
  readonly seed: number;
  readonly ms: number;
  readonly error?: string;
  readonly max: { active: number; pool: number; zone: number };
  readonly limits: { concurrency: number; perPool: number; perZone: number | undefined };
  /** The reboot time each node was dealt, as a multiple of --lock-ttl. */
  readonly multiples: readonly number[];
  /** Nodes some daemon reported overdue (still down --reboot-timeout after their reboot). */
  readonly overdue?: readonly string[];
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
    const overdue = sim.names.filter((n) => sim.events(n).includes('RebootOverdue'));
    return { ...base, ms: Date.now() - started, max: { ...sim.invariants.max }, overdue };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, ms: Date.now() - started, max: { ...sim.invariants.max }, error: message };
  } finally {
    await sim.stop();
  }
}

/**
 * Runs at once, at most: the simulations mostly wait on their timers. Fewer while this process's event loop lags
 * (a loaded machine): every daemon, the API server and the invariant checker share this one thread, so a run started
 * into a backlog would only see its renewals late and its holders fence themselves.
 */
const MAX_PARALLEL = 16;
/** A further run starts only while a 20 ms timer fires no later than this (ms). */
const CALM_LAG_MS = 30;
const TIMEOUT_MS = 120_000;

/** How late a short timer fires now, worst of a few (ms). */
async function lag(): Promise<number> {
  let worst = 0;
  for (let i = 0; i < 5; i++) {
    const at = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    worst = Math.max(worst, performance.now() - at - 20);
  }
  return worst;
}

/** Every task, the longest expected first, as many at once as the event loop keeps up with. */
async function runAll(tasks: readonly (() => Promise<Run>)[]): Promise<Run[]> {
  const runs: Run[] = [];
  const running = new Set<Promise<void>>();
  for (const task of tasks) {
    while (running.size >= MAX_PARALLEL || (running.size > 0 && (await lag()) > CALM_LAG_MS))
      await Promise.race([...running, new Promise((resolve) => setTimeout(resolve, 500))]);
    const done: Promise<void> = task().then((run) => {
      runs.push(run);
      running.delete(done);
    });
    running.add(done);
  }
  await Promise.all(running);
  return runs;
}

/**
 * One `describe` per group and one `it` per scenario, after all runs of all groups (scenarios × seeds, through one
 * queue: the runs of one group overlap the long ones of another).
 */
export function describeScenarios(groups: Readonly<Record<string, readonly Scenario[]>>): void {
  const runs: Run[] = [];

  beforeAll(async () => {
    // Higher seeds deal the longer reboot times (up to 10× --lock-ttl): started first, they do not trail at the end.
    const tasks = [...SEEDS]
      .reverse()
      .flatMap((seed) =>
        Object.values(groups).flatMap((scenarios) => scenarios.map((scenario) => () => run(scenario, seed))),
      );
    runs.push(...(await runAll(tasks)));
  }, 900_000);

  afterAll(() => {
    const dir = process.env.SIM_REPORT;
    if (dir) writeFileSync(join(dir, 'reboot-simulation.json'), JSON.stringify(runs, null, 1));
  });

  for (const [title, scenarios] of Object.entries(groups)) {
    describe(title, () => {
      it.each(scenarios.map((s) => [s.name]))('%s', (name) => {
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
  }
}
