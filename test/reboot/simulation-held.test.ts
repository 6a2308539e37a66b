import { expect } from 'vitest';
import { describeScenarios, failRenewals, RENEWAL_TIMING, type Scenario } from '../support/reboot-scenarios.js';

/**
 * The rest of REBOOT.md's fault list — the faults the daemon already held before issue 11 — run the same way as
 * simulation.test.ts: several seeds each, reboot times of 0.1× to 10× --lock-ttl across the seeds, the invariants
 * counted from the fake API server's Node objects at every change.
 */

const SCENARIOS: Scenario[] = [
  {
    name: 'reboots of 0.1× to 10× --lock-ttl with 500s, 409s, latency and dropped watches, one node per zone',
    config: { faults: true, perZone: 1 },
  },
  {
    name: 'renewals time out',
    config: RENEWAL_TIMING,
    act: failRenewals({ delayMs: 5000 }),
    verify: (sim) => expect(sim.events('aks-a-0')).toContain('RebootAborted'),
  },
  { name: 'writes succeed but their answers are lost', config: { lostResponses: true } },
  { name: 'watches stall silently', config: { stallWatches: true } },
  {
    name: 'a PodDisruptionBudget never allows the eviction',
    config: { stuckBudgets: ['aks-a-0'], flags: ['--drain-timeout', '5s'] },
    unfinished: ['aks-a-0'],
    also: (sim) => sim.events('aks-a-0').includes('RebootFailed'),
    verify: (sim) => {
      expect(sim.annotations('aks-a-0')['aksguard.io/reboot-state']).toContain('"failed"');
      expect(sim.reboots.get('aks-a-0')).toBe(0);
    },
  },
  {
    name: 'a pod stuck Terminating',
    config: { stuckTerminating: ['aks-a-0'], flags: ['--drain-timeout', '5s'] },
    unfinished: ['aks-a-0'],
    also: (sim) => sim.events('aks-a-0').includes('RebootFailed'),
    verify: (sim) => expect(sim.reboots.get('aks-a-0')).toBe(0),
  },
  {
    name: 'the window closes mid-drain',
    config: { stuckBudgets: ['aks-a-0'], concurrency: 1 },
    act: (sim) =>
      sim.when('aks-a-0', 'draining', () =>
        sim.later(100, () => {
          sim.setWindow(false);
          sim.later(1000, () => {
            sim.releaseBudget('aks-a-0');
            sim.setWindow(true);
          });
        }),
      ),
    verify: (sim) => expect(sim.events('aks-a-0')).toContain('RebootFailed'),
  },
  {
    name: 'daemons killed at each phase (admitted, draining in a replaced pod, rebooting, verifying)',
    config: {
      kills: [
        { node: 'aks-a-0', at: 'admitted' },
        { node: 'aks-b-1', at: 'draining', newPod: true },
        { node: 'aks-a-2', at: 'rebooting' },
        { node: 'aks-b-3', at: 'verifying' },
      ],
    },
    verify: (sim) =>
      expect(sim.killed.sort()).toEqual([
        'aks-a-0:admitted',
        'aks-a-2:rebooting',
        'aks-b-1:draining',
        'aks-b-3:verifying',
      ]),
  },
];

describeScenarios('reboot simulation: the faults held before issue 11', SCENARIOS);
