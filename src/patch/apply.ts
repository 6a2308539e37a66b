import type { PoolPlan } from './plan.js';
import { isOpen } from './window.js';

/** The narrow port to whatever starts node image upgrades (ARM in production). */
export interface UpgradePort {
  /** Starts a node-image-only upgrade of the pool; resolves once ARM has accepted it. */
  start(pool: PoolPlan): Promise<UpgradeRun>;
}

export interface UpgradeRun {
  /** Waits for the operation to end; an aborted signal stops the waiting, never the operation. */
  wait(signal: AbortSignal, onStatus: (status: string) => void): Promise<void>;
  /** The pool after the operation: its provisioning state and node image. */
  final(): Promise<{ readonly state: string; readonly image: string | undefined }>;
}

export type ApplyResult = 'succeeded' | 'failed' | 'outside-window' | 'interrupted' | 'not-started';

export interface Outcome {
  readonly pool: PoolPlan;
  readonly result: ApplyResult;
  readonly detail: string;
}

export interface ApplyOptions {
  readonly port: UpgradePort;
  readonly now: () => Date;
  /** `--now`: start even outside the maintenance window. */
  readonly ignoreWindow: boolean;
  /** Pools of one cluster upgraded at once (AKS runs one operation per cluster at a time unless told otherwise). */
  readonly poolsPerCluster: number;
  /** Ctrl-C: stop waiting and start nothing new; running operations go on in Azure. */
  readonly signal: AbortSignal;
  readonly onEvent: (pool: PoolPlan, message: string) => void;
}

/**
 * Upgrades every pool whose plan says `upgrade`: clusters side by side, `poolsPerCluster` pools of a cluster at a
 * time, each only inside its maintenance window unless `ignoreWindow`.
 */
export async function applyPlan(plan: readonly PoolPlan[], options: ApplyOptions): Promise<Outcome[]> {
  const byCluster = new Map<string, PoolPlan[]>();
  for (const pool of plan.filter((p) => p.action === 'upgrade')) {
    byCluster.set(pool.target, [...(byCluster.get(pool.target) ?? []), pool]);
  }
  const outcomes = await Promise.all([...byCluster.values()].map((pools) => applyCluster(pools, options)));
  return outcomes.flat();
}

async function applyCluster(pools: readonly PoolPlan[], options: ApplyOptions): Promise<Outcome[]> {
  const queue = [...pools];
  const outcomes: Outcome[] = [];
  const worker = async () => {
    for (let pool = queue.shift(); pool; pool = queue.shift()) outcomes.push(await applyPool(pool, options));
  };
  await Promise.all(Array.from({ length: Math.max(1, options.poolsPerCluster) }, worker));
  return outcomes;
}

async function applyPool(pool: PoolPlan, options: ApplyOptions): Promise<Outcome> {
  const outcome = (result: ApplyResult, detail: string): Outcome => {
    options.onEvent(pool, detail);
    return { pool, result, detail };
  };
  if (options.signal.aborted) return outcome('not-started', 'not started (interrupted)');
  const refusal = windowRefusal(pool, options);
  if (refusal) return outcome('outside-window', refusal);
  let run: UpgradeRun;
  try {
    run = await options.port.start(pool);
  } catch (error) {
    return outcome('failed', `could not start: ${message(error)}`);
  }
  options.onEvent(pool, `started: ${pool.currentImage ?? '?'} → ${pool.latestImage ?? 'latest'}`);
  try {
    await run.wait(options.signal, (status) => options.onEvent(pool, status));
  } catch (error) {
    if (options.signal.aborted) return outcome('interrupted', 'stopped waiting; the upgrade goes on in Azure');
    return outcome('failed', `failed: ${message(error)}`);
  }
  const final = await run.final().catch(() => ({ state: 'unknown', image: undefined }));
  const ok = final.state.toLowerCase() === 'succeeded';
  return outcome(ok ? 'succeeded' : 'failed', `${final.state}; node image now ${final.image ?? 'unknown'}`);
}

function windowRefusal(pool: PoolPlan, options: ApplyOptions): string | undefined {
  const { window } = pool;
  if (options.ignoreWindow || window.anyTime || isOpen(window.next, options.now())) return undefined;
  const next = window.next
    ? `the next opens ${window.next.start.toISOString()}`
    : (window.note ?? 'no window is known');
  return `not started: outside its maintenance window (${window.source}); ${next}. Run then, or pass --now`;
}

const message = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
