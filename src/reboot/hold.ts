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
 * This process's heartbeat counter. It never repeats a value, not even across entries (an entry released and taken
 * again must look changed to every reader); it starts from the wall clock only to differ from an earlier process's
 * count. Readers compare heartbeats for equality, never as times.
 */
export class Heartbeats {
  constructor(private last: number) {}

  /** The next value, above `after` (the entry's current heartbeat). */
  next(after = 0): number {
    this.last = Math.max(this.last, after) + 1;
    return this.last;
  }
}

/**
 * A slot this daemon holds: its heartbeat is raised every --lock-renew-interval on the injected clock. `signal`
 * aborts when the slot is lost (another daemon removed it) or when renewals have failed for --lock-ttl minus two
 * renewal intervals (self-fencing): by then another daemon could soon judge the entry stale, so the drain stops,
 * in-flight evictions included. A renewal is reported as what it was: only a written heartbeat counts.
 */
export class Hold {
  private readonly lost = new AbortController();
  private stopTimer: (() => void) | undefined;
  private disarmFence: (() => void) | undefined;
  private inflight: Promise<boolean> | undefined;
  /** When the last successful renewal was sent (monotonic): a reader saw its heartbeat no earlier than this. */
  private renewedAt: number;

  constructor(
    private readonly lock: RebootLock,
    private readonly me: Identity,
    private readonly beats: Heartbeats,
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
    this.armFence();
    return this;
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
    this.disarmFence?.();
  }

  /** Renews now (or joins the renewal under way): true only when our heartbeat was written. */
  renew(): Promise<boolean> {
    this.inflight ??= this.write().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async write(): Promise<boolean> {
    const sent = this.clock.monotonic();
    try {
      const renewed = await this.lock.update((holders) => {
        const mine = holders.find((h) => isMine(h, this.me));
        if (!mine) return { result: false };
        const write = holders.map((h) => (h === mine ? { ...h, heartbeat: this.beats.next(h.heartbeat) } : h));
        return { write, result: true };
      });
      if (!renewed) this.abort('another daemon removed this node’s slot');
      else if (sent > this.renewedAt) {
        this.renewedAt = sent;
        this.armFence();
      }
      return renewed;
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'slot renewal failed');
      return false;
    }
  }

  /**
   * Before a step that must not happen without the slot (the first cordon, the reboot): renews, and says whether
   * the slot is still ours — a failed renewal within the fencing margin still is, a removed entry is not. A
   * renewal that hangs is not waited for past the fencing deadline (the timer's check ends the wait).
   */
  async stillHeld(): Promise<boolean> {
    if (this.lost.signal.aborted) return false;
    const fenced = new Promise<void>((resolve) => this.lost.signal.addEventListener('abort', () => resolve()));
    await Promise.race([this.renew(), fenced]);
    this.checkFence();
    return !this.lost.signal.aborted;
  }

  private tick(): void {
    this.checkFence();
    if (!this.inflight && !this.lost.signal.aborted) void this.renew();
  }

  private get fenceMs(): number {
    return this.timing.ttlMs - 2 * this.timing.renewMs;
  }

  private checkFence(): void {
    if (this.clock.monotonic() - this.renewedAt >= this.fenceMs)
      this.abort(`no heartbeat written for ${this.fenceMs} ms; stopping before the slot could be judged stale`);
  }

  /** A one-shot timer at the fencing deadline, so the drain stops then and not at the next renewal tick. */
  private armFence(): void {
    this.disarmFence?.();
    if (this.lost.signal.aborted || !this.stopTimer) return;
    const delay = Math.max(1, this.renewedAt + this.fenceMs - this.clock.monotonic());
    const stop = this.clock.every(delay, () => {
      stop();
      this.checkFence();
    });
    this.disarmFence = stop;
  }

  private abort(why: string): void {
    if (this.lost.signal.aborted) return;
    this.log.warn(why);
    this.lost.abort(new Error(why));
  }
}
