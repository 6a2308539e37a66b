import type { Clock, EvictionResult, NodeOps, PodInfo } from './ports.js';

export interface DrainConfig {
  readonly ops: NodeOps;
  readonly clock: Clock;
  readonly node: string;
  /** 0 = no limit. */
  readonly timeoutMs: number;
  /** -1 = each pod's own terminationGracePeriodSeconds. */
  readonly gracePeriodSeconds: number;
  /** `--drain-pod-selector`: only pods matching this label selector are evicted. */
  readonly podSelector: string | undefined;
  readonly deleteEmptyDirData: boolean;
  readonly dryRun: boolean;
  /** First wait after a PodDisruptionBudget refusal (1 s), doubled each round up to `backoffMaxMs` (30 s). */
  readonly backoffMs: number;
  readonly backoffMaxMs: number;
  /** Wait between rounds while evicted pods terminate. */
  readonly pollMs: number;
  /** False once the reboot window has closed: checked before every eviction, so none happens outside it. */
  readonly allowed: () => boolean;
  /** Before every round: what blocks the reboot now (a blocker that appeared mid-drain), or undefined. */
  readonly blockedBy: () => Promise<string | undefined>;
  /** `--skip-wait-for-delete-timeout`: a pod terminating longer than this (ms) is not waited for; 0 = always. */
  readonly skipWaitMs: number;
  /** Stop early (slot lost, self-fencing, SIGTERM): the drain answers `aborted`, abandoning a pending eviction. */
  readonly signal: AbortSignal;
}

export type DrainResult =
  | { readonly outcome: 'drained'; readonly evicted: number }
  | { readonly outcome: 'timeout'; readonly remaining: readonly string[] }
  | { readonly outcome: 'aborted' }
  | { readonly outcome: 'closed' }
  | { readonly outcome: 'blocked'; readonly why: string }
  | { readonly outcome: 'refused'; readonly pods: readonly string[] };

/** Pods a drain must remove: not DaemonSet-owned (they would come right back), not mirror pods, not finished. */
export const podsToEvict = (pods: readonly PodInfo[]): PodInfo[] =>
  pods.filter((p) => !p.finished && !p.mirror && !p.ownerKinds.includes('DaemonSet'));

const podName = (p: PodInfo) => `${p.namespace}/${p.name}`;

/**
 * Empties the node through the Eviction API only, so PodDisruptionBudgets hold. Every round reads the pod list again
 * (a pod recreated under the same name is a new pod to evict) and asks the blockers again before it evicts. A
 * refusal (429) waits 1 s, doubling to 30 s, instead of kured's tight retry loop.
 */
export async function drain(config: DrainConfig): Promise<DrainResult> {
  const { clock, signal } = config;
  const deadline = config.timeoutMs > 0 ? clock.monotonic() + config.timeoutMs : Number.POSITIVE_INFINITY;
  let backoff = config.backoffMs;
  let evicted = 0;
  for (;;) {
    if (signal.aborted) return { outcome: 'aborted' };
    if (!config.allowed()) return { outcome: 'closed' };
    const pods = await podsLeft(config);
    if (pods.length === 0 || config.dryRun) return { outcome: 'drained', evicted };
    // Asked after listing, right before the round's evictions: a blocker seen by then stops them all.
    const blocker = await config.blockedBy();
    if (blocker) return { outcome: 'blocked', why: blocker };
    if (!config.deleteEmptyDirData) {
      const withData = pods.filter((p) => p.usesEmptyDir);
      if (withData.length > 0) return { outcome: 'refused', pods: withData.map(podName) };
    }
    const round = await evictRound(config, pods);
    if (round === 'aborted' || round === 'closed') return { outcome: round };
    evicted += round.evicted;
    if (clock.monotonic() >= deadline) return { outcome: 'timeout', remaining: pods.map(podName) };
    const wait = round.refused ? backoff : config.pollMs;
    backoff = round.refused ? Math.min(backoff * 2, config.backoffMaxMs) : config.backoffMs;
    await clock.sleep(Math.min(wait, Math.max(deadline - clock.monotonic(), 0)), signal);
  }
}

/** The pods still to go, less those stuck terminating longer than --skip-wait-for-delete-timeout (as kubectl drain). */
async function podsLeft(config: DrainConfig): Promise<PodInfo[]> {
  const now = config.clock.now();
  const stuck = (p: PodInfo) =>
    config.skipWaitMs > 0 && p.deletionTimestamp !== undefined && now - p.deletionTimestamp > config.skipWaitMs;
  return podsToEvict(await config.ops.listPodsOnNode(config.node, config.podSelector)).filter((p) => !stuck(p));
}

/** One eviction per pod not yet terminating; the window and the abort signal are checked before each. */
async function evictRound(
  config: DrainConfig,
  pods: readonly PodInfo[],
): Promise<{ evicted: number; refused: boolean } | 'aborted' | 'closed'> {
  const grace = config.gracePeriodSeconds >= 0 ? config.gracePeriodSeconds : undefined;
  let evicted = 0;
  let refused = false;
  for (const pod of pods.filter((p) => p.deletionTimestamp === undefined)) {
    if (config.signal.aborted) return 'aborted';
    if (!config.allowed()) return 'closed';
    let result: EvictionResult;
    try {
      result = await config.ops.evictPod(pod, grace, config.signal);
    } catch (error) {
      if (config.signal.aborted) return 'aborted';
      throw error;
    }
    if (result === 'evicted') evicted++;
    if (result === 'blocked') refused = true;
  }
  return { evicted, refused };
}
