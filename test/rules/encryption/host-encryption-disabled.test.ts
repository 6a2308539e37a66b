import rule from '../../../src/rules/encryption/host-encryption-disabled.js';
import { agentPool, azShow, param, template } from '../../support/arm-fixtures.js';
import { aks, pool, testRule } from '../../support/rule-tester.js';

const HOST = 'properties.agentPoolProfiles[0].enableEncryptionAtHost';
const withPool = (enableEncryptionAtHost: unknown) => aks({ agentPoolProfiles: [pool({ enableEncryptionAtHost })] });

testRule(rule, {
  valid: [
    { name: 'encryption at host on', input: withPool(true) },
    { name: 'on as an ARM string boolean', input: withPool('true') },
    {
      name: 'a Windows pool with it on',
      input: aks({ agentPoolProfiles: [pool({ osType: 'Windows', enableEncryptionAtHost: true })] }),
    },
    { name: 'az casing', input: azShow({ agentPoolProfiles: [pool({ EnableEncryptionAtHost: true })] }) },
    { name: 'a cluster without pools has nothing to judge', input: aks({ agentPoolProfiles: [] }) },
  ],
  invalid: [
    {
      name: 'missing: off by default',
      input: aks({ agentPoolProfiles: [pool()] }),
      errors: [{ resource: 'AgentPool/np1', path: HOST, message: /enableEncryptionAtHost: not set/ }],
    },
    { name: 'null', input: withPool(null), errors: [{ resource: 'AgentPool/np1', path: HOST }] },
    { name: 'empty string', input: withPool(''), errors: [{ resource: 'AgentPool/np1', path: HOST }] },
    { name: 'false', input: withPool(false), errors: [{ resource: 'AgentPool/np1', path: HOST }] },
    { name: 'ARM string "false"', input: withPool('false'), errors: [{ resource: 'AgentPool/np1', path: HOST }] },
    {
      name: 'every pool is judged: one finding per pool without it',
      input: aks({
        agentPoolProfiles: [
          pool({ enableEncryptionAtHost: true }),
          pool({ name: 'user1', mode: 'User' }),
          pool({ name: 'win1', osType: 'Windows', mode: 'User' }),
        ],
      }),
      errors: [
        { resource: 'AgentPool/user1', path: 'properties.agentPoolProfiles[1].enableEncryptionAtHost' },
        { resource: 'AgentPool/win1', path: 'properties.agentPoolProfiles[2].enableEncryptionAtHost' },
      ],
    },
    {
      name: 'a separate agent pool resource without its cluster',
      input: agentPool('np2', { mode: 'User', osType: 'Linux', vmSize: 'Standard_D4s_v5' }),
      errors: [{ resource: 'AgentPool/np2', path: 'properties.enableEncryptionAtHost' }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ agentPoolProfiles: [pool({ enableEncryptionAtHost: false })] }),
      errors: [{ resource: 'AgentPool/np1', path: 'agentPoolProfiles[0].enableEncryptionAtHost' }],
    },
    {
      name: 'a template agentPools child resource with a parameter without default: unknown',
      input: template(
        { agentPoolProfiles: [pool({ enableEncryptionAtHost: true })] },
        {
          parameters: ['hostEncryption'],
          resources: [
            {
              type: 'Microsoft.ContainerService/managedClusters/agentPools',
              apiVersion: '2024-09-01',
              name: 'tpl/user1',
              properties: { mode: 'User', vmSize: 'Standard_D4s_v5', enableEncryptionAtHost: param('hostEncryption') },
            },
          ],
        },
      ),
      errors: [
        {
          resource: 'AgentPool/user1',
          path: 'resources[1].properties.enableEncryptionAtHost',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
