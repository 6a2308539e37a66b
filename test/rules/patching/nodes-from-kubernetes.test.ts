import imageOutdated from '../../../src/rules/patching/node-image-outdated.js';
import pendingReboot from '../../../src/rules/patching/nodes-pending-reboot.js';
import coordinatorMissing from '../../../src/rules/patching/reboot-coordinator-missing.js';
import windowsImageOutdated from '../../../src/rules/patching/windows-node-image-outdated.js';
import { container, daemonSet, list, node, podSpec } from '../../support/kube-fixtures.js';
import { aks, metadataPath, pool, testRule } from '../../support/rule-tester.js';

const IMAGE = 'kubernetes.azure.com/node-image-version';
const POOL = 'kubernetes.azure.com/agentpool';
const OURS_AT = metadataPath('annotations', 'aksguard.io/reboot-required-since');
const KURED_NEEDED_AT = metadataPath('annotations', 'weave.works/kured-most-recent-reboot-needed');
const ready = (since: string) => ({ conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] });
const kured = daemonSet(
  'kured',
  podSpec({ containers: [container('kured', {}, { image: 'ghcr.io/kubereboot/kured:1.23.0' })] }),
  'kube-system',
);
const unmanaged = aks({
  agentPoolProfiles: [pool()],
  autoUpgradeProfile: { nodeOSUpgradeChannel: 'Unmanaged' },
  fqdn: 'aks1-abc.hcp.westeurope.azmk8s.io',
});

testRule(pendingReboot, {
  valid: [
    { name: 'no annotation', input: node('n1', {}, { status: ready('2026-11-01T00:00:00Z') }) },
    {
      name: "kured's reboot-needed older than the last Ready transition (rebooted since)",
      input: node(
        'n1',
        {},
        {
          annotations: { 'weave.works/kured-most-recent-reboot-needed': '2026-11-01T00:00:00Z' },
          status: ready('2026-11-02T00:00:00Z'),
        },
      ),
    },
    {
      name: 'within the grace period',
      input: node('n1', {}, { annotations: { 'aksguard.io/reboot-required-since': '2026-11-27T12:00:00Z' } }),
    },
  ],
  invalid: [
    {
      name: "aksguard's annotation, 3 days",
      input: node('n1', {}, { annotations: { 'aksguard.io/reboot-required-since': '2026-11-25T00:00:00Z' } }),
      errors: [{ resource: 'Node/n1', path: OURS_AT, message: /since 2026-11-25T00:00:00.000Z \(72 h/ }],
    },
    {
      name: "kured's reboot-needed after the last Ready transition",
      input: node(
        'n1',
        {},
        {
          annotations: { 'weave.works/kured-most-recent-reboot-needed': '2026-11-20T00:00:00Z' },
          status: ready('2026-11-01T00:00:00Z'),
        },
      ),
      errors: [{ resource: 'Node/n1', path: KURED_NEEDED_AT }],
    },
  ],
});

testRule(coordinatorMissing, {
  valid: [
    {
      name: 'kured runs (manifests count unless status says none is ready)',
      files: true,
      input: { 'cluster.json': unmanaged, 'k8s.json': kured },
    },
  ],
  invalid: [
    {
      name: 'Unmanaged channel and no coordinator among the DaemonSets',
      files: true,
      input: { 'cluster.json': unmanaged, 'k8s.json': list(daemonSet('kube-proxy', podSpec(), 'kube-system')) },
      errors: [{ resource: 'ManagedCluster/aks1', path: 'properties.autoUpgradeProfile.nodeOSUpgradeChannel' }],
    },
    {
      name: 'kured with no ready pod does not count',
      files: true,
      input: { 'cluster.json': unmanaged, 'k8s.json': { ...kured, status: { numberReady: 0 } } },
      errors: [{ resource: 'ManagedCluster/aks1', path: 'properties.autoUpgradeProfile.nodeOSUpgradeChannel' }],
    },
  ],
});

testRule(imageOutdated, {
  valid: [
    {
      name: 'a recent image on the node label',
      input: node('n1', {
        [POOL]: 'np1',
        [IMAGE]: 'AKSUbuntu-2204gen2containerd-202611.20.0',
        'kubernetes.io/os': 'linux',
      }),
    },
    {
      name: "the pool's own nodeImageVersion wins over node labels",
      files: true,
      input: {
        'cluster.json': aks({
          agentPoolProfiles: [pool({ nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202611.20.0' })],
        }),
        'nodes.json': node('n1', {
          [POOL]: 'np1',
          [IMAGE]: 'AKSUbuntu-2204gen2containerd-202601.01.0',
          'kubernetes.io/os': 'linux',
        }),
      },
    },
  ],
  invalid: [
    {
      name: 'the oldest node of a pool speaks for it, older date format included',
      input: list(
        node('n1', { [POOL]: 'np1', [IMAGE]: 'AKSUbuntu-2204gen2containerd-202611.20.0', 'kubernetes.io/os': 'linux' }),
        node('n2', { [POOL]: 'np1', [IMAGE]: 'AKSUbuntu-1804gen2containerd-2026.08.01', 'kubernetes.io/os': 'linux' }),
      ),
      errors: [
        {
          resource: 'AgentPool/np1',
          path: metadataPath('labels', IMAGE),
          message: /pool np1 \(node n2\) runs node image AKSUbuntu-1804gen2containerd-2026.08.01, built 2026-08-01/,
        },
      ],
    },
  ],
});

testRule(windowsImageOutdated, {
  valid: [],
  invalid: [
    {
      name: 'a Windows node label before the due Patch Tuesday',
      input: node('akswin000000', {
        [POOL]: 'win',
        [IMAGE]: 'AKSWindows-2022-containerd-20348.2700.240911',
        'kubernetes.io/os': 'windows',
      }),
      errors: [
        {
          resource: 'AgentPool/win',
          path: metadataPath('labels', IMAGE),
          message: /Windows pool win \(node akswin000000\)/,
        },
      ],
    },
  ],
});
