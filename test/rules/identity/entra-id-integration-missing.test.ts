import rule from '../../../src/rules/identity/entra-id-integration-missing.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const MANAGED = 'properties.aadProfile.managed';
const LEGACY = {
  clientAppID: '00000000-0000-0000-0000-000000000001',
  serverAppID: '00000000-0000-0000-0000-000000000002',
};

testRule(rule, {
  valid: [
    { name: 'AKS-managed Entra ID', input: aks({ aadProfile: { managed: true, enableAzureRBAC: true } }) },
    { name: 'managed as an ARM string boolean', input: aks({ aadProfile: { managed: 'true' } }) },
    { name: 'az casing', input: azShow({ aadProfile: { managed: true, adminGroupObjectIds: ['g1'] } }) },
  ],
  invalid: [
    {
      name: 'no aadProfile',
      input: aks({}),
      errors: [
        { resource: CLUSTER, path: MANAGED, message: /no Microsoft Entra ID integration \(aadProfile not set\)/ },
      ],
    },
    {
      name: 'aadProfile null',
      input: aks({ aadProfile: null }),
      errors: [{ resource: CLUSTER, path: MANAGED, message: /not set/ }],
    },
    {
      name: 'an empty aadProfile block is the default',
      input: aks({ aadProfile: {} }),
      errors: [{ resource: CLUSTER, path: MANAGED, message: /not set/ }],
    },
    {
      name: 'legacy integration with its own server app (managed missing)',
      input: aks({ aadProfile: LEGACY }),
      errors: [
        { resource: CLUSTER, path: MANAGED, message: /legacy Entra ID integration \(aadProfile\.managed: not set\)/ },
      ],
    },
    {
      name: 'legacy integration, managed false',
      input: aks({ aadProfile: { ...LEGACY, managed: false } }),
      errors: [{ resource: CLUSTER, path: MANAGED, message: /managed: false/ }],
    },
    {
      name: 'managed as ARM string "false"',
      input: aks({ aadProfile: { managed: 'false' } }),
      errors: [{ resource: CLUSTER, path: MANAGED }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ aadProfile: null, enableRbac: true }),
      errors: [{ resource: CLUSTER, path: 'aadProfile.managed' }],
    },
    {
      name: 'managed from a parameter without default: unknown',
      input: template({ aadProfile: { managed: param('managed') } }, { parameters: ['managed'] }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.aadProfile.managed',
          unknown: true,
          severity: 'info',
        },
      ],
    },
    {
      name: 'the whole aadProfile from a parameter without default: unknown',
      input: template({ aadProfile: param('aad') }, { parameters: ['aad'] }),
      errors: [{ resource: TEMPLATE_CLUSTER, path: 'resources[0].properties.aadProfile', unknown: true }],
    },
  ],
});
