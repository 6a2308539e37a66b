import type { Clock, LeaseInfo, NodeOps } from './ports.js';

/** Slot `i` of `--concurrency`: a coordination.k8s.io Lease named `aksguard-reboot-<i>`. */
export const slotName = (i: number): string => `aksguard-reboot-${i}`;

/** A holder that stopped renewing longer than the Lease duration ago is dead: its slot is free. */
export const isLive = (lease: LeaseInfo | undefined, now: number): boolean =>
  lease?.holder !== undefined && lease.holder !== '' && (lease.renewTime ?? 0) + lease.durationSeconds * 1000 > now;

export interface SlotConfig {
  readonly ops: NodeOps;
  readonly clock: Clock;
  readonly namespace: string;
  readonly holder: string;
  readonly concurrency: number;
  readonly ttlMs: number;
}

/** How many times a 409 is answered by re-reading and trying again before giving up for this round. */
const CONFLICT_RETRIES = 3;

/**
 * The Lease slots. Every write carries the resourceVersion it read, so two daemons racing for one slot cannot
 * both win: the loser gets 409, re-reads, and sees the winner.
 */
export class Slots {
  constructor(private readonly config: SlotConfig) {}

  /** Every slot's Lease (missing ones left out). */
  async all(): Promise<LeaseInfo[]> {
    const { ops, namespace, concurrency } = this.config;
    const leases = await Promise.all(
      Array.from({ length: concurrency }, (_, i) => ops.getLease(namespace, slotName(i))),
    );
    return leases.filter((l): l is LeaseInfo => l !== undefined);
  }

  /** Takes a free slot (or keeps the one this node already holds); undefined when all are held by live holders. */
  async acquire(): Promise<string | undefined> {
    const leases = await this.all();
    // A slot left to us by an earlier attempt (say, the state write failed): keep it rather than take a second.
    const mine = leases.find((l) => l.holder === this.config.holder);
    if (mine) return (await this.take(mine.name)) ? mine.name : undefined;
    const now = this.config.clock.now();
    for (let i = 0; i < this.config.concurrency; i++) {
      const lease = leases.find((l) => l.name === slotName(i));
      if (isLive(lease, now)) continue;
      if (await this.take(slotName(i))) return slotName(i);
    }
    return undefined;
  }

  /** Takes this slot if it is free or already ours. */
  async take(name: string): Promise<boolean> {
    const { ops, clock, namespace, holder } = this.config;
    for (let round = 0; round < CONFLICT_RETRIES; round++) {
      const now = clock.now();
      const lease = await ops.getLease(namespace, name);
      if (!lease) {
        const created = await ops.createLease(namespace, {
          name,
          holder,
          acquireTime: now,
          renewTime: now,
          durationSeconds: this.durationSeconds(),
          transitions: 0,
        });
        if (created !== 'conflict') return true;
        continue;
      }
      const ours = lease.holder === holder;
      if (!ours && isLive(lease, now)) return false;
      const updated = await ops.updateLease(namespace, {
        ...lease,
        holder,
        acquireTime: ours ? (lease.acquireTime ?? now) : now,
        renewTime: now,
        durationSeconds: this.durationSeconds(),
        transitions: ours ? lease.transitions : lease.transitions + 1,
      });
      if (updated !== 'conflict') return true;
    }
    return false;
  }

  /**
   * Renews our hold. `lost` when another holder has the slot (we were presumed dead); `error` leaves the
   * decision to the next renewal, which still has time before the Lease expires.
   */
  async renew(name: string): Promise<'renewed' | 'lost'> {
    const { ops, clock, namespace, holder } = this.config;
    for (let round = 0; round < CONFLICT_RETRIES; round++) {
      const lease = await ops.getLease(namespace, name);
      if (!lease || lease.holder !== holder) return 'lost';
      const updated = await ops.updateLease(namespace, { ...lease, renewTime: clock.now() });
      if (updated !== 'conflict') return 'renewed';
    }
    return 'renewed';
  }

  /** Gives the slot back (only if we still hold it). */
  async release(name: string): Promise<void> {
    const { ops, namespace, holder } = this.config;
    for (let round = 0; round < CONFLICT_RETRIES; round++) {
      const lease = await ops.getLease(namespace, name);
      if (!lease || lease.holder !== holder) return;
      const updated = await ops.updateLease(namespace, {
        ...lease,
        holder: undefined,
        acquireTime: undefined,
        renewTime: undefined,
      });
      if (updated !== 'conflict') return;
    }
  }

  /** Lease durations are whole seconds in the API. */
  private durationSeconds(): number {
    return Math.max(1, Math.ceil(this.config.ttlMs / 1000));
  }
}
