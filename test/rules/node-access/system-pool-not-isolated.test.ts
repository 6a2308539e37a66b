import rule from '../../../src/rules/node-access/system-pool-not-isolated.js';
import { agentPool, azShow, param, template } from '../../support/arm-fixtures.js';
import { aks, pool, testRule } from '../../support/rule-tester.js';

const CRITICAL = 'CriticalAddonsOnly=true:NoSchedule';
const TAINTS = 'properties.agentPoolProfiles[0].nodeTaints';
const user = (name = 'user1', overrides: Record<string, unknown> = {}) => pool({ name, mode: 'User', ...overrides });
const cluster = (...agentPoolProfiles: unknown[]) => aks({ agentPoolProfiles });

testRule(rule, {
  valid: [
    { name: 'tainted system pool and a user pool', input: cluster(pool({ nodeTaints: [CRITICAL] }), user()) },
    {
      name: 'taint spelt with other casing and spaces',
      input: cluster(pool({ nodeTaints: ['criticaladdonsonly = true:NoSchedule'] }), user()),
    },
    { name: 'a system pool only: nothing else could run elsewhere', input: cluster(pool()) },
    {
      name: 'one of two system pools is tainted',
      input: cluster(pool(), pool({ name: 'sys2', nodeTaints: ['team=a:NoSchedule', CRITICAL] }), user()),
    },
    { name: 'az casing', input: azShow({ agentPoolProfiles: [pool({ nodeTaints: [CRITICAL] }), user()] }) },
  ],
  invalid: [
    {
      name: 'no taint on the system pool',
      input: cluster(pool(), user()),
      errors: [
        {
          resource: 'AgentPool/np1',
          path: TAINTS,
          message: /user pools \(user1\)/,
        },
      ],
    },
    {
      name: 'nodeTaints null',
      input: cluster(pool({ nodeTaints: null }), user()),
      errors: [{ resource: 'AgentPool/np1', path: TAINTS }],
    },
    {
      name: 'nodeTaints empty',
      input: cluster(pool({ nodeTaints: [] }), user()),
      errors: [{ resource: 'AgentPool/np1', path: TAINTS }],
    },
    {
      name: 'another taint is not CriticalAddonsOnly',
      input: cluster(pool({ nodeTaints: ['CriticalAddonsOnly=true:PreferNoSchedule'] }), user()),
      errors: [{ resource: 'AgentPool/np1', path: TAINTS }],
    },
    {
      name: 'the taint on a user pool does not isolate the system pool',
      input: cluster(pool(), user('user1', { nodeTaints: [CRITICAL] })),
      errors: [{ resource: 'AgentPool/np1', path: TAINTS, message: /on np1/ }],
    },
    {
      name: 'without mode, the first pool is the System pool',
      input: cluster(
        { name: 'first', osType: 'Linux', vmSize: 'Standard_D4s_v5' },
        { name: 'second', osType: 'Linux', vmSize: 'Standard_D4s_v5' },
      ),
      errors: [
        { resource: 'AgentPool/first', path: 'properties.agentPoolProfiles[0].nodeTaints', message: /\(second\)/ },
      ],
    },
    {
      name: 'a user pool as a separate resource joins its cluster',
      files: true,
      input: {
        'cluster.json': cluster(pool()),
        'pool.json': agentPool('user2', { mode: 'User', osType: 'Linux', vmSize: 'Standard_D4s_v5' }),
      },
      errors: [{ resource: 'AgentPool/np1', path: TAINTS, message: /user2/ }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ agentPoolProfiles: [pool({ nodeTaints: null }), user()] }),
      errors: [{ resource: 'AgentPool/np1', path: 'agentPoolProfiles[0].nodeTaints' }],
    },
    {
      name: 'taints from a parameter without default: unknown',
      input: template(
        { agentPoolProfiles: [pool({ nodeTaints: param('taints') }), user()] },
        { parameters: ['taints'] },
      ),
      errors: [
        {
          resource: 'AgentPool/np1',
          path: 'resources[0].properties.agentPoolProfiles[0].nodeTaints',
          unknown: true,
          severity: 'info',
        },
      ],
    },
    {
      name: 'one taint from a parameter, another known not to be it: unknown',
      input: template(
        { agentPoolProfiles: [pool({ nodeTaints: ['team=a:NoSchedule', param('taint')] }), user()] },
        { parameters: ['taint'] },
      ),
      errors: [
        { resource: 'AgentPool/np1', path: 'resources[0].properties.agentPoolProfiles[0].nodeTaints', unknown: true },
      ],
    },
  ],
});
