import rule from '../../../src/rules/patching/node-os-upgrade-disabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const CHANNEL = 'properties.autoUpgradeProfile.nodeOSUpgradeChannel';
const channel = (nodeOSUpgradeChannel: unknown, extra: Record<string, unknown> = {}) =>
  aks({ autoUpgradeProfile: { nodeOSUpgradeChannel, ...extra } });

testRule(rule, {
  valid: [
    { name: 'NodeImage', input: channel('NodeImage') },
    { name: 'SecurityPatch', input: channel('SecurityPatch') },
    { name: 'Unmanaged (patches, but reboots are another rule)', input: channel('Unmanaged') },
    { name: 'missing, API version 2024-09-01: NodeImage by default', input: template({}) },
    {
      name: 'missing, API version 2023-01-01: Unmanaged by default',
      input: template({}, { apiVersion: '2023-01-01' }),
    },
    { name: 'missing, no API version known: NodeImage or Unmanaged, never None', input: aks({}) },
    { name: 'null and empty string read as missing', input: channel(null, { upgradeChannel: '' }) },
    {
      name: 'upgradeChannel node-image implies NodeImage',
      input: aks({ autoUpgradeProfile: { upgradeChannel: 'node-image' } }),
    },
    {
      name: 'az casing (nodeOsUpgradeChannel)',
      input: azShow({ autoUpgradeProfile: { nodeOsUpgradeChannel: 'NodeImage' } }),
    },
  ],
  invalid: [
    {
      name: 'None',
      input: channel('None'),
      errors: [{ resource: CLUSTER, path: CHANNEL, message: /channel is None/ }],
    },
    { name: 'none in another casing', input: channel('none'), errors: [{ resource: CLUSTER, path: CHANNEL }] },
    {
      name: 'None wins over upgradeChannel node-image',
      input: channel('None', { upgradeChannel: 'node-image' }),
      errors: [{ resource: CLUSTER, path: CHANNEL }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ autoUpgradeProfile: { nodeOsUpgradeChannel: 'None', upgradeChannel: null } }),
      errors: [{ resource: CLUSTER, path: 'autoUpgradeProfile.nodeOsUpgradeChannel' }],
    },
    {
      name: 'a template that sets None',
      input: template({ autoUpgradeProfile: { nodeOSUpgradeChannel: 'None' } }),
      errors: [{ resource: TEMPLATE_CLUSTER, path: `resources[0].${CHANNEL}` }],
    },
    {
      name: 'channel from a parameter without default: unknown',
      input: template({ autoUpgradeProfile: { nodeOSUpgradeChannel: param('nodeOs') } }, { parameters: ['nodeOs'] }),
      errors: [{ resource: TEMPLATE_CLUSTER, path: `resources[0].${CHANNEL}`, unknown: true, severity: 'info' }],
    },
  ],
});
