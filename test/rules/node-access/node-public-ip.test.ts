import rule from '../../../src/rules/node-access/node-public-ip.js';
import { agentPool, azShow, param, template } from '../../support/arm-fixtures.js';
import { aks, pool, testRule } from '../../support/rule-tester.js';

const POOL0 = 'properties.agentPoolProfiles[0]';
const PREFIX_ID = '/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.Network/publicIPPrefixes/nodes-prefix';
const withPool = (overrides: Record<string, unknown>) => aks({ agentPoolProfiles: [pool(overrides)] });

testRule(rule, {
  valid: [
    { name: 'no public IPs (missing: the default)', input: withPool({}) },
    { name: 'explicitly false', input: withPool({ enableNodePublicIP: false }) },
    { name: 'null and an empty prefix id', input: withPool({ enableNodePublicIP: null, nodePublicIPPrefixID: '' }) },
    { name: 'ARM string "false"', input: withPool({ enableNodePublicIP: 'false' }) },
    {
      name: 'az casing',
      input: azShow({ agentPoolProfiles: [pool({ enableNodePublicIp: false, nodePublicIpPrefixId: null })] }),
    },
  ],
  invalid: [
    {
      name: 'enableNodePublicIP true',
      input: withPool({ enableNodePublicIP: true }),
      errors: [{ resource: 'AgentPool/np1', path: `${POOL0}.enableNodePublicIP`, message: /enableNodePublicIP: true/ }],
    },
    {
      name: 'as an ARM string boolean',
      input: withPool({ enableNodePublicIP: 'true' }),
      errors: [{ resource: 'AgentPool/np1', path: `${POOL0}.enableNodePublicIP` }],
    },
    {
      name: 'a public IP prefix alone counts',
      input: withPool({ nodePublicIPPrefixID: PREFIX_ID }),
      errors: [
        { resource: 'AgentPool/np1', path: `${POOL0}.nodePublicIPPrefixID`, message: /nodePublicIPPrefixID set/ },
      ],
    },
    {
      name: 'flag and prefix: one finding, at the flag',
      input: withPool({ enableNodePublicIP: true, nodePublicIPPrefixID: PREFIX_ID }),
      errors: [{ resource: 'AgentPool/np1', path: `${POOL0}.enableNodePublicIP` }],
    },
    {
      name: 'each pool is judged: only the second fails',
      input: aks({ agentPoolProfiles: [pool(), pool({ name: 'user1', mode: 'User', enableNodePublicIP: true })] }),
      errors: [{ resource: 'AgentPool/user1', path: 'properties.agentPoolProfiles[1].enableNodePublicIP' }],
    },
    {
      name: 'a separate agent pool resource (az aks nodepool show), its cluster not in the input',
      input: agentPool('np2', { mode: 'User', osType: 'Linux', vmSize: 'Standard_D4s_v5', enableNodePublicIP: true }),
      errors: [{ resource: 'AgentPool/np2', path: 'properties.enableNodePublicIP' }],
    },
    {
      name: 'az casing (enableNodePublicIp)',
      input: azShow({ agentPoolProfiles: [pool({ enableNodePublicIp: true })] }),
      errors: [{ resource: 'AgentPool/np1', path: 'agentPoolProfiles[0].enableNodePublicIp' }],
    },
    {
      name: 'flag from a parameter without default: unknown',
      input: template(
        { agentPoolProfiles: [pool({ enableNodePublicIP: param('publicIp') })] },
        { parameters: ['publicIp'] },
      ),
      errors: [
        {
          resource: 'AgentPool/np1',
          path: 'resources[0].properties.agentPoolProfiles[0].enableNodePublicIP',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
