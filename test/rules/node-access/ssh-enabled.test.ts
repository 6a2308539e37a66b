import rule from '../../../src/rules/node-access/ssh-enabled.js';
import { agentPool, azShow, param, template } from '../../support/arm-fixtures.js';
import { aks, pool, testRule } from '../../support/rule-tester.js';

const SSH = 'properties.agentPoolProfiles[0].securityProfile.sshAccess';
const withPool = (overrides: Record<string, unknown>) => aks({ agentPoolProfiles: [pool(overrides)] });
const sshAccess = (value: unknown) => withPool({ securityProfile: { sshAccess: value } });

testRule(rule, {
  valid: [
    { name: 'SSH disabled', input: sshAccess('Disabled') },
    { name: 'Disabled in another casing', input: sshAccess('disabled') },
    {
      name: 'a Windows pool (the rule applies to Linux pools)',
      input: withPool({ name: 'win1', osType: 'Windows', mode: 'User' }),
    },
    { name: 'az casing', input: azShow({ agentPoolProfiles: [pool({ securityProfile: { sshAccess: 'Disabled' } })] }) },
  ],
  invalid: [
    {
      name: 'missing: the default is LocalUser',
      input: withPool({}),
      errors: [{ resource: 'AgentPool/np1', path: SSH, message: /not set, default LocalUser/ }],
    },
    { name: 'null', input: sshAccess(null), errors: [{ resource: 'AgentPool/np1', path: SSH }] },
    { name: 'empty string', input: sshAccess(''), errors: [{ resource: 'AgentPool/np1', path: SSH }] },
    {
      name: 'an empty securityProfile block',
      input: withPool({ securityProfile: {} }),
      errors: [{ resource: 'AgentPool/np1', path: SSH }],
    },
    {
      name: 'LocalUser',
      input: sshAccess('LocalUser'),
      errors: [{ resource: 'AgentPool/np1', path: SSH, message: /"LocalUser"/ }],
    },
    {
      name: 'a pool without osType is Linux (the API default)',
      input: aks({ agentPoolProfiles: [{ name: 'np1', mode: 'System', count: 1, vmSize: 'Standard_D2s_v5' }] }),
      errors: [{ resource: 'AgentPool/np1', path: SSH }],
    },
    {
      name: 'only the Linux pool of a mixed cluster',
      input: aks({
        agentPoolProfiles: [
          pool({ securityProfile: { sshAccess: 'Disabled' } }),
          pool({ name: 'win1', osType: 'Windows', mode: 'User' }),
          pool({ name: 'user1', mode: 'User' }),
        ],
      }),
      errors: [{ resource: 'AgentPool/user1', path: 'properties.agentPoolProfiles[2].securityProfile.sshAccess' }],
    },
    {
      name: 'a separate agent pool resource',
      input: agentPool('np2', {
        mode: 'User',
        osType: 'Linux',
        vmSize: 'Standard_D4s_v5',
        securityProfile: { sshAccess: 'LocalUser' },
      }),
      errors: [{ resource: 'AgentPool/np2', path: 'properties.securityProfile.sshAccess' }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ agentPoolProfiles: [pool({ securityProfile: { sshAccess: 'LocalUser' } })] }),
      errors: [{ resource: 'AgentPool/np1', path: 'agentPoolProfiles[0].securityProfile.sshAccess' }],
    },
    {
      name: 'SSH access from a parameter without default: unknown',
      input: template(
        { agentPoolProfiles: [pool({ securityProfile: { sshAccess: param('ssh') } })] },
        { parameters: ['ssh'] },
      ),
      errors: [{ resource: 'AgentPool/np1', path: `resources[0].${SSH}`, unknown: true, severity: 'info' }],
    },
    {
      name: 'OS type from a parameter without default: unknown (a Windows pool would pass)',
      input: template({ agentPoolProfiles: [pool({ osType: param('os') })] }, { parameters: ['os'] }),
      errors: [
        { resource: 'AgentPool/np1', path: 'resources[0].properties.agentPoolProfiles[0].osType', unknown: true },
      ],
    },
  ],
});
