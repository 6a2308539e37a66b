import type { Logger } from 'pino';
import type { Holder, RebootLock } from './lease.js';
import type { Clock } from './ports.js';

/** The daemon pod acting for a node: the identity a holder entry and the node's state record. */
export interface Identity {
  readonly node: string;
  readonly pod: string;
  readonly uid: string;
}

export const isMine = (holder: Holder, me: Identity): boolean => holder.node === me.node && holder.uid === me.uid;

/**
 * A slot this daemon holds: its heartbeat is raised every --lock-renew-interval on the injected clock. `signal`
 * aborts when the slot is lost (another daemon removed it) or when renewals have failed for --lock-ttl minus two
 * renewal intervals (self-fencing): by then another daemon could soon judge the entry stale, so the drain stops,
 * in-flight evictions included. A renewal is reported as what it was: only a written heartbeat counts.
 */
export class Hold {
  private readonly lost = new AbortController();
  private stopTimer: (() => void) | undefined;
  private renewing = false;
  /** When the last successful renewal was sent (monotonic): a reader saw its heartbeat no earlier than this. */
  private renewedAt: number;

  constructor(
    private readonly lock: RebootLock,
    private readonly me: Identity,
    private readonly clock: Clock,
    private readonly timing: { readonly renewMs: number; readonly ttlMs: number },
    private readonly log: Logger,
    /** When the heartbeat that made us a holder was sent. */
    since: number,
  ) {
    this.renewedAt = since;
  }

  get signal(): AbortSignal {
    return this.lost.signal;
  }

  start(): this {
    this.stopTimer = this.clock.every(this.timing.renewMs, () => this.tick());
    return this;
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }

  /** Renews now: true only when our heartbeat was written. */
  async renew(): Promise<boolean> {
    const sent = this.clock.monotonic();
    try {
      const renewed = await this.lock.update((holders) => {
        const mine = holders.find((h) => isMine(h, this.me));
        if (!mine) return { result: false };
        const write = holders.map((h) => (h === mine ? { ...h, heartbeat: h.heartbeat + 1 } : h));
        return { write, result: true };
      });
      if (!renewed) this.abort('another daemon removed this node’s slot');
      else this.renewedAt = Math.max(this.renewedAt, sent);
      return renewed;
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'slot renewal failed');
      return false;
    }
  }

  /**
   * Before a step that must not happen without the slot (the first cordon, the reboot): renews, and says whether
   * the slot is still ours — a failed renewal within the fencing margin still is, a removed entry is not.
   */
  async stillHeld(): Promise<boolean> {
    await this.renew();
    this.checkFence();
    return !this.lost.signal.aborted;
  }

  private tick(): void {
    this.checkFence();
    if (this.renewing || this.lost.signal.aborted) return;
    this.renewing = true;
    void this.renew().finally(() => {
      this.renewing = false;
    });
  }

  private checkFence(): void {
    const fence = this.timing.ttlMs - 2 * this.timing.renewMs;
    if (this.clock.monotonic() - this.renewedAt > fence)
      this.abort(`no heartbeat written for ${Math.round(fence)} ms; stopping before the slot could be judged stale`);
  }

  private abort(why: string): void {
    if (this.lost.signal.aborted) return;
    this.log.warn(why);
    this.lost.abort(new Error(why));
  }
}
