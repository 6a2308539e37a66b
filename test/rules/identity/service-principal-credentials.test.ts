import rule from '../../../src/rules/identity/service-principal-credentials.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const CLIENT_ID = 'properties.servicePrincipalProfile.clientId';
const SP = { clientId: '00000000-0000-0000-0000-00000000000a', secret: 'not-a-real-secret' };

testRule(rule, {
  valid: [
    { name: 'system-assigned managed identity', input: aks({}, { identity: { type: 'SystemAssigned' } }) },
    {
      name: 'managed identity; az shows the placeholder clientId "msi"',
      input: azShow({ identity: { type: 'SystemAssigned' }, servicePrincipalProfile: { clientId: 'msi' } }),
    },
    {
      name: 'clientId msi in another casing, no identity block',
      input: aks({ servicePrincipalProfile: { clientId: 'MSI' } }),
    },
    { name: 'no servicePrincipalProfile', input: aks({}) },
    { name: 'an empty clientId', input: aks({ servicePrincipalProfile: { clientId: '' } }) },
    {
      name: 'a service principal next to an identity block (migrated)',
      input: aks({ servicePrincipalProfile: SP }, { identity: { type: 'UserAssigned' } }),
    },
  ],
  invalid: [
    {
      name: 'service principal, no identity',
      input: aks({ servicePrincipalProfile: SP }),
      errors: [{ resource: CLUSTER, path: CLIENT_ID, message: /service principal/ }],
    },
    {
      name: 'identity null',
      input: aks({ servicePrincipalProfile: SP }, { identity: null }),
      errors: [{ resource: CLUSTER, path: CLIENT_ID }],
    },
    {
      name: 'an empty identity block',
      input: aks({ servicePrincipalProfile: SP }, { identity: {} }),
      errors: [{ resource: CLUSTER, path: CLIENT_ID }],
    },
    {
      name: 'az casing (no properties wrapper)',
      input: azShow({ ServicePrincipalProfile: { ClientId: SP.clientId } }),
      errors: [{ resource: CLUSTER, path: 'ServicePrincipalProfile.ClientId' }],
    },
    {
      name: 'clientId from a parameter without default: unknown',
      input: template(
        { servicePrincipalProfile: { clientId: param('spId'), secret: param('spSecret') } },
        { parameters: ['spId', 'spSecret'] },
      ),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.servicePrincipalProfile.clientId',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
