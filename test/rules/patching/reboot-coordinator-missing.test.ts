import rule from '../../../src/rules/patching/reboot-coordinator-missing.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { container, daemonSet, list, podSpec } from '../../support/kube-fixtures.js';
import { aks, pool, testRule } from '../../support/rule-tester.js';

const CHANNEL = 'properties.autoUpgradeProfile.nodeOSUpgradeChannel';
const cluster = (nodeOSUpgradeChannel?: string) =>
  aks({
    agentPoolProfiles: [pool()],
    ...(nodeOSUpgradeChannel ? { autoUpgradeProfile: { nodeOSUpgradeChannel } } : {}),
  });
const withObjects = (clusterFile: unknown, ...objects: Record<string, unknown>[]) => ({
  'cluster.json': clusterFile,
  'k8s.json': list(daemonSet('kube-proxy', podSpec(), 'kube-system'), ...objects),
});
const reboots = (name: string, image: string, extra: Record<string, unknown> = {}) =>
  daemonSet(name, podSpec({ containers: [container(name, {}, { image, ...extra })] }), 'kube-system');

testRule(rule, {
  valid: [
    {
      name: 'kured, found by its name',
      files: true,
      input: withObjects(cluster('Unmanaged'), reboots('kured', 'registry.example.com/reboot:1')),
    },
    {
      name: 'kured, found by its image',
      files: true,
      input: withObjects(cluster('Unmanaged'), reboots('node-reboots', 'ghcr.io/kubereboot/kured:1.17.1')),
    },
    {
      name: "aksguard's reboot daemon, by its label",
      files: true,
      input: withObjects(cluster('Unmanaged'), {
        ...reboots('rebooter', 'registry.example.com/rebooter:1'),
        metadata: {
          name: 'rebooter',
          namespace: 'aksguard',
          labels: { 'app.kubernetes.io/name': 'aksguard-reboot-daemon' },
        },
      }),
    },
    {
      name: "aksguard's reboot daemon, by image and argument",
      files: true,
      input: withObjects(
        cluster('Unmanaged'),
        reboots('node-agent', 'ghcr.io/example/aksguard:0.1.0', { args: ['reboot-daemon', '--concurrency=1'] }),
      ),
    },
    {
      name: 'kured with ready pods in its status',
      files: true,
      input: withObjects(cluster('Unmanaged'), {
        ...reboots('kured', 'ghcr.io/kubereboot/kured:1.17.1'),
        status: { numberReady: 3 },
      }),
    },
    { name: 'NodeImage: AKS replaces nodes, nothing to reboot', files: true, input: withObjects(cluster('NodeImage')) },
    { name: 'None (node-os-upgrade-disabled reports it)', files: true, input: withObjects(cluster('None')) },
    {
      name: 'channel missing, API version unknown, but kured runs',
      files: true,
      input: withObjects(cluster(), reboots('kured', 'ghcr.io/kubereboot/kured:1.17.1')),
    },
    { name: 'NodeImage and no cluster objects in the input', input: cluster('NodeImage') },
    { name: 'missing channel, API version 2024-09-01 (NodeImage)', input: template({}) },
  ],
  invalid: [
    {
      name: 'Unmanaged and no coordinator among the DaemonSets',
      files: true,
      input: withObjects(cluster('Unmanaged')),
      errors: [{ resource: CLUSTER, path: CHANNEL, message: /"Unmanaged" installs patches that need a reboot/ }],
    },
    {
      name: 'an aksguard image without reboot-daemon is not a coordinator',
      files: true,
      input: withObjects(
        cluster('Unmanaged'),
        reboots('scanner', 'ghcr.io/example/aksguard:0.1.0', { args: ['scan'] }),
      ),
      errors: [{ resource: CLUSTER, path: CHANNEL }],
    },
    {
      name: 'kured whose status says no pod is ready',
      files: true,
      input: withObjects(cluster('Unmanaged'), {
        ...reboots('kured', 'ghcr.io/kubereboot/kured:1.17.1'),
        status: { numberReady: 0 },
      }),
      errors: [{ resource: CLUSTER, path: CHANNEL }],
    },
    {
      name: 'az casing (nodeOsUpgradeChannel)',
      files: true,
      input: withObjects(
        azShow({ autoUpgradeProfile: { nodeOsUpgradeChannel: 'Unmanaged' }, agentPoolProfiles: [pool()] }),
      ),
      errors: [{ resource: CLUSTER, path: 'autoUpgradeProfile.nodeOsUpgradeChannel' }],
    },
    {
      name: 'Unmanaged without cluster objects: unknown',
      input: cluster('Unmanaged'),
      errors: [{ resource: CLUSTER, path: CHANNEL, unknown: true, severity: 'info', message: /no cluster objects/ }],
    },
    {
      name: 'missing channel, API version 2023-01-01 (Unmanaged), no cluster objects: unknown',
      input: template({}, { apiVersion: '2023-01-01' }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.autoUpgradeProfile.nodeOSUpgradeChannel',
          unknown: true,
        },
      ],
    },
    {
      name: 'missing channel and no API version, no coordinator: unknown (NodeImage or Unmanaged)',
      files: true,
      input: withObjects(cluster()),
      errors: [{ resource: CLUSTER, path: CHANNEL, unknown: true, message: /API version/ }],
    },
    {
      name: 'channel from a parameter without default: unknown',
      input: template({ autoUpgradeProfile: { nodeOSUpgradeChannel: param('nodeOs') } }, { parameters: ['nodeOs'] }),
      errors: [{ resource: TEMPLATE_CLUSTER, path: `resources[0].${CHANNEL}`, unknown: true }],
    },
  ],
});
