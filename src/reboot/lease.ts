import { REBOOT_HOLDERS } from '../model/reboot-annotations.js';
import { type Clock, ConflictError, type LeaseInfo, type NodeOps } from './ports.js';

/** The one Lease every daemon of a cluster coordinates through, in the daemons' namespace. */
export const LOCK_NAME = 'aksguard-reboot';

/** A node holding a reboot slot, as the Lease records it. */
export interface Holder {
  readonly node: string;
  readonly pool: string;
  readonly zone: string;
  /** The daemon pod that holds it: only that pod renews or releases it, until the pod no longer exists. */
  readonly pod: string;
  readonly uid: string;
  /** Raised by the holder at every renewal. Readers judge staleness by whether it changes, never by a time. */
  readonly heartbeat: number;
  /** Set once a daemon has reported the node overdue, so that it is reported once. */
  readonly overdue?: boolean;
}

/** What one compare-and-swap decided: the holder list to write (none: leave the Lease as it is) and the answer. */
export interface Decision<T> {
  readonly write?: readonly Holder[];
  readonly result: T;
}

/** How many times a 409 is answered by reading again and deciding again before this round gives up. */
const CONFLICT_RETRIES = 6;
/** The first pause after a collision, at most (ms); it doubles with each further one. */
const CONFLICT_PAUSE_MS = 25;

/** The holders recorded on the Lease; an unreadable list (edited by hand) counts as none. */
export function readHolders(lease: LeaseInfo | undefined): Holder[] {
  const text = lease?.annotations[REBOOT_HOLDERS];
  if (!text) return [];
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter(isHolder) : [];
  } catch {
    return [];
  }
}

function isHolder(value: unknown): value is Holder {
  const h = value as Partial<Holder> | null;
  return (
    typeof h?.node === 'string' &&
    typeof h.uid === 'string' &&
    typeof h.heartbeat === 'number' &&
    typeof h.pool === 'string' &&
    typeof h.zone === 'string' &&
    typeof h.pod === 'string'
  );
}

/**
 * The reboot lock: the holder list on one Lease, changed only by compare-and-swap (every write carries the
 * resourceVersion it read; 409 → read again, decide again), so no two decisions can both see the same free slot.
 *
 * Staleness is judged as client-go's leader election judges it: by when this reader last saw a holder's heartbeat
 * change, on its own monotonic clock. No time another node wrote, and so no clock skew, enters any decision.
 */
export class RebootLock {
  private readonly seen = new Map<string, { heartbeat: number; at: number }>();

  constructor(
    private readonly config: {
      readonly ops: NodeOps;
      readonly clock: Clock;
      readonly namespace: string;
      readonly ttlMs: number;
      /** Spreads the retries of daemons that collided (injected in tests). */
      readonly random?: () => number;
    },
  ) {}

  /** The current holders (and notes their heartbeats). */
  async holders(): Promise<Holder[]> {
    const holders = readHolders(await this.config.ops.getLease(this.config.namespace, LOCK_NAME));
    this.observe(holders);
    return holders;
  }

  /**
   * One compare-and-swap: `decide` sees the holders and returns what to write; a conflicting write makes it decide
   * again on what is there now. Throws `ConflictError` when others keep winning, and the API's errors.
   */
  async update<T>(decide: (holders: readonly Holder[]) => Promise<Decision<T>> | Decision<T>): Promise<T> {
    const { ops, namespace, clock, random = Math.random } = this.config;
    for (let round = 0; round < CONFLICT_RETRIES; round++) {
      // After a collision, a random pause that doubles: daemons that all woke at one release do not collide again.
      if (round > 0) await clock.sleep(random() * CONFLICT_PAUSE_MS * 2 ** (round - 1));
      const lease = await ops.getLease(namespace, LOCK_NAME);
      const holders = readHolders(lease);
      this.observe(holders);
      const decision = await decide(holders);
      if (!decision.write) return decision.result;
      if (await this.write(lease, decision.write)) return decision.result;
    }
    throw new ConflictError('the reboot Lease kept changing; deciding again later');
  }

  /** A holder whose heartbeat this reader has not seen change for --lock-ttl. */
  stale(holder: Holder): boolean {
    const seen = this.seen.get(key(holder));
    return (
      seen !== undefined &&
      seen.heartbeat === holder.heartbeat &&
      this.config.clock.monotonic() - seen.at >= this.config.ttlMs
    );
  }

  private observe(holders: readonly Holder[]): void {
    const now = this.config.clock.monotonic();
    const present = new Set(holders.map(key));
    for (const k of this.seen.keys()) if (!present.has(k)) this.seen.delete(k);
    for (const holder of holders) {
      const seen = this.seen.get(key(holder));
      if (seen?.heartbeat !== holder.heartbeat) this.seen.set(key(holder), { heartbeat: holder.heartbeat, at: now });
    }
  }

  /**
   * Writes the holder list over the version read; false on 409. A write whose answer was lost (reset, timeout) is
   * read back: if the Lease holds exactly what we wrote, it landed.
   */
  private async write(read: LeaseInfo | undefined, holders: readonly Holder[]): Promise<boolean> {
    const { ops, namespace } = this.config;
    const lease = {
      name: LOCK_NAME,
      holderIdentity: holders.length > 0 ? holders.map((h) => h.node).join(',') : undefined,
      annotations: { ...read?.annotations, [REBOOT_HOLDERS]: JSON.stringify(holders) },
    };
    try {
      const written = read
        ? await ops.updateLease(namespace, { ...lease, resourceVersion: read.resourceVersion })
        : await ops.createLease(namespace, lease);
      return written !== 'conflict';
    } catch (error) {
      const now = await ops.getLease(namespace, LOCK_NAME).catch(() => undefined);
      if (now && JSON.stringify(readHolders(now)) === JSON.stringify(holders)) return true;
      throw error;
    }
  }
}

const key = (holder: Holder) => `${holder.node}/${holder.uid}`;
