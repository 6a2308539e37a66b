import rule from '../../../src/rules/identity/azure-rbac-disabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const AZURE_RBAC = 'properties.aadProfile.enableAzureRBAC';

testRule(rule, {
  valid: [
    { name: 'Azure RBAC on', input: aks({ aadProfile: { managed: true, enableAzureRBAC: true } }) },
    { name: 'on as an ARM string boolean', input: aks({ aadProfile: { managed: true, enableAzureRBAC: 'true' } }) },
    { name: 'no aadProfile: entra-id-integration-missing fires instead', input: aks({}) },
    { name: 'aadProfile null', input: aks({ aadProfile: null }) },
    { name: 'an empty aadProfile block counts as missing', input: aks({ aadProfile: {} }) },
    { name: 'az casing (enableAzureRbac)', input: azShow({ aadProfile: { managed: true, enableAzureRbac: true } }) },
  ],
  invalid: [
    {
      name: 'managed Entra ID without Azure RBAC (missing)',
      input: aks({ aadProfile: { managed: true } }),
      errors: [{ resource: CLUSTER, path: AZURE_RBAC, message: /enableAzureRBAC: not set/ }],
    },
    {
      name: 'explicitly false',
      input: aks({ aadProfile: { managed: true, enableAzureRBAC: false } }),
      errors: [{ resource: CLUSTER, path: AZURE_RBAC }],
    },
    {
      name: 'null',
      input: aks({ aadProfile: { managed: true, enableAzureRBAC: null } }),
      errors: [{ resource: CLUSTER, path: AZURE_RBAC }],
    },
    {
      name: 'empty string',
      input: aks({ aadProfile: { managed: true, enableAzureRBAC: '' } }),
      errors: [{ resource: CLUSTER, path: AZURE_RBAC }],
    },
    {
      name: 'legacy integration counts too',
      input: aks({ aadProfile: { managed: false, serverAppID: '00000000-0000-0000-0000-000000000002' } }),
      errors: [{ resource: CLUSTER, path: AZURE_RBAC }],
    },
    {
      name: 'az casing (kubescape ClusterDescribe shape)',
      input: {
        apiVersion: 'management.azure.com/v1',
        kind: 'ClusterDescribe',
        data: azShow({ properties: { agentPoolProfiles: [], aadProfile: { managed: true, enableAzureRbac: false } } }),
      },
      errors: [{ resource: CLUSTER, path: 'data.properties.aadProfile.enableAzureRbac' }],
    },
    {
      name: 'Azure RBAC from a parameter without default: unknown',
      input: template(
        { aadProfile: { managed: true, enableAzureRBAC: param('azureRbac') } },
        { parameters: ['azureRbac'] },
      ),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.aadProfile.enableAzureRBAC',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
