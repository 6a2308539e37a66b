import rule from '../../../src/rules/patching/nodes-pending-reboot.js';
import { azShow, CLUSTER } from '../../support/arm-fixtures.js';
import { list, node } from '../../support/kube-fixtures.js';
import { aks, metadataPath, pool, testRule } from '../../support/rule-tester.js';

/** Scan time 2026-11-28T00:00Z; grace period 24 h unless a case sets `rebootGraceHours`. */
const OURS = 'aksguard.io/reboot-required-since';
const KURED_NEEDED = 'weave.works/kured-most-recent-reboot-needed';
const KURED_IN_PROGRESS = 'weave.works/kured-reboot-in-progress';
const at = (annotation: string) => metadataPath('annotations', annotation);
const readySince = (time: string) => ({ conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: time }] });
const waiting = (
  annotations: Record<string, string>,
  status: Record<string, unknown> = readySince('2026-11-01T00:00:00Z'),
) => node('aks-np1-0', { 'kubernetes.azure.com/agentpool': 'np1' }, { annotations, status });

testRule(rule, {
  valid: [
    { name: 'no reboot annotation', input: waiting({}) },
    {
      name: "aksguard's annotation within the grace period (12 h)",
      input: waiting({ [OURS]: '2026-11-27T12:00:00Z' }),
    },
    { name: 'exactly 24 h is not longer than the grace period', input: waiting({ [OURS]: '2026-11-27T00:00:00Z' }) },
    {
      name: 'a longer configured grace period',
      input: waiting({ [OURS]: '2026-11-25T00:00:00Z' }),
      options: { rebootGraceHours: 72 },
    },
    {
      name: "kured's reboot-needed older than the last Ready transition: rebooted since",
      input: waiting({ [KURED_NEEDED]: '2026-11-20T00:00:00Z' }, readySince('2026-11-21T00:00:00Z')),
    },
    { name: 'an unreadable timestamp is not a pending reboot', input: waiting({ [OURS]: 'yesterday' }) },
    {
      name: 'no node objects, NodeImage: AKS replaces nodes instead of rebooting them',
      input: aks({ autoUpgradeProfile: { nodeOSUpgradeChannel: 'NodeImage' }, agentPoolProfiles: [pool()] }),
    },
    {
      name: 'time decides: on 2026-11-27 the same node has waited 12 h',
      input: waiting({ [OURS]: '2026-11-26T12:00:00Z' }),
      now: '2026-11-27T00:00:00Z',
    },
  ],
  invalid: [
    {
      name: "aksguard's annotation, 3 days",
      input: waiting({ [OURS]: '2026-11-25T00:00:00Z' }),
      errors: [
        {
          resource: 'Node/aks-np1-0',
          path: at(OURS),
          message: /needed a reboot since 2026-11-25T00:00:00\.000Z \(72 h, grace 24 h\)/,
        },
      ],
    },
    {
      name: 'just over the grace period (25 h)',
      input: waiting({ [OURS]: '2026-11-26T23:00:00Z' }),
      errors: [{ resource: 'Node/aks-np1-0', path: at(OURS), message: /\(25 h/ }],
    },
    {
      name: 'a shorter configured grace period',
      input: waiting({ [OURS]: '2026-11-27T12:00:00Z' }),
      options: { rebootGraceHours: 6 },
      errors: [{ resource: 'Node/aks-np1-0', path: at(OURS), message: /\(12 h, grace 6 h\)/ }],
    },
    {
      name: "kured's reboot-in-progress, counted from its time",
      input: waiting({ [KURED_IN_PROGRESS]: '2026-11-26T00:00:00Z' }),
      errors: [{ resource: 'Node/aks-np1-0', path: at(KURED_IN_PROGRESS), message: /since 2026-11-26/ }],
    },
    {
      name: "kured's reboot-needed newer than the last Ready transition",
      input: waiting({ [KURED_NEEDED]: '2026-11-20T00:00:00Z' }, readySince('2026-11-01T00:00:00Z')),
      errors: [{ resource: 'Node/aks-np1-0', path: at(KURED_NEEDED), message: /since 2026-11-20/ }],
    },
    {
      name: "kured's reboot-needed on a node without a Ready condition",
      input: waiting({ [KURED_NEEDED]: '2026-11-20T00:00:00Z' }, {}),
      errors: [{ resource: 'Node/aks-np1-0', path: at(KURED_NEEDED) }],
    },
    {
      name: 'time decides: 36 h at the scan time (the valid case on 2026-11-27 saw 12 h)',
      input: waiting({ [OURS]: '2026-11-26T12:00:00Z' }),
      errors: [{ resource: 'Node/aks-np1-0', path: at(OURS), message: /\(36 h/ }],
    },
    {
      name: 'one finding per waiting node',
      input: list(
        node('aks-np1-0', {}, { annotations: { [OURS]: '2026-11-20T00:00:00Z' } }),
        node('aks-np1-1', {}, { annotations: {} }),
        node('aks-np1-2', {}, { annotations: { [KURED_IN_PROGRESS]: '2026-11-22T00:00:00Z' } }),
      ),
      errors: [
        { resource: 'Node/aks-np1-0', path: at(OURS) },
        { resource: 'Node/aks-np1-2', path: at(KURED_IN_PROGRESS) },
      ],
    },
    {
      name: 'no node objects, Unmanaged: unknown',
      input: aks({ autoUpgradeProfile: { nodeOSUpgradeChannel: 'Unmanaged' }, agentPoolProfiles: [pool()] }),
      errors: [
        {
          resource: CLUSTER,
          path: 'properties.autoUpgradeProfile.nodeOSUpgradeChannel',
          unknown: true,
          severity: 'info',
          message: /no node objects/,
        },
      ],
    },
    {
      name: 'no node objects, az output without a channel (NodeImage or Unmanaged): unknown',
      input: azShow({ agentPoolProfiles: [pool()] }),
      errors: [{ resource: CLUSTER, path: 'autoUpgradeProfile.nodeOSUpgradeChannel', unknown: true }],
    },
  ],
});
