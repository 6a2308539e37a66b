import rule from '../../../src/rules/control-plane/api-server-unrestricted.js';
import { aks, pool, testRule } from '../../support/rule-tester.js';

const RANGES = 'properties.apiServerAccessProfile.authorizedIPRanges';

testRule(rule, {
  valid: [
    { name: 'private cluster', input: aks({ apiServerAccessProfile: { enablePrivateCluster: true } }) },
    {
      name: 'private cluster as ARM string boolean',
      input: aks({ apiServerAccessProfile: { enablePrivateCluster: 'true' } }),
    },
    { name: 'public with a range', input: aks({ apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] } }) },
    {
      name: '0.0.0.0/0 is a range (too broad is another rule)',
      input: aks({ apiServerAccessProfile: { authorizedIPRanges: ['0.0.0.0/0'] } }),
    },
    {
      name: 'az casing',
      input: {
        name: 'aks1',
        apiServerAccessProfile: { authorizedIpRanges: ['10.0.0.0/16'] },
        agentPoolProfiles: [pool()],
      },
    },
    {
      name: 'legacy 2019 preview spelling',
      input: aks({ apiServerAuthorizedIPRanges: ['10.0.0.0/16'], agentPoolProfiles: [pool()] }),
    },
  ],
  invalid: [
    {
      name: 'nothing set',
      input: aks({ agentPoolProfiles: [pool()] }),
      errors: [{ resource: 'ManagedCluster/aks1', path: RANGES }],
    },
    {
      name: 'empty list',
      input: aks({ apiServerAccessProfile: { authorizedIPRanges: [] } }),
      errors: [{ resource: 'ManagedCluster/aks1', path: RANGES, message: /empty/ }],
    },
    {
      name: 'only an empty string',
      input: aks({ apiServerAccessProfile: { authorizedIPRanges: [''] } }),
      errors: [{ resource: 'ManagedCluster/aks1', path: RANGES }],
    },
    {
      name: 'private explicitly false',
      input: aks({ apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: null } }),
      errors: [{ resource: 'ManagedCluster/aks1', path: RANGES }],
    },
    {
      name: 'az output without the properties wrapper',
      input: {
        name: 'c2',
        type: 'Microsoft.ContainerService/ManagedClusters',
        enableRbac: true,
        agentPoolProfiles: [pool()],
      },
      errors: [{ resource: 'ManagedCluster/c2', path: 'apiServerAccessProfile.authorizedIPRanges' }],
    },
    {
      name: 'template parameter without default is unknown',
      input: {
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        parameters: { private: { type: 'bool' } },
        resources: [
          {
            type: 'Microsoft.ContainerService/managedClusters',
            apiVersion: '2024-05-01',
            name: 'tpl',
            properties: { apiServerAccessProfile: { enablePrivateCluster: "[parameters('private')]" } },
          },
        ],
      },
      errors: [
        {
          resource: 'ManagedCluster/tpl',
          path: 'resources[0].properties.apiServerAccessProfile.enablePrivateCluster',
          unknown: true,
        },
      ],
    },
  ],
});
