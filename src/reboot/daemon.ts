import type { Logger } from 'pino';
import { REBOOT_REQUIRED_SINCE } from '../model/reboot-annotations.js';
import { type Blocker, blockers, POOL_LABEL, ZONE_LABEL } from './blockers.js';
import { isHealthy, type Limits, OverdueWatch, overLimit, type Refusal } from './capacity.js';
import { drain } from './drain.js';
import type { DaemonOptions } from './flags.js';
import { Heartbeats, Hold, type Identity, isMine } from './hold.js';
import { type Decision, type Holder, RebootLock } from './lease.js';
import type { RebootMetrics } from './metrics.js';
import { type NotifyKind, notify, render } from './notify.js';
import {
  type Clock,
  ConflictError,
  type NodeEvent,
  type NodeInfo,
  type NodeOps,
  type Rebooter,
  type Sentinel,
  type Taint,
  type WatchHandle,
} from './ports.js';
import { isActive, type RebootState, readState, writeState } from './state.js';
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

/** What the compare-and-swap of an admission decided. */
interface Admission {
  /** Why not now; undefined when this node now holds a slot. */
  readonly refusal?: Refusal;
  /** The other holders, as written. */
  readonly others: readonly Holder[];
  /** Holders this swap marked overdue: this daemon reports them. */
  readonly newlyOverdue: readonly Holder[];
}

/** How an attempt ends: what the node keeps, what is counted and told. */
interface Ending {
  readonly result: string;
  readonly outcome: StepOutcome;
  /** The state left on the node (none: cleared). */
  readonly record: RebootState | undefined;
  readonly event: NodeEvent;
  readonly notify?: NotifyKind;
  readonly labels?: Readonly<Record<string, string | null>>;
  /** A verified reboot with the sentinel gone: the node no longer waits. */
  readonly clearRequired?: boolean;
  /** Keep the slot --lock-release-delay longer (after a verified reboot). */
  readonly delayRelease?: boolean;
}

/**
 * One node's reboot coordinator. Each `step()` reads the node and acts on its recorded phase — detect, gate,
 * lock, record, drain, reboot, verify — so a restarted daemon picks up exactly where the last one stopped. The
 * loop (`run()`) runs a step on every sentinel change, node or holder change, and every --period.
 */
export class RebootDaemon {
  private readonly tuning: Tuning;
  private readonly lock: RebootLock;
  private readonly overdue: OverdueWatch;
  private readonly me: Identity;
  private readonly beats: Heartbeats;
  private readonly limits: Limits;
  private readonly stopping = new AbortController();
  private wakeUp: (() => void) | undefined;
  private pendingWake = false;
  private hold: Hold | undefined;
  private rebootIssuedAt: number | undefined;
  /** The boot a dry run has already drained: once per boot, or the node would be cordoned again at every wake-up. */
  private dryRunBoot: string | undefined;
  private releasePending = false;
  private watchHandle: WatchHandle | undefined;
  private lastBlock = '';
  /** When this daemon last read every node to ask for a slot (monotonic). */
  private lookedAt: number | undefined;

  constructor(
    private readonly options: DaemonOptions,
    private readonly deps: DaemonDeps,
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...deps.tuning };
    this.me = { node: options.nodeName, pod: options.podName, uid: options.podUid };
    this.beats = new Heartbeats(deps.clock.now());
    this.lock = new RebootLock({
      ops: deps.ops,
      clock: deps.clock,
      namespace: options.namespace,
      ttlMs: options.lockTtlMs,
    });
    this.overdue = new OverdueWatch(deps.clock, options.rebootTimeoutMs);
    this.limits = {
      concurrency: options.concurrency,
      perPool: options.maxUnavailablePerPool,
      perZone: options.maxUnavailablePerZone,
    };
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
          // A node waiting for a slot is woken by the Lease watch when the holders change; no polling but --period.
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
    if (!this.hold) return;
    // Unknown (the API does not answer) counts as begun: keeping a slot is safe, freeing it early is not.
    const node = await this.deps.ops.getNode(this.options.nodeName).catch(() => null);
    if (node === null || (node && isActive(readState(node.annotations)))) this.unhold();
    else await this.releaseSlot();
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
    let node = await this.deps.ops.getNode(this.options.nodeName);
    if (!node) return this.nodeGone();
    const owner = readState(node.annotations)?.owner;
    if (owner && owner.uid !== this.me.uid) {
      const taken = await this.takeOver(node);
      if (!taken)
        return this.blocked(['another-daemon'], `daemon pod ${owner.pod || owner.uid} acts on this node; waiting`);
      node = taken;
    }
    const state = readState(node.annotations);
    this.deps.metrics.setPhase(state?.phase ?? 'idle');
    // A slot with no reboot under way (an ending whose write failed half-way) goes back now.
    if ((this.releasePending || this.hold) && !isActive(state)) await this.releaseSlot();
    if (state?.phase === 'rebooting') return this.verify(node, state);
    if (state?.phase === 'draining') return this.resumeDrain(node, state);
    return this.idle(node, state);
  }

  // ---- one actor per node ---------------------------------------------------------------------------------

  /**
   * The node's state names another daemon pod. Only once that pod no longer exists (a new DaemonSet pod, a
   * replaced pod) does this one take over, writing itself as owner over the Node's resourceVersion so that of two
   * pods trying at once, one wins.
   */
  private async takeOver(node: NodeInfo): Promise<NodeInfo | undefined> {
    const state = readState(node.annotations) as RebootState;
    const owner = state.owner;
    if (owner && (await this.deps.ops.podExists(this.options.namespace, owner.pod, owner.uid))) return undefined;
    try {
      const taken = await this.deps.ops.patchNode(node.name, {
        annotations: writeState({ ...state, owner: this.owner() }),
        resourceVersion: node.resourceVersion,
      });
      this.deps.log.info({ previous: owner?.pod }, 'the daemon pod that owned this node is gone; taking over');
      return taken;
    } catch (error) {
      if (error instanceof ConflictError) return undefined;
      throw error;
    }
  }

  private owner() {
    return { pod: this.me.pod, uid: this.me.uid };
  }

  /** The Node object was deleted: nothing to reboot; our slot must not outlive it. */
  private async nodeGone(): Promise<StepOutcome> {
    if (this.hold || this.releasePending) await this.releaseSlot();
    return this.blocked([], 'the Node object no longer exists');
  }

  // ---- detect, gate, lock, record -------------------------------------------------------------------------

  private async idle(found: NodeInfo, state: RebootState | undefined): Promise<StepOutcome> {
    const now = this.deps.clock.now();
    const required = await this.deps.sentinel.required();
    this.deps.metrics.setRequired(required);
    const node = await this.markRequired(found, required);
    if (!required) {
      if (state) await this.patchState(node, undefined);
      this.deps.metrics.setBlocked([]);
      this.deps.metrics.setOverdue([]);
      return 'idle';
    }
    if (state?.phase === 'stopped') return this.blocked(['loop-guard'], 'the reboot-loop guard stopped reboots');
    if (this.dryRunBoot === node.bootId)
      return this.blocked(['dry-run'], 'dry run: this boot was already drained once');
    if (state?.phase === 'verified' && state.attempt >= this.options.maxRebootAttempts) {
      await this.patchState(node, { ...state, phase: 'stopped', endedAt: iso(now) });
      await this.event(node, loopEvent(`the reboot sentinel stayed after ${state.attempt} verified reboots in a row`));
      this.deps.metrics.countResult('loop-guard');
      return 'loop-guard';
    }
    const gate = await this.gate(node, state);
    if ('why' in gate) return this.blocked(gate.reasons, gate.why);
    const refused = await this.admit(node, gate.nodes);
    if (refused) return this.blocked([refused.reason], refused.why);
    return this.start(node, state);
  }

  /**
   * The window, a first look at the Lease, and the blockers, before asking for a slot; the nodes as read for them.
   * When the fresh holders alone already fill the limits (the common case while a rollout runs), that is all a
   * waiting daemon reads: every release wakes every waiting node, and listing all nodes each time would be a herd.
   */
  private async gate(
    node: NodeInfo,
    state: RebootState | undefined,
  ): Promise<{ reasons: string[]; why: string } | { nodes: NodeInfo[] }> {
    const now = this.deps.clock.now();
    const { window } = this.deps;
    if (!window.openAt(now)) return { reasons: ['window'], why: `outside ${window.describe()}` };
    if (state?.phase === 'failed' && state.endedAt && (window.openedAt(now) ?? now) <= Date.parse(state.endedAt))
      return { reasons: ['window'], why: 'the last attempt failed in this window; retrying in the next one' };
    const full = await this.lockFull(node);
    if (full) return { reasons: [full.reason], why: full.why };
    const nodes = await this.deps.ops.listNodes();
    const found = await this.blockersOf(node, nodes);
    if (found.length > 0) return { reasons: found.map((b) => b.reason), why: describeBlockers(found) };
    return { nodes };
  }

  /**
   * The limits, counted on the Lease's holders alone — a part of what admission counts, so a refusal here is one
   * there too. Not when a holder looks stale, nor once a --period since the last full look: a holder may be
   * removable (stale, or its Node gone), which only admission decides, with the nodes.
   */
  private async lockFull(node: NodeInfo): Promise<Refusal | undefined> {
    const now = this.deps.clock.monotonic();
    if (this.lookedAt === undefined || now - this.lookedAt >= this.options.periodMs) {
      this.lookedAt = now;
      return undefined;
    }
    const others = (await this.lock.holders()).filter((h) => h.node !== node.name);
    if (others.some((h) => this.lock.stale(h))) return undefined;
    return overLimit(node, [], others, this.limits);
  }

  /**
   * Asks for a slot: one compare-and-swap on the Lease that checks the limits against the nodes and the other
   * holders, drops entries that may go (their Node is gone, or stale while their node is healthy), marks overdue
   * nodes, and adds this node. A node cordoned between reading the nodes and the swap is caught by reading them
   * once more after it: then this node steps back before touching anything.
   */
  private async admit(node: NodeInfo, listed: readonly NodeInfo[]): Promise<Refusal | undefined> {
    let asked = 0;
    // A collision re-reads the Lease, not every node: what changed on the nodes meanwhile, the check after catches.
    const outcome = await this.lock.update(async (holders) => {
      const decision = await this.decide(node, listed, holders);
      asked = this.deps.clock.monotonic(); // the heartbeat is written right after this
      return decision;
    });
    await this.reportOverdue(outcome.newlyOverdue);
    if (outcome.refusal) return outcome.refusal;
    this.startHold(asked);
    const after = overLimit(node, await this.deps.ops.listNodes(), outcome.others, this.limits);
    if (after || this.stopping.signal.aborted) {
      await this.releaseSlot();
      return after ?? { reason: 'slot', why: 'stopping' };
    }
    return undefined;
  }

  /** The decision inside the compare-and-swap. */
  private async decide(
    node: NodeInfo,
    nodes: readonly NodeInfo[],
    holders: readonly Holder[],
  ): Promise<Decision<Admission>> {
    const ours = holders.filter((h) => h.node === node.name);
    const theirs = ours.find((h) => h.uid !== this.me.uid);
    if (theirs && (await this.deps.ops.podExists(this.options.namespace, theirs.pod, theirs.uid))) {
      const refusal: Refusal = { reason: 'another-daemon', why: `daemon pod ${theirs.pod} holds this node’s slot` };
      return { result: { refusal, others: holders, newlyOverdue: [] } };
    }
    const others = holders.filter((h) => h.node !== node.name && !this.removable(h, nodes));
    const overdue = this.overdue.overdue(nodes, others);
    this.deps.metrics.setOverdue(overdue);
    const newlyOverdue = others.filter((h) => overdue.includes(h.node) && !h.overdue);
    const marked = others.map((h) => (newlyOverdue.includes(h) ? { ...h, overdue: true } : h));
    const refusal = overLimit(node, nodes, marked, this.limits);
    if (refusal) {
      const changed = marked.length !== holders.length || newlyOverdue.length > 0;
      return { ...(changed ? { write: marked } : {}), result: { refusal, others: marked, newlyOverdue } };
    }
    const heartbeat = this.beats.next(Math.max(0, ...ours.map((h) => h.heartbeat)));
    const entry: Holder = {
      node: node.name,
      pool: node.labels[POOL_LABEL] ?? '',
      zone: node.labels[ZONE_LABEL] ?? '',
      pod: this.me.pod,
      uid: this.me.uid,
      heartbeat,
    };
    return { write: [...marked, entry], result: { others: marked, newlyOverdue } };
  }

  /** Another holder's entry may go when its Node is gone, or when it is stale and its node healthy. */
  private removable(holder: Holder, nodes: readonly NodeInfo[]): boolean {
    const node = nodes.find((n) => n.name === holder.node);
    return node === undefined || (this.lock.stale(holder) && isHealthy(node));
  }

  /** Overdue nodes, reported once across all daemons: by the one whose swap marked them. */
  private async reportOverdue(holders: readonly Holder[]): Promise<void> {
    for (const holder of holders) {
      const why = `still down ${duration(this.options.rebootTimeoutMs)} after its reboot (--reboot-timeout); it keeps counting as unavailable, so its pool waits`;
      const node = await this.deps.ops.getNode(holder.node).catch(() => undefined);
      if (node) await this.event(node, { type: 'Warning', reason: 'RebootOverdue', message: why });
      await this.notify('overdue', holder.node, why);
    }
  }

  /** Admitted: record the reboot on the node (as its one owner), confirm the slot, drain. */
  private async start(node: NodeInfo, state: RebootState | undefined): Promise<StepOutcome> {
    this.deps.metrics.setBlocked([]);
    const recorded: RebootState = {
      phase: 'draining',
      startedAt: iso(this.deps.clock.now()),
      preCordoned: node.unschedulable,
      bootIdBefore: node.bootId,
      attempt: state?.phase === 'verified' ? state.attempt + 1 : 1,
      owner: this.owner(),
    };
    const written = await this.claim(node, recorded);
    if (!written) {
      await this.releaseSlot();
      return 'waiting';
    }
    this.deps.metrics.setPhase('draining');
    if (!(await this.hold?.stillHeld())) return this.endAttempt(written, recorded, cleared('aborted', this.lostWhy()));
    await this.event(written, {
      type: 'Normal',
      reason: 'RebootDrain',
      message: `draining for a reboot (attempt ${recorded.attempt})`,
    });
    await this.notify('drain', node.name);
    return this.drainAndReboot(written, recorded);
  }

  /** Writes the draining state over the Node's resourceVersion; undefined when another pod claimed it first. */
  private async claim(node: NodeInfo, recorded: RebootState): Promise<NodeInfo | undefined> {
    let current: NodeInfo | undefined = node;
    for (let round = 0; round < 3 && current; round++) {
      if (isActive(readState(current.annotations))) return undefined;
      try {
        return await this.deps.ops.patchNode(node.name, {
          annotations: writeState(recorded),
          resourceVersion: current.resourceVersion,
        });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        current = await this.deps.ops.getNode(node.name);
      }
    }
    return undefined;
  }

  /** `aksguard.io/reboot-required-since`, and the --prefer-no-schedule-taint while the node waits. */
  private async markRequired(node: NodeInfo, required: boolean): Promise<NodeInfo> {
    const since = node.annotations[REBOOT_REQUIRED_SINCE];
    const active = isActive(readState(node.annotations));
    const annotation =
      required && since === undefined
        ? iso(this.deps.clock.now())
        : !required && since !== undefined && !active
          ? null
          : undefined;
    const taints = this.taintsFor(node, required || active);
    if (annotation === undefined && taints === undefined) return node;
    try {
      return await this.deps.ops.patchNode(node.name, {
        ...(annotation === undefined ? {} : { annotations: { [REBOOT_REQUIRED_SINCE]: annotation } }),
        ...(taints === undefined ? {} : { taints, resourceVersion: node.resourceVersion }),
      });
    } catch (error) {
      if (error instanceof ConflictError) return node; // someone changed the taints: next step
      throw error;
    }
  }

  /** The node's taints with ours added or removed, or undefined when nothing changes. */
  private taintsFor(node: NodeInfo, wanted: boolean): Taint[] | undefined {
    const key = this.options.preferNoScheduleTaint;
    if (!key) return undefined;
    const has = node.taints.some((t) => t.key === key && t.effect === 'PreferNoSchedule');
    if (has === wanted) return undefined;
    const rest = node.taints.filter((t) => !(t.key === key && t.effect === 'PreferNoSchedule'));
    return wanted ? [...rest, { key, effect: 'PreferNoSchedule' }] : rest;
  }

  private blocked(reasons: readonly string[], why: string): StepOutcome {
    this.deps.metrics.setBlocked(reasons);
    if (why !== this.lastBlock) this.deps.log.info({ reasons }, `reboot waits: ${why}`);
    this.lastBlock = why;
    return reasons.includes('slot') || reasons.includes('limit') ? 'waiting' : 'blocked';
  }

  // ---- drain and reboot ----------------------------------------------------------------------------------

  private async resumeDrain(node: NodeInfo, state: RebootState): Promise<StepOutcome> {
    if (!(await this.adopt(node)))
      return this.endAttempt(node, state, cleared('aborted', 'lost its reboot slot while away'));
    return this.drainAndReboot(node, state);
  }

  private async drainAndReboot(node: NodeInfo, state: RebootState): Promise<StepOutcome> {
    const { ops, clock } = this.deps;
    const o = this.options;
    let current = node;
    if (!current.unschedulable || Object.keys(o.preRebootNodeLabels).length > 0) {
      current = await ops.patchNode(node.name, { unschedulable: true, labels: o.preRebootNodeLabels });
    }
    const signal = AbortSignal.any([this.stopping.signal, this.holdSignal()]);
    if (o.drainDelayMs > 0) await clock.sleep(o.drainDelayMs, signal);
    const started = clock.monotonic();
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
      blockedBy: () => this.blockedNow(node.name),
      skipWaitMs: o.skipWaitForDeleteTimeoutSeconds * 1000,
      signal,
    });
    switch (result.outcome) {
      case 'aborted':
        return this.stopping.signal.aborted
          ? 'aborted'
          : this.endAttempt(current, state, cleared('aborted', this.lostWhy()));
      case 'blocked':
        return this.endAttempt(current, state, cleared('blocked', result.why));
      case 'closed':
        return this.endAttempt(current, state, failed(state, 'the reboot window closed during the drain', clock));
      case 'refused':
        return this.endAttempt(
          current,
          state,
          failed(state, `pods with emptyDir data (--delete-emptydir-data=false): ${first5(result.pods)}`, clock),
        );
      case 'timeout':
        if (!o.forceReboot) {
          const why = `drain timed out after ${o.drainTimeoutMs / 1000}s; pods left: ${first5(result.remaining)}`;
          return this.endAttempt(current, state, failed(state, why, clock));
        }
        break;
      case 'drained':
        this.deps.metrics.observeDrain((clock.monotonic() - started) / 1000);
    }
    return this.reboot(current, state);
  }

  /** Blockers as they are now (before every drain round and before the reboot), or undefined. */
  private async blockedNow(name: string): Promise<string | undefined> {
    const node = await this.deps.ops.getNode(name);
    if (!node) return 'the Node object no longer exists';
    const found = await this.blockersOf(node, await this.deps.ops.listNodes());
    return found.length > 0 ? `a blocker appeared: ${describeBlockers(found)}` : undefined;
  }

  private async reboot(node: NodeInfo, state: RebootState): Promise<StepOutcome> {
    const { clock } = this.deps;
    if (this.options.rebootDelayMs > 0) await clock.sleep(this.options.rebootDelayMs, this.stopping.signal);
    if (this.stopping.signal.aborted) return 'aborted';
    if (!(await this.deps.sentinel.required()))
      return this.endAttempt(
        node,
        state,
        cleared('skipped', 'the reboot sentinel went away before the reboot; not rebooting'),
      );
    if (!this.deps.window.openAt(clock.now()))
      return this.endAttempt(node, state, failed(state, 'the reboot window closed before the reboot', clock));
    const blocker = await this.blockedNow(node.name);
    if (blocker) return this.endAttempt(node, state, cleared('blocked', blocker));
    if (!(await this.hold?.stillHeld())) return this.endAttempt(node, state, cleared('aborted', this.lostWhy()));
    const rebooting: RebootState = { ...state, phase: 'rebooting' };
    const written = await this.patchState(node, rebooting);
    await this.event(written, { type: 'Normal', reason: 'Rebooting', message: `rebooting (attempt ${state.attempt})` });
    await this.notify('reboot', node.name);
    if (this.options.dryRun) {
      this.dryRunBoot = node.bootId;
      return this.endAttempt(written, rebooting, cleared('dry-run', 'dry run: drained, not rebooted'));
    }
    this.rebootIssuedAt = clock.monotonic();
    await this.deps.rebooter.reboot();
    return 'rebooted';
  }

  // ---- verify ---------------------------------------------------------------------------------------------

  private async verify(node: NodeInfo, state: RebootState): Promise<StepOutcome> {
    if (node.bootId !== state.bootIdBefore && node.bootId !== '') {
      if (!node.ready) return 'waiting';
      // Fresh heartbeat first: from the uncordon on, the node is healthy, and a stale entry could be removed.
      await this.adopt(node);
      const stillRequired = await this.deps.sentinel.required();
      return this.endAttempt(node, state, verified(state, node, stillRequired, this.options, this.deps.clock));
    }
    // Same boot: either the reboot we asked for has not happened yet, or the pod restarted without one.
    const now = this.deps.clock.monotonic();
    if (this.rebootIssuedAt !== undefined && now - this.rebootIssuedAt < this.tuning.rebootWaitMs) return 'waiting';
    this.rebootIssuedAt = undefined;
    if (state.attempt >= this.options.maxRebootAttempts) {
      const why = `the node did not reboot after ${state.attempt} attempts`;
      return this.endAttempt(node, state, {
        result: 'loop-guard',
        outcome: 'loop-guard',
        record: { ...state, phase: 'stopped', reason: why, endedAt: iso(this.deps.clock.now()) },
        event: loopEvent(why),
        notify: 'failed',
      });
    }
    if (!(await this.adopt(node)))
      return this.endAttempt(node, state, cleared('aborted', 'lost its reboot slot before the reboot happened'));
    this.deps.metrics.countResult('not-rebooted');
    await this.event(node, {
      type: 'Warning',
      reason: 'RebootNotHappened',
      message: `the boot ID is still ${state.bootIdBefore}: the reboot did not happen; trying again`,
    });
    return this.reboot(node, { ...state, attempt: state.attempt + 1 });
  }

  // ---- the one way an attempt ends ------------------------------------------------------------------------

  /**
   * Every attempt ends here: undo our cordon unless the node was cordoned before us, leave the ending's record,
   * then give the slot back (after --lock-release-delay for a verified reboot) — never the other way round, so
   * capacity is never free while this node is still out.
   */
  private async endAttempt(node: NodeInfo, state: RebootState, ending: Ending): Promise<StepOutcome> {
    await this.deps.ops.patchNode(node.name, {
      ...(state.preCordoned ? {} : { unschedulable: false }),
      ...(ending.labels ? { labels: ending.labels } : {}),
      annotations: {
        ...writeState(ending.record),
        ...(ending.clearRequired ? { [REBOOT_REQUIRED_SINCE]: null } : {}),
      },
    });
    this.deps.metrics.setPhase(ending.record?.phase ?? 'idle');
    if (ending.delayRelease && this.options.lockReleaseDelayMs > 0)
      await this.deps.clock.sleep(this.options.lockReleaseDelayMs, this.stopping.signal);
    await this.releaseSlot();
    this.deps.metrics.countResult(ending.result);
    await this.event(node, ending.event);
    if (ending.notify) await this.notify(ending.notify, node.name, ending.event.message);
    return ending.outcome;
  }

  // ---- slot holding ---------------------------------------------------------------------------------------

  private startHold(since: number): void {
    this.unhold();
    const { lockRenewMs: renewMs, lockTtlMs: ttlMs } = this.options;
    const timing = { renewMs, ttlMs };
    this.hold = new Hold(this.lock, this.me, this.beats, this.deps.clock, timing, this.deps.log, since).start();
    this.deps.metrics.setLockHeld(true);
  }

  private unhold(): void {
    this.hold?.stop();
    this.hold = undefined;
    this.deps.metrics.setLockHeld(false);
  }

  private holdSignal(): AbortSignal {
    return this.hold?.signal ?? AbortSignal.abort(new Error('no reboot slot held'));
  }

  private lostWhy(): string {
    const reason = this.holdSignal().reason;
    return `stopped: ${reason instanceof Error ? reason.message : 'the reboot slot was lost'}`;
  }

  /**
   * Takes up the slot this node held before (a restarted pod, or the pod back after its reboot): our own entry,
   * or one of a daemon pod that no longer exists, with a fresh heartbeat. False when there is none.
   */
  private async adopt(node: NodeInfo): Promise<boolean> {
    if (this.hold && !this.hold.signal.aborted) return true;
    let asked = 0;
    const adopted = await this.lock.update(async (holders) => {
      const ours = holders.find((h) => h.node === node.name);
      if (!ours) return { result: false };
      const gone =
        isMine(ours, this.me) || !(await this.deps.ops.podExists(this.options.namespace, ours.pod, ours.uid));
      if (!gone) return { result: false };
      asked = this.deps.clock.monotonic();
      const entry = { ...ours, pod: this.me.pod, uid: this.me.uid, heartbeat: this.beats.next(ours.heartbeat) };
      return { write: holders.map((h) => (h === ours ? entry : h)), result: true };
    });
    if (adopted) this.startHold(asked);
    return adopted;
  }

  /**
   * Gives our slot back. The outcome is already recorded on the node when this runs, so a failed release (API
   * error) must not undo anything: it is retried at the start of the next step.
   */
  private async releaseSlot(): Promise<void> {
    this.unhold();
    this.rebootIssuedAt = undefined;
    this.releasePending = true;
    try {
      await this.lock.update((holders) => {
        const rest = holders.filter((h) => !isMine(h, this.me));
        return rest.length === holders.length ? { result: undefined } : { write: rest, result: undefined };
      });
      this.releasePending = false;
    } catch (error) {
      this.deps.log.warn({ err: message(error) }, 'could not release the reboot slot; retrying');
    }
  }

  // ---- side channels --------------------------------------------------------------------------------------

  /**
   * Records `state` on the node. A write whose answer is lost may still have been applied: the node is read back,
   * and finding the state there is success — else a pod would count its own lost answer as a reboot that never
   * happened.
   */
  private async patchState(node: NodeInfo, state: RebootState | undefined): Promise<NodeInfo> {
    const annotations = writeState(state);
    let written: NodeInfo;
    try {
      written = await this.deps.ops.patchNode(node.name, { annotations });
    } catch (error) {
      const reread = await this.deps.ops.getNode(node.name).catch(() => undefined);
      const wanted = Object.values(annotations)[0] ?? undefined;
      const found = reread && Object.entries(annotations).every(([key]) => reread.annotations[key] === wanted);
      if (!reread || !found) throw error;
      written = reread;
    }
    this.deps.metrics.setPhase(state?.phase ?? 'idle');
    return written;
  }

  private async blockersOf(node: NodeInfo, nodes: readonly NodeInfo[]): Promise<Blocker[]> {
    const o = this.options;
    const pool = nodes.filter((n) => n.labels[POOL_LABEL] === node.labels[POOL_LABEL]);
    const config = {
      ops: this.deps.ops,
      blockingPodSelectors: o.blockingPodSelectors,
      prometheusUrl: o.prometheusUrl,
      alertFilterRegexp: o.alertFilterRegexp,
      alertFiringOnly: o.alertFiringOnly,
      alertFilterMatchOnly: o.alertFilterMatchOnly,
      fetch: this.deps.fetch,
    };
    return blockers(config, node, pool);
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
    const templates = this.options.messageTemplates;
    const text = render(kind === 'overdue' ? templates.failed : templates[kind], node, reason);
    await notify(this.options.notifyUrls, { kind, node, text, reason }, this.deps.fetch, (host, error) =>
      this.deps.log.warn({ host, err: error }, 'notification failed'),
    );
  }
}

// ---- endings ----------------------------------------------------------------------------------------------

function verified(state: RebootState, node: NodeInfo, stillRequired: boolean, o: DaemonOptions, clock: Clock): Ending {
  return {
    result: 'verified',
    outcome: 'verified',
    record: stillRequired ? { ...state, phase: 'verified', endedAt: iso(clock.now()) } : undefined,
    clearRequired: !stillRequired,
    labels: {
      ...Object.fromEntries(Object.keys(o.preRebootNodeLabels).map((k) => [k, null])),
      ...o.postRebootNodeLabels,
    },
    delayRelease: true,
    event: {
      type: 'Normal',
      reason: 'Rebooted',
      message: `rebooted: boot ID ${state.bootIdBefore} → ${node.bootId}${stillRequired ? '; the reboot sentinel is still there' : ''}`,
    },
    notify: 'done',
  };
}

/** A drain that did not finish: retried in the next window. */
const failed = (state: RebootState, why: string, clock: Clock): Ending => ({
  result: 'drain-failed',
  outcome: 'drain-failed',
  record: { ...state, phase: 'failed', reason: why, endedAt: iso(clock.now()) },
  event: { type: 'Warning', reason: 'RebootFailed', message: why },
  notify: 'failed',
});

/**
 * Endings that leave nothing on the node: no reboot needed after all (`skipped`: the sentinel went away; `dry-run`),
 * the slot lost or not renewed in time (`aborted`: queue again, never drain without it), a blocker that appeared
 * mid-drain (`blocked`: start again once it is gone).
 */
const CLEARED = {
  skipped: { type: 'Normal', reason: 'RebootSkipped', outcome: 'skipped' },
  'dry-run': { type: 'Normal', reason: 'RebootSkipped', outcome: 'skipped' },
  aborted: { type: 'Warning', reason: 'RebootAborted', outcome: 'aborted' },
  blocked: { type: 'Warning', reason: 'RebootBlocked', outcome: 'blocked' },
} as const;

const cleared = (result: keyof typeof CLEARED, why: string): Ending => {
  const { type, reason, outcome } = CLEARED[result];
  return { result, outcome, record: undefined, event: { type, reason, message: why } };
};

const loopEvent = (why: string): NodeEvent => ({
  type: 'Warning',
  reason: 'RebootLoop',
  message: `${why}; no more reboots until aksguard.io/reboot-state is removed`,
});

const EVENT_ATTEMPTS = 3;
const iso = (ms: number) => new Date(ms).toISOString();
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const describeBlockers = (found: readonly Blocker[]) => found.map((b) => `${b.reason}: ${b.detail}`).join('; ');
const first5 = (names: readonly string[]) => names.slice(0, 5).join(', ');
const duration = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);
