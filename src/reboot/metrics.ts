import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BlockReason } from './blockers.js';
import type { Phase } from './state.js';

const PHASES: readonly (Phase | 'idle')[] = ['idle', 'draining', 'rebooting', 'verified', 'failed', 'stopped'];
const REASONS: readonly (BlockReason | 'window' | 'limit' | 'slot' | 'loop-guard' | 'another-daemon')[] = [
  'pod',
  'alert',
  'annotation',
  'aks-upgrade',
  'window',
  'limit',
  'slot',
  'loop-guard',
  'another-daemon',
];

/** The daemon's Prometheus metrics, in a registry of its own (one per daemon, so simulations do not mix). */
export class RebootMetrics {
  readonly registry = new Registry();
  private readonly required = new Gauge({
    name: 'aksguard_reboot_required',
    help: '1 while the node needs a reboot',
    labelNames: ['node'],
    registers: [this.registry],
  });
  private readonly phase = new Gauge({
    name: 'aksguard_reboot_phase',
    help: '1 for the phase the node is in',
    labelNames: ['node', 'phase'],
    registers: [this.registry],
  });
  private readonly reboots = new Counter({
    name: 'aksguard_reboots_total',
    help: 'reboot attempts by result (verified, drain-failed, not-rebooted, loop-guard, aborted, blocked, skipped)',
    labelNames: ['node', 'result'],
    registers: [this.registry],
  });
  private readonly drainSeconds = new Histogram({
    name: 'aksguard_drain_duration_seconds',
    help: 'time from cordon to an empty node',
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  private readonly lockHeld = new Gauge({
    name: 'aksguard_lock_held',
    help: '1 while the node holds a reboot slot',
    labelNames: ['node'],
    registers: [this.registry],
  });
  private readonly blocked = new Gauge({
    name: 'aksguard_reboot_blocked',
    help: '1 for each reason that currently holds the reboot back',
    labelNames: ['node', 'reason'],
    registers: [this.registry],
  });

  private readonly overdue = new Gauge({
    name: 'aksguard_reboot_overdue',
    help: '1 for each node this daemon sees still down --reboot-timeout after its reboot (it keeps counting as unavailable)',
    labelNames: ['node'],
    registers: [this.registry],
  });

  constructor(private readonly node: string) {}

  setRequired(required: boolean): void {
    this.required.set({ node: this.node }, required ? 1 : 0);
  }

  setPhase(current: Phase | 'idle'): void {
    for (const p of PHASES) this.phase.set({ node: this.node, phase: p }, p === current ? 1 : 0);
  }

  countResult(result: string): void {
    this.reboots.inc({ node: this.node, result });
  }

  observeDrain(seconds: number): void {
    this.drainSeconds.observe(seconds);
  }

  setLockHeld(held: boolean): void {
    this.lockHeld.set({ node: this.node }, held ? 1 : 0);
  }

  setOverdue(nodes: readonly string[]): void {
    this.overdue.reset();
    for (const node of nodes) this.overdue.set({ node }, 1);
  }

  setBlocked(reasons: readonly string[]): void {
    for (const r of REASONS) this.blocked.set({ node: this.node, reason: r }, reasons.includes(r) ? 1 : 0);
  }
}
