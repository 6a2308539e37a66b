import type { Logger } from 'pino';
import { type Blocker, blockers, POOL_LABEL, ZONE_LABEL } from './blockers.js';
import { drain } from './drain.js';
import type { DaemonOptions } from './flags.js';
import { isLive, Slots } from './lease.js';
import type { RebootMetrics } from './metrics.js';
import { type NotifyKind, notify, render } from './notify.js';
import type { Clock, LeaseInfo, NodeEvent, NodeInfo, NodeOps, Rebooter, Sentinel, WatchHandle } from './ports.js';
import { isActive, REQUIRED_SINCE_ANNOTATION, type RebootState, readState, writeState } from './state.js';
import type { RebootWindow } from './window.js';

/** Waits the specification fixes; tests shorten them. */
export interface Tuning {
  /** First wait after a PodDisruptionBudget refusal. */
  readonly backoffMs: number;
  readonly backoffMaxMs: number;
  /** Wait between drain rounds while evicted pods terminate. */
  readonly pollMs: number;
  /** After an error in an active phase, retry this soon rather than after --period. */
  readonly retryMs: number;
  /** How long a reboot may take to kill this process before it counts as not having happened. */
  readonly rebootWaitMs: number;
}

export const DEFAULT_TUNING: Tuning = {
  backoffMs: 1000,
  backoffMaxMs: 30_000,
  pollMs: 1000,
  retryMs: 2000,
  rebootWaitMs: 10 * 60_000,
};

export interface DaemonDeps {
  readonly ops: NodeOps;
  readonly clock: Clock;
  readonly sentinel: Sentinel;
  readonly rebooter: Rebooter;
  readonly window: RebootWindow;
  readonly log: Logger;
  readonly metrics: RebootMetrics;
  readonly fetch: typeof fetch;
  readonly tuning?: Partial<Tuning>;
}

/** What one reconcile did, for logs and tests. */
export type StepOutcome =
  | 'idle'
  | 'waiting'
  | 'blocked'
  | 'rebooted'
  | 'verified'
  | 'drain-failed'
  | 'skipped'
  | 'loop-guard'
  | 'aborted';

/**
 * One node's reboot coordinator. Each `step()` reads the node and acts on its recorded phase — detect, gate,
 * lock, record, drain, reboot, verify — so a restarted daemon picks up exactly where the last one stopped. The
 * loop (`run()`) runs a step on every sentinel change, node or slot change, and every --period.
 */
export class RebootDaemon {
  private readonly tuning: Tuning;
  private readonly slots: Slots;
  private readonly stopping = new AbortController();
  private wakeUp: (() => void) | undefined;
  private pendingWake = false;
  private held: { slot: string; timer: ReturnType<typeof setInterval>; lost: AbortController } | undefined;
  private rebootIssuedAt: number | undefined;
  /** The boot a dry run has already drained: once per boot, or the node would be cordoned again at every wake-up. */
  private dryRunBoot: string | undefined;
  private releasePending = false;
  private watchHandle: WatchHandle | undefined;
  private lastBlock = '';

  constructor(
    private readonly options: DaemonOptions,
    private readonly deps: DaemonDeps,
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...deps.tuning };
    this.slots = new Slots({
      ops: deps.ops,
      clock: deps.clock,
      namespace: options.namespace,
      holder: options.nodeName,
      concurrency: options.concurrency,
      ttlMs: options.lockTtlMs,
    });
  }

  /** True once the API has answered and the watches are established. */
  ready(): boolean {
    return this.watchHandle?.synced() ?? false;
  }

  /** Runs until `stop()`: a step per wake-up, and one every --period at least. */
  async run(): Promise<void> {
    const wake = () => this.wake();
    this.watchHandle = this.deps.ops.watch(this.options.nodeName, this.options.namespace, wake);
    const stopSentinel = this.deps.sentinel.watch(wake);
    try {
      while (!this.stopping.signal.aborted) {
        let delay = this.options.periodMs;
        try {
          // A node waiting for a slot is woken by the Lease watch when a holder changes; no polling.
          await this.step();
        } catch (error) {
          if (this.stopping.signal.aborted) break;
          this.deps.log.warn({ err: message(error) }, 'step failed; retrying');
          delay = Math.min(delay, this.tuning.retryMs);
        }
        await this.nextWake(delay);
      }
    } finally {
      stopSentinel();
      this.watchHandle.stop();
    }
  }

  /**
   * SIGTERM: stop watching, keep the recorded state, and give the slot back only when no drain has begun (a
   * started drain keeps its slot so the next pod resumes it).
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wakeUp?.();
    const held = this.held;
    if (!held) return;
    clearInterval(held.timer);
    this.held = undefined;
    const node = await this.deps.ops.getNode(this.options.nodeName).catch(() => undefined);
    if (node && !isActive(readState(node.annotations))) await this.slots.release(held.slot).catch(() => undefined);
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  private async nextWake(ms: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return;
    }
    const early = new AbortController();
    this.wakeUp = () => early.abort();
    const onStop = () => early.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    await this.deps.clock.sleep(ms, early.signal);
    this.stopping.signal.removeEventListener('abort', onStop);
    this.wakeUp = undefined;
    this.pendingWake = false;
  }

  /** One reconcile of this node. */
  async step(): Promise<StepOutcome> {
    const node = await this.deps.ops.getNode(this.options.nodeName);
    const state = readState(node.annotations);
    this.deps.metrics.setPhase(state?.phase ?? 'idle');
    if (this.releasePending && !isActive(state)) await this.releaseSlot();
    if (state?.phase === 'rebooting') return this.verify(node, state);
    if (state?.phase === 'draining') return this.resumeDrain(node, state);
    return this.idle(node, state);
  }

  // ---- detect, gate, lock, record -------------------------------------------------------------------------

  private async idle(node: NodeInfo, state: RebootState | undefined): Promise<StepOutcome> {
    const now = this.deps.clock.now();
    const required = await this.deps.sentinel.required();
    this.deps.metrics.setRequired(required);
    await this.markRequired(node, required, now);
    if (!required) {
      if (state) await this.patchState(node, undefined);
      this.deps.metrics.setBlocked([]);
      return 'idle';
    }
    if (state?.phase === 'stopped') return this.blocked(['loop-guard'], 'the reboot-loop guard stopped reboots');
    if (this.dryRunBoot === node.bootId)
      return this.blocked(['dry-run'], 'dry run: this boot was already drained once');
    if (state?.phase === 'verified' && state.attempt >= this.options.maxRebootAttempts) {
      await this.patchState(node, { ...state, phase: 'stopped', endedAt: iso(now) });
      await this.event(node, {
        type: 'Warning',
        reason: 'RebootLoop',
        message: `the reboot sentinel stayed after ${state.attempt} verified reboots in a row; no more reboots until ${'aksguard.io/reboot-state'} is removed`,
      });
      this.deps.metrics.countResult('loop-guard');
      return 'loop-guard';
    }
    if (!this.deps.window.openAt(now)) return this.blocked(['window'], `outside ${this.deps.window.describe()}`);
    if (
      state?.phase === 'failed' &&
      state.endedAt &&
      (this.deps.window.openedAt(now) ?? now) <= Date.parse(state.endedAt)
    ) {
      return this.blocked(['window'], 'the last attempt failed in this window; retrying in the next one');
    }
    const nodes = await this.deps.ops.listNodes();
    const pool = nodes.filter((n) => n.labels[POOL_LABEL] === node.labels[POOL_LABEL]);
    const found = await blockers(this.blockerConfig(), node, pool);
    if (found.length > 0)
      return this.blocked(
        found.map((b) => b.reason),
        describeBlockers(found),
      );

    const leases = await this.slots.all();
    const before = this.overLimit(node, nodes, leases, undefined);
    if (before) return this.blocked(['limit'], before);
    const slot = await this.slots.acquire();
    if (!slot) return this.blocked(['slot'], `all ${this.options.concurrency} reboot slots are held`);
    this.hold(slot);
    // Two nodes of one pool can take two slots at once; the later one (by acquire time) steps back.
    const after = this.overLimit(node, await this.deps.ops.listNodes(), await this.slots.all(), slot);
    if (after || this.stopping.signal.aborted) {
      await this.releaseSlot();
      return after ? this.blocked(['limit'], after) : 'aborted';
    }
    this.deps.metrics.setBlocked([]);
    const recorded: RebootState = {
      phase: 'draining',
      startedAt: iso(now),
      preCordoned: node.unschedulable,
      bootIdBefore: node.bootId,
      attempt: state?.phase === 'verified' ? state.attempt + 1 : 1,
      slot,
    };
    const written = await this.patchState(node, recorded);
    await this.event(written, {
      type: 'Normal',
      reason: 'RebootDrain',
      message: `draining for a reboot (slot ${slot}, attempt ${recorded.attempt})`,
    });
    await this.notify('drain', node.name);
    return this.drainAndReboot(written, recorded);
  }

  private async markRequired(node: NodeInfo, required: boolean, now: number): Promise<void> {
    const since = node.annotations[REQUIRED_SINCE_ANNOTATION];
    const state = readState(node.annotations);
    if (required && since === undefined) {
      await this.deps.ops.patchNode(node.name, { annotations: { [REQUIRED_SINCE_ANNOTATION]: iso(now) } });
    } else if (!required && since !== undefined && !isActive(state)) {
      await this.deps.ops.patchNode(node.name, { annotations: { [REQUIRED_SINCE_ANNOTATION]: null } });
    }
  }

  private blocked(reasons: readonly string[], why: string): StepOutcome {
    this.deps.metrics.setBlocked(reasons);
    if (why !== this.lastBlock) this.deps.log.info({ reasons }, `reboot waits: ${why}`);
    this.lastBlock = why;
    return reasons.includes('slot') || reasons.includes('limit') ? 'waiting' : 'blocked';
  }

  /**
   * Whether starting would put more of this node's pool or zone out than the limits allow. Out = holding a live
   * slot, or NotReady. A node whose recorded reboot has lost its slot (its daemon died, or it never came back)
   * no longer counts once its Lease expired: it must not stop the rest forever. With `mine` set (we hold that
   * slot), only holders that got their slot before us count, so of two racing nodes exactly one steps back.
   */
  private overLimit(
    node: NodeInfo,
    nodes: readonly NodeInfo[],
    leases: readonly LeaseInfo[],
    mine: string | undefined,
  ): string | undefined {
    const now = this.deps.clock.now();
    const live = leases.filter((l) => isLive(l, now) && l.holder !== node.name);
    const myLease = leases.find((l) => l.name === mine);
    const first = (l: LeaseInfo) =>
      !myLease ||
      (l.acquireTime ?? 0) < (myLease.acquireTime ?? 0) ||
      ((l.acquireTime ?? 0) === (myLease.acquireTime ?? 0) && (l.holder ?? '') < node.name);
    const holders = new Set(live.filter(first).map((l) => l.holder));
    const out = nodes.filter(
      (n) => n.name !== node.name && (holders.has(n.name) || (!n.ready && !isActive(readState(n.annotations)))),
    );
    const limits: [string, number | undefined, string][] = [
      [POOL_LABEL, this.options.maxUnavailablePerPool, 'pool'],
      [ZONE_LABEL, this.options.maxUnavailablePerZone, 'zone'],
    ];
    for (const [label, max, what] of limits) {
      const value = node.labels[label];
      if (max === undefined || value === undefined) continue;
      const count = out.filter((n) => n.labels[label] === value).length;
      if (count >= max) return `${count} node(s) of ${what} ${value} are already out (limit ${max})`;
    }
    return undefined;
  }

  // ---- drain and reboot ----------------------------------------------------------------------------------

  private async resumeDrain(node: NodeInfo, state: RebootState): Promise<StepOutcome> {
    if (!(await this.reclaim(state))) {
      await this.abandon(node, state, 'lost its reboot slot while the daemon was away');
      return 'aborted';
    }
    return this.drainAndReboot(node, state);
  }

  /** Takes back the slot the recorded state names (ours, or expired and free). */
  private async reclaim(state: RebootState): Promise<boolean> {
    if (this.held && this.held.slot === state.slot) return true;
    const slot = state.slot ?? (await this.slots.acquire());
    if (!slot || !(await this.slots.take(slot))) return false;
    this.hold(slot);
    return true;
  }

  private async drainAndReboot(node: NodeInfo, state: RebootState): Promise<StepOutcome> {
    const { ops, clock } = this.deps;
    const o = this.options;
    let current = node;
    if (!current.unschedulable || Object.keys(o.preRebootNodeLabels).length > 0) {
      current = await ops.patchNode(node.name, { unschedulable: true, labels: o.preRebootNodeLabels });
    }
    if (o.drainDelayMs > 0) await clock.sleep(o.drainDelayMs, this.stopping.signal);
    const started = clock.now();
    const lost = this.held?.lost.signal;
    const signal = lost ? AbortSignal.any([this.stopping.signal, lost]) : this.stopping.signal;
    const result = await drain({
      ops,
      clock,
      node: node.name,
      timeoutMs: o.drainTimeoutMs,
      gracePeriodSeconds: o.drainGracePeriodSeconds,
      podSelector: o.drainPodSelector,
      deleteEmptyDirData: o.deleteEmptyDirData,
      dryRun: o.dryRun,
      backoffMs: this.tuning.backoffMs,
      backoffMaxMs: this.tuning.backoffMaxMs,
      pollMs: this.tuning.pollMs,
      allowed: () => this.deps.window.openAt(clock.now()),
      signal,
    });
    if (result.outcome === 'aborted') {
      if (this.stopping.signal.aborted) return 'aborted';
      await this.abandon(current, state, 'lost its reboot slot during the drain');
      return 'aborted';
    }
    if (result.outcome === 'drained') {
      this.deps.metrics.observeDrain((clock.now() - started) / 1000);
    } else if (!(o.forceReboot && result.outcome === 'timeout')) {
      const why =
        result.outcome === 'timeout'
          ? `drain timed out after ${o.drainTimeoutMs / 1000}s; pods left: ${result.remaining.slice(0, 5).join(', ')}`
          : result.outcome === 'closed'
            ? 'the reboot window closed during the drain'
            : `pods with emptyDir data (--delete-emptydir-data=false): ${result.pods.slice(0, 5).join(', ')}`;
      await this.fail(current, state, why);
      return 'drain-failed';
    }
    return this.reboot(current, state);
  }

  private async reboot(node: NodeInfo, state: RebootState): Promise<StepOutcome> {
    const { clock } = this.deps;
    if (this.options.rebootDelayMs > 0) await clock.sleep(this.options.rebootDelayMs, this.stopping.signal);
    if (this.stopping.signal.aborted) return 'aborted';
    if (!(await this.deps.sentinel.required())) {
      await this.finish(node, state, 'skipped', 'the reboot sentinel went away before the reboot; not rebooting');
      return 'skipped';
    }
    if (!this.deps.window.openAt(clock.now())) {
      await this.fail(node, state, 'the reboot window closed before the reboot');
      return 'drain-failed';
    }
    const rebooting: RebootState = { ...state, phase: 'rebooting' };
    const written = await this.patchState(node, rebooting);
    await this.event(written, { type: 'Normal', reason: 'Rebooting', message: `rebooting (attempt ${state.attempt})` });
    await this.notify('reboot', node.name);
    if (this.options.dryRun) {
      this.deps.log.info('dry run: not rebooting');
      this.dryRunBoot = node.bootId;
      await this.finish(written, rebooting, 'dry-run', 'dry run: drained, not rebooted');
      return 'skipped';
    }
    this.rebootIssuedAt = clock.now();
    await this.deps.rebooter.reboot();
    return 'rebooted';
  }

  // ---- verify ---------------------------------------------------------------------------------------------

  private async verify(node: NodeInfo, state: RebootState): Promise<StepOutcome> {
    const now = this.deps.clock.now();
    if (node.bootId !== state.bootIdBefore && node.bootId !== '') {
      if (!node.ready) return 'waiting';
      const required = await this.deps.sentinel.required();
      await this.finishVerified(node, state, required);
      return 'verified';
    }
    // Same boot: either the reboot we asked for has not happened yet, or the pod restarted without one.
    if (this.rebootIssuedAt !== undefined && now - this.rebootIssuedAt < this.tuning.rebootWaitMs) return 'waiting';
    this.rebootIssuedAt = undefined;
    if (state.attempt >= this.options.maxRebootAttempts) {
      await this.patchState(node, { ...state, phase: 'stopped', endedAt: iso(now) });
      await this.event(node, {
        type: 'Warning',
        reason: 'RebootLoop',
        message: `the node did not reboot after ${state.attempt} attempts; no more reboots until aksguard.io/reboot-state is removed`,
      });
      this.deps.metrics.countResult('loop-guard');
      await this.releaseSlot();
      return 'loop-guard';
    }
    if (!(await this.reclaim(state))) {
      await this.abandon(node, state, 'lost its reboot slot before the reboot happened');
      return 'aborted';
    }
    this.deps.metrics.countResult('not-rebooted');
    await this.event(node, {
      type: 'Warning',
      reason: 'RebootNotHappened',
      message: `the boot ID is still ${state.bootIdBefore}: the reboot did not happen; trying again`,
    });
    return this.reboot(node, { ...state, attempt: state.attempt + 1 });
  }

  private async finishVerified(node: NodeInfo, state: RebootState, stillRequired: boolean): Promise<void> {
    const o = this.options;
    await this.deps.ops.patchNode(node.name, {
      ...(state.preCordoned ? {} : { unschedulable: false }),
      labels: {
        ...Object.fromEntries(Object.keys(o.preRebootNodeLabels).map((k) => [k, null])),
        ...o.postRebootNodeLabels,
      },
      annotations: {
        ...writeState(stillRequired ? { ...state, phase: 'verified', endedAt: iso(this.deps.clock.now()) } : undefined),
        ...(stillRequired ? {} : { [REQUIRED_SINCE_ANNOTATION]: null }),
      },
    });
    await this.releaseSlot();
    this.deps.metrics.countResult('verified');
    this.deps.metrics.setPhase(stillRequired ? 'verified' : 'idle');
    await this.event(node, {
      type: 'Normal',
      reason: 'Rebooted',
      message: `rebooted: boot ID ${state.bootIdBefore} → ${node.bootId}${stillRequired ? '; the reboot sentinel is still there' : ''}`,
    });
    await this.notify('done', node.name);
  }

  // ---- endings --------------------------------------------------------------------------------------------

  /** A drain that did not finish: uncordon (unless it was cordoned before us), free the slot, retry next window. */
  private async fail(node: NodeInfo, state: RebootState, why: string): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.ops.patchNode(node.name, {
      ...(state.preCordoned ? {} : { unschedulable: false }),
      annotations: writeState({ ...state, phase: 'failed', reason: why, endedAt: iso(now) }),
    });
    await this.releaseSlot();
    this.deps.metrics.countResult('drain-failed');
    this.deps.metrics.setPhase('failed');
    this.deps.log.warn({ reason: why }, 'reboot attempt failed');
    await this.event(node, { type: 'Warning', reason: 'RebootFailed', message: why });
    await this.notify('failed', node.name, why);
  }

  /** Ends an attempt without a reboot (sentinel gone, dry run): undo the cordon, free the slot. */
  private async finish(node: NodeInfo, state: RebootState, result: string, why: string): Promise<void> {
    await this.deps.ops.patchNode(node.name, {
      ...(state.preCordoned ? {} : { unschedulable: false }),
      annotations: writeState(undefined),
    });
    await this.releaseSlot();
    this.deps.metrics.countResult(result);
    this.deps.metrics.setPhase('idle');
    this.deps.log.info(why);
    await this.event(node, { type: 'Normal', reason: 'RebootSkipped', message: why });
  }

  /** The slot is gone (another node holds it): undo our cordon and queue again; never drain without a slot. */
  private async abandon(node: NodeInfo, state: RebootState, why: string): Promise<void> {
    this.unhold();
    await this.deps.ops.patchNode(node.name, {
      ...(state.preCordoned ? {} : { unschedulable: false }),
      annotations: writeState(undefined),
    });
    this.deps.metrics.countResult('aborted');
    this.deps.log.warn(why);
    await this.event(node, { type: 'Warning', reason: 'RebootAborted', message: why });
  }

  // ---- slot holding ---------------------------------------------------------------------------------------

  /**
   * Renews the slot every --lock-renew-interval while held. A renewal that finds another holder aborts the drain;
   * so does a run of failed renewals long enough that the Lease may expire before the next one (self-fencing:
   * better to stop evicting than to drain alongside the node that takes the slot over). Measured on the
   * monotonic clock, as the timers are.
   */
  private hold(slot: string): void {
    if (this.held?.slot === slot) return;
    this.unhold();
    const lost = new AbortController();
    let renewedAt = performance.now();
    const fence = this.options.lockTtlMs - this.options.lockRenewMs;
    const timer = setInterval(() => {
      if (performance.now() - renewedAt > fence && !lost.signal.aborted) {
        this.deps.log.warn({ slot }, 'could not renew the reboot slot in time; stopping the drain');
        lost.abort();
      }
      this.slots.renew(slot).then(
        (result) => {
          if (result === 'renewed') renewedAt = performance.now();
          if (result === 'lost' && this.held?.slot === slot) {
            this.deps.log.warn({ slot }, 'reboot slot lost');
            lost.abort();
          }
        },
        (error: unknown) => this.deps.log.warn({ err: message(error), slot }, 'slot renewal failed'),
      );
    }, this.options.lockRenewMs);
    timer.unref?.();
    this.held = { slot, timer, lost };
    this.deps.metrics.setLockHeld(true);
  }

  private unhold(): void {
    if (!this.held) return;
    clearInterval(this.held.timer);
    this.held = undefined;
    this.deps.metrics.setLockHeld(false);
  }

  /**
   * Gives our slot back. The outcome is already recorded on the node when this runs, so a failed release (API
   * error) must not undo anything: it is retried at the start of the next step.
   */
  private async releaseSlot(): Promise<void> {
    const slot = this.held?.slot;
    this.unhold();
    this.rebootIssuedAt = undefined;
    this.releasePending = true;
    try {
      if (slot) await this.slots.release(slot);
      else {
        const mine = (await this.slots.all()).find((l) => l.holder === this.options.nodeName);
        if (mine) await this.slots.release(mine.name);
      }
      this.releasePending = false;
    } catch (error) {
      this.deps.log.warn({ err: message(error) }, 'could not release the reboot slot; retrying');
    }
  }

  // ---- side channels --------------------------------------------------------------------------------------

  private async patchState(node: NodeInfo, state: RebootState | undefined): Promise<NodeInfo> {
    const written = await this.deps.ops.patchNode(node.name, { annotations: writeState(state) });
    this.deps.metrics.setPhase(state?.phase ?? 'idle');
    return written;
  }

  /** Events are a courtesy to the operator: tried a few times, never allowed to stop a reboot. */
  private async event(node: NodeInfo, event: NodeEvent): Promise<void> {
    this.deps.log.info({ reason: event.reason }, event.message);
    for (let attempt = 1; attempt <= EVENT_ATTEMPTS; attempt++) {
      try {
        await this.deps.ops.recordEvent(node, event);
        return;
      } catch (error) {
        if (attempt === EVENT_ATTEMPTS) this.deps.log.warn({ err: message(error) }, 'could not record an event');
      }
    }
  }

  private async notify(kind: NotifyKind, node: string, reason = ''): Promise<void> {
    if (this.options.notifyUrls.length === 0) return;
    const text = render(this.options.messageTemplates[kind], node, reason);
    await notify(this.options.notifyUrls, { kind, node, text, reason }, this.deps.fetch, (host, error) =>
      this.deps.log.warn({ host, err: error }, 'notification failed'),
    );
  }

  private blockerConfig() {
    const o = this.options;
    return {
      ops: this.deps.ops,
      blockingPodSelectors: o.blockingPodSelectors,
      prometheusUrl: o.prometheusUrl,
      alertFilterRegexp: o.alertFilterRegexp,
      alertFiringOnly: o.alertFiringOnly,
      fetch: this.deps.fetch,
    };
  }
}

const EVENT_ATTEMPTS = 3;
const iso = (ms: number) => new Date(ms).toISOString();
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const describeBlockers = (found: readonly Blocker[]) => found.map((b) => `${b.reason}: ${b.detail}`).join('; ');
