import { IGNORE_CORDON } from '../model/reboot-annotations.js';
import { POOL_LABEL, ZONE_LABEL } from './blockers.js';
import type { Holder } from './lease.js';
import type { Clock, NodeInfo } from './ports.js';
import { isActive, readState } from './state.js';

/**
 * Capacity is node state, never lock state: a node is unavailable while it is NotReady, cordoned (by anyone — an
 * operator, an AKS upgrade, this daemon — unless `aksguard.io/ignore-cordon: "true"` accepts the cordon), or in an
 * active reboot phase until its reboot is verified, however long that takes.
 */
export const isUnavailable = (node: NodeInfo): boolean =>
  !node.ready ||
  (node.unschedulable && node.annotations[IGNORE_CORDON] !== 'true') ||
  isActive(readState(node.annotations));

/** Ready, schedulable and in no active phase: only such a node's stale holder entry may be removed by others. */
export const isHealthy = (node: NodeInfo): boolean =>
  node.ready && !node.unschedulable && !isActive(readState(node.annotations));

export interface Limits {
  readonly concurrency: number;
  readonly perPool: number;
  readonly perZone: number | undefined;
}

export interface Refusal {
  /** `slot` when --concurrency is used up, `limit` for a pool or zone, or another daemon pod of this node. */
  readonly reason: 'slot' | 'limit' | 'another-daemon';
  readonly why: string;
}

/**
 * Whether `node` may take a slot now, given every node and the other holders. --concurrency counts holders plus
 * nodes in an active phase; the pool and zone limits count unavailable nodes plus holders. The asking node never
 * counts against itself (a node cordoned before can still be rebooted).
 */
export function overLimit(
  node: NodeInfo,
  nodes: readonly NodeInfo[],
  others: readonly Holder[],
  limits: Limits,
): Refusal | undefined {
  const rest = others.filter((h) => h.node !== node.name);
  const busy = new Set(rest.map((h) => h.node));
  for (const n of nodes) if (n.name !== node.name && isActive(readState(n.annotations))) busy.add(n.name);
  if (busy.size >= limits.concurrency)
    return { reason: 'slot', why: `${busy.size} node(s) hold reboot slots (--concurrency ${limits.concurrency})` };

  const out = new Map<string, { pool: string; zone: string }>();
  for (const n of nodes) {
    if (n.name !== node.name && isUnavailable(n))
      out.set(n.name, { pool: n.labels[POOL_LABEL] ?? '', zone: n.labels[ZONE_LABEL] ?? '' });
  }
  for (const h of rest) out.set(h.node, { pool: h.pool, zone: h.zone });
  const checks = [
    ['pool', node.labels[POOL_LABEL], limits.perPool],
    ['zone', node.labels[ZONE_LABEL], limits.perZone],
  ] as const;
  for (const [what, value, max] of checks) {
    if (max === undefined || !value) continue;
    const down = [...out].filter(([, place]) => place[what] === value).map(([name]) => name);
    if (down.length >= max)
      return {
        reason: 'limit',
        why: `${what} ${value} has ${down.length} unavailable node(s) (limit ${max}): ${down.sort().join(', ')}`,
      };
  }
  return undefined;
}

/**
 * Nodes still down --reboot-timeout after their reboot, as this reader sees it: from when it first saw the holder's
 * node in phase `rebooting` and unavailable, on its own monotonic clock. Overdue nodes keep counting; this only
 * makes them known.
 */
export class OverdueWatch {
  private readonly since = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  /** The holders' nodes that are overdue now. */
  overdue(nodes: readonly NodeInfo[], holders: readonly Holder[]): string[] {
    const now = this.clock.monotonic();
    const down = new Set<string>();
    for (const holder of holders) {
      const node = nodes.find((n) => n.name === holder.node);
      if (node && readState(node.annotations)?.phase === 'rebooting' && isUnavailable(node)) down.add(node.name);
    }
    for (const name of this.since.keys()) if (!down.has(name)) this.since.delete(name);
    for (const name of down) if (!this.since.has(name)) this.since.set(name, now);
    return [...down].filter((name) => now - (this.since.get(name) as number) >= this.timeoutMs).sort();
  }
}
