import rule from '../../../src/rules/patching/pool-version-skew.js';
import { agentPool, azShow, param, template } from '../../support/arm-fixtures.js';
import { aks, pool, testRule } from '../../support/rule-tester.js';

const cluster = (kubernetesVersion: unknown, ...pools: unknown[]) =>
  aks({ kubernetesVersion, agentPoolProfiles: pools });

testRule(rule, {
  valid: [
    { name: 'same minor, other patch', input: cluster('1.34.3', pool({ orchestratorVersion: '1.34.1' })) },
    { name: 'a minor alias', input: cluster('1.34', pool({ orchestratorVersion: '1.34.2' })) },
    { name: 'no orchestratorVersion: the pool follows the control plane', input: cluster('1.34.3', pool()) },
    {
      name: 'null and empty string read as missing',
      input: cluster('1.34.3', pool({ orchestratorVersion: null }), pool({ name: 'p2', orchestratorVersion: '' })),
    },
    {
      name: 'no cluster version: nothing to compare',
      input: cluster(undefined, pool({ orchestratorVersion: '1.30.0' })),
    },
    {
      name: 'a pool whose cluster is not in the input',
      input: agentPool('np2', { osType: 'Linux', mode: 'User', orchestratorVersion: '1.30.0' }),
    },
    {
      name: 'az casing',
      input: azShow({
        kubernetesVersion: '1.34.3',
        agentPoolProfiles: [pool({ orchestratorVersion: '1.34.3', currentOrchestratorVersion: '1.34.3' })],
      }),
    },
  ],
  invalid: [
    {
      name: 'one minor behind',
      input: cluster('1.34.3', pool({ orchestratorVersion: '1.33.9' })),
      errors: [
        {
          resource: 'AgentPool/np1',
          path: 'properties.agentPoolProfiles[0].orchestratorVersion',
          message: /pool np1 runs Kubernetes 1\.33\.9 while the control plane runs 1\.34\.3/,
        },
      ],
    },
    {
      name: 'only the pool that is behind',
      input: cluster(
        '1.34.3',
        pool({ orchestratorVersion: '1.34.3' }),
        pool({ name: 'user1', mode: 'User', orchestratorVersion: '1.32.0' }),
      ),
      errors: [{ resource: 'AgentPool/user1', path: 'properties.agentPoolProfiles[1].orchestratorVersion' }],
    },
    {
      name: 'a separate agentPools resource joins its cluster',
      files: true,
      input: {
        'cluster.json': cluster('1.34.3', pool()),
        'pool.json': agentPool('user2', { osType: 'Linux', mode: 'User', orchestratorVersion: '1.33.0' }),
      },
      errors: [{ resource: 'AgentPool/user2', path: 'properties.orchestratorVersion' }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ kubernetesVersion: '1.34.3', agentPoolProfiles: [pool({ orchestratorVersion: '1.33.2' })] }),
      errors: [{ resource: 'AgentPool/np1', path: 'agentPoolProfiles[0].orchestratorVersion' }],
    },
    {
      name: 'pool version from a parameter without default: unknown',
      input: template(
        { kubernetesVersion: '1.34.3', agentPoolProfiles: [pool({ orchestratorVersion: param('poolVersion') })] },
        { parameters: ['poolVersion'] },
      ),
      errors: [
        {
          resource: 'AgentPool/np1',
          path: 'resources[0].properties.agentPoolProfiles[0].orchestratorVersion',
          unknown: true,
          severity: 'info',
        },
      ],
    },
    {
      name: 'cluster version from a parameter without default: unknown',
      input: template(
        { kubernetesVersion: param('version'), agentPoolProfiles: [pool({ orchestratorVersion: '1.33.1' })] },
        { parameters: ['version'] },
      ),
      errors: [
        {
          resource: 'AgentPool/np1',
          path: 'resources[0].properties.agentPoolProfiles[0].orchestratorVersion',
          unknown: true,
          message: /kubernetesVersion is \[parameters\('version'\)\]/,
        },
      ],
    },
  ],
});
