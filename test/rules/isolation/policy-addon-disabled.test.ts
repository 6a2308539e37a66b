import rule from '../../../src/rules/isolation/policy-addon-disabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const ADDON = 'properties.addonProfiles.azurepolicy.enabled';
const azurePolicy = (enabled: unknown) =>
  aks({ addonProfiles: { azurepolicy: { enabled, config: { version: 'v2' } } } });

testRule(rule, {
  valid: [
    { name: 'add-on on', input: azurePolicy(true) },
    { name: 'on as an ARM string boolean', input: azurePolicy('true') },
    {
      name: 'the add-on key in another casing (azurePolicy)',
      input: aks({ addonProfiles: { azurePolicy: { enabled: true } } }),
    },
    { name: 'az casing', input: azShow({ addonProfiles: { azurepolicy: { enabled: true, config: null } } }) },
  ],
  invalid: [
    {
      name: 'no addonProfiles',
      input: aks({}),
      errors: [{ resource: CLUSTER, path: ADDON, message: /enabled: not set/ }],
    },
    {
      name: 'an empty addonProfiles block',
      input: aks({ addonProfiles: {} }),
      errors: [{ resource: CLUSTER, path: ADDON }],
    },
    { name: 'null', input: azurePolicy(null), errors: [{ resource: CLUSTER, path: ADDON }] },
    { name: 'empty string', input: azurePolicy(''), errors: [{ resource: CLUSTER, path: ADDON }] },
    { name: 'false', input: azurePolicy(false), errors: [{ resource: CLUSTER, path: ADDON }] },
    {
      name: 'other add-ons on do not count',
      input: aks({ addonProfiles: { omsagent: { enabled: true } } }),
      errors: [{ resource: CLUSTER, path: ADDON }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ addonProfiles: { azurepolicy: { enabled: false } } }),
      errors: [{ resource: CLUSTER, path: 'addonProfiles.azurepolicy.enabled' }],
    },
    {
      name: 'switch from a parameter without default: unknown',
      input: template({ addonProfiles: { azurepolicy: { enabled: param('policy') } } }, { parameters: ['policy'] }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.addonProfiles.azurepolicy.enabled',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
