import type { Clock, NodeOps, PodInfo } from './ports.js';

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
  /** False once the reboot window has closed: no eviction outside it. */
  readonly allowed: () => boolean;
  /** Stop early (slot lost, SIGTERM): the drain answers `aborted`. */
  readonly signal: AbortSignal;
}

export type DrainResult =
  | { readonly outcome: 'drained'; readonly evicted: number }
  | { readonly outcome: 'timeout'; readonly remaining: readonly string[] }
  | { readonly outcome: 'aborted' }
  | { readonly outcome: 'closed' }
  | { readonly outcome: 'refused'; readonly pods: readonly string[] };

/** Pods a drain must remove: not DaemonSet-owned (they would come right back), not mirror pods, not finished. */
export const podsToEvict = (pods: readonly PodInfo[]): PodInfo[] =>
  pods.filter((p) => !p.finished && !p.mirror && !p.ownerKinds.includes('DaemonSet'));

const podName = (p: PodInfo) => `${p.namespace}/${p.name}`;

/**
 * Empties the node through the Eviction API only, so PodDisruptionBudgets hold. The pod list is read again every
 * round: a pod recreated under the same name is a new pod to evict. A refusal (429) waits 1 s, doubling to 30 s,
 * instead of kured's tight retry loop.
 */
export async function drain(config: DrainConfig): Promise<DrainResult> {
  const { ops, clock } = config;
  const started = clock.now();
  const deadline = config.timeoutMs > 0 ? started + config.timeoutMs : Number.POSITIVE_INFINITY;
  let backoff = config.backoffMs;
  let evicted = 0;
  for (;;) {
    if (config.signal.aborted) return { outcome: 'aborted' };
    if (!config.allowed()) return { outcome: 'closed' };
    const pods = podsToEvict(await ops.listPodsOnNode(config.node, config.podSelector));
    if (pods.length === 0 || config.dryRun) return { outcome: 'drained', evicted };
    if (!config.deleteEmptyDirData) {
      const withData = pods.filter((p) => p.usesEmptyDir);
      if (withData.length > 0) return { outcome: 'refused', pods: withData.map(podName) };
    }
    let refused = false;
    for (const pod of pods.filter((p) => !p.deleting)) {
      if (config.signal.aborted) return { outcome: 'aborted' };
      const grace = config.gracePeriodSeconds >= 0 ? config.gracePeriodSeconds : undefined;
      const result = await ops.evictPod(pod, grace);
      if (result === 'evicted') evicted++;
      if (result === 'blocked') refused = true;
    }
    if (clock.now() >= deadline) return { outcome: 'timeout', remaining: pods.map(podName) };
    const wait = refused ? backoff : config.pollMs;
    backoff = refused ? Math.min(backoff * 2, config.backoffMaxMs) : config.backoffMs;
    await clock.sleep(Math.min(wait, Math.max(deadline - clock.now(), 0)), config.signal);
  }
}
