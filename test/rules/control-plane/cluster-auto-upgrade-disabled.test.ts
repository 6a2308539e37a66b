import rule from '../../../src/rules/control-plane/cluster-auto-upgrade-disabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const CHANNEL = 'properties.autoUpgradeProfile.upgradeChannel';
const channel = (upgradeChannel: unknown) => aks({ autoUpgradeProfile: { upgradeChannel } });

testRule(rule, {
  valid: [
    { name: 'patch', input: channel('patch') },
    { name: 'stable', input: channel('stable') },
    { name: 'rapid', input: channel('rapid') },
    { name: 'node-image (upgrades node images only, but is a channel)', input: channel('node-image') },
    { name: 'az casing', input: azShow({ autoUpgradeProfile: { upgradeChannel: 'patch' } }) },
  ],
  invalid: [
    {
      name: 'no autoUpgradeProfile: the default is none',
      input: aks({}),
      errors: [{ resource: CLUSTER, path: CHANNEL, message: /upgradeChannel: not set/ }],
    },
    {
      name: 'an empty autoUpgradeProfile block',
      input: aks({ autoUpgradeProfile: {} }),
      errors: [{ resource: CLUSTER, path: CHANNEL }],
    },
    { name: 'null', input: channel(null), errors: [{ resource: CLUSTER, path: CHANNEL }] },
    { name: 'empty string', input: channel(''), errors: [{ resource: CLUSTER, path: CHANNEL }] },
    { name: 'none', input: channel('none'), errors: [{ resource: CLUSTER, path: CHANNEL, message: /"none"/ }] },
    { name: 'None in another casing', input: channel('None'), errors: [{ resource: CLUSTER, path: CHANNEL }] },
    {
      name: 'az output without the channel',
      input: azShow({ autoUpgradeProfile: { nodeOsUpgradeChannel: 'NodeImage', upgradeChannel: null } }),
      errors: [{ resource: CLUSTER, path: 'autoUpgradeProfile.upgradeChannel' }],
    },
    {
      name: 'channel from a parameter without default: unknown',
      input: template({ autoUpgradeProfile: { upgradeChannel: param('channel') } }, { parameters: ['channel'] }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.autoUpgradeProfile.upgradeChannel',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
