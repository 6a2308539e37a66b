import rule from '../../../src/rules/patching/windows-pool-not-auto-patched.js';
import { agentPool, azShow, param, template } from '../../support/arm-fixtures.js';
import { aks, pool, testRule } from '../../support/rule-tester.js';

const CHANNEL = 'properties.autoUpgradeProfile.nodeOSUpgradeChannel';
const windows = pool({ name: 'win1', mode: 'User', osType: 'Windows' });
const withWindows = (autoUpgradeProfile: Record<string, unknown>) =>
  aks({ autoUpgradeProfile, agentPoolProfiles: [pool(), windows] });

testRule(rule, {
  valid: [
    { name: 'Windows pool on NodeImage', input: withWindows({ nodeOSUpgradeChannel: 'NodeImage' }) },
    {
      name: 'Linux pools only, whatever the channel',
      input: aks({ autoUpgradeProfile: { nodeOSUpgradeChannel: 'None' }, agentPoolProfiles: [pool()] }),
    },
    { name: 'upgradeChannel node-image implies NodeImage', input: withWindows({ upgradeChannel: 'node-image' }) },
    {
      name: 'missing channel, API version 2024-09-01: NodeImage by default',
      input: template({ agentPoolProfiles: [pool(), windows] }),
    },
    {
      name: 'az casing',
      input: azShow({
        autoUpgradeProfile: { nodeOsUpgradeChannel: 'NodeImage' },
        agentPoolProfiles: [pool(), windows],
      }),
    },
  ],
  invalid: [
    {
      name: 'SecurityPatch is unsupported on Windows',
      input: withWindows({ nodeOSUpgradeChannel: 'SecurityPatch' }),
      errors: [
        {
          resource: 'AgentPool/win1',
          path: CHANNEL,
          message: /Windows pool win1 is on node OS channel "SecurityPatch"/,
        },
      ],
    },
    {
      name: 'Unmanaged acts as None on Windows',
      input: withWindows({ nodeOSUpgradeChannel: 'Unmanaged' }),
      errors: [{ resource: 'AgentPool/win1', path: CHANNEL }],
    },
    {
      name: 'None',
      input: withWindows({ nodeOSUpgradeChannel: 'None' }),
      errors: [{ resource: 'AgentPool/win1', path: CHANNEL }],
    },
    {
      name: 'missing channel, API version 2023-01-01: Unmanaged by default',
      input: template({ agentPoolProfiles: [pool(), windows] }, { apiVersion: '2023-01-01' }),
      errors: [
        { resource: 'AgentPool/win1', path: `resources[0].${CHANNEL}`, message: /Unmanaged \(not set; the default\)/ },
      ],
    },
    {
      name: 'missing channel, no API version known: unknown',
      input: aks({ agentPoolProfiles: [pool(), windows] }),
      errors: [{ resource: 'AgentPool/win1', path: CHANNEL, unknown: true, severity: 'info', message: /API version/ }],
    },
    {
      name: 'every Windows pool is named',
      input: aks({
        autoUpgradeProfile: { nodeOSUpgradeChannel: 'None' },
        agentPoolProfiles: [pool(), windows, pool({ name: 'win2', mode: 'User', osType: 'windows' })],
      }),
      errors: [
        { resource: 'AgentPool/win1', path: CHANNEL },
        { resource: 'AgentPool/win2', path: CHANNEL },
      ],
    },
    {
      name: 'a separate Windows agentPools resource joins its cluster',
      files: true,
      input: {
        'cluster.json': aks({
          autoUpgradeProfile: { nodeOSUpgradeChannel: 'SecurityPatch' },
          agentPoolProfiles: [pool()],
        }),
        'pool.json': agentPool('win3', { mode: 'User', osType: 'Windows', vmSize: 'Standard_D4s_v5' }),
      },
      errors: [{ resource: 'AgentPool/win3', path: CHANNEL }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({
        autoUpgradeProfile: { nodeOsUpgradeChannel: 'Unmanaged' },
        agentPoolProfiles: [pool(), windows],
      }),
      errors: [{ resource: 'AgentPool/win1', path: 'autoUpgradeProfile.nodeOsUpgradeChannel' }],
    },
    {
      name: 'channel from a parameter without default: unknown',
      input: template(
        { autoUpgradeProfile: { nodeOSUpgradeChannel: param('nodeOs') }, agentPoolProfiles: [pool(), windows] },
        { parameters: ['nodeOs'] },
      ),
      errors: [{ resource: 'AgentPool/win1', path: `resources[0].${CHANNEL}`, unknown: true }],
    },
    {
      name: 'OS type from a parameter without default: unknown',
      input: template(
        {
          autoUpgradeProfile: { nodeOSUpgradeChannel: 'SecurityPatch' },
          agentPoolProfiles: [pool({ osType: param('os') })],
        },
        { parameters: ['os'] },
      ),
      errors: [
        { resource: 'AgentPool/np1', path: 'resources[0].properties.agentPoolProfiles[0].osType', unknown: true },
      ],
    },
  ],
});
