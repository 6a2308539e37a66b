import rule from '../../../src/rules/control-plane/kubernetes-version-unsupported.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, pool, testRule } from '../../support/rule-tester.js';

/**
 * Against `data/kubernetes-versions.json`: on 2026-11-28 the oldest supported minor is 1.34 (end of life
 * 2026-11-30), and 1.31 under Long-Term Support (LTS end of life 2026-11-30). From 2026-12-01 it is 1.35 / 1.32.
 */
const VERSION = 'properties.kubernetesVersion';
const cluster = (kubernetesVersion: unknown, pools = [pool({ orchestratorVersion: kubernetesVersion })]) =>
  aks({ kubernetesVersion, agentPoolProfiles: pools });
const lts = (kubernetesVersion: string) =>
  aks({ kubernetesVersion, supportPlan: 'AKSLongTermSupport', agentPoolProfiles: [pool()] });

testRule(rule, {
  valid: [
    { name: 'the oldest supported minor, days before its end of life', input: cluster('1.34.3') },
    { name: 'a newer minor', input: cluster('1.36.0') },
    { name: 'a minor alias without patch', input: cluster('1.35') },
    { name: 'v-prefixed', input: cluster('v1.35.1') },
    { name: 'no version: AKS picks a supported default', input: aks({ agentPoolProfiles: [pool()] }) },
    {
      name: 'null and empty string',
      input: aks({ kubernetesVersion: null, agentPoolProfiles: [pool({ orchestratorVersion: '' })] }),
    },
    { name: 'Long-Term Support keeps 1.31 supported until 2026-11-30', input: lts('1.31.9') },
    {
      name: 'az casing',
      input: azShow({ kubernetesVersion: '1.35.2', agentPoolProfiles: [pool({ orchestratorVersion: '1.35.2' })] }),
    },
  ],
  invalid: [
    {
      name: 'a minor past its end of life',
      input: cluster('1.33.5', [pool({ orchestratorVersion: '1.35.0' })]),
      errors: [
        { resource: CLUSTER, path: VERSION, message: /Kubernetes "1\.33\.5", older than 1\.34.* on 2026-11-28/ },
      ],
    },
    {
      name: 'the pool is named for its own orchestratorVersion',
      input: cluster('1.35.0', [pool({ orchestratorVersion: '1.30.14' })]),
      errors: [
        { resource: 'AgentPool/np1', path: 'properties.agentPoolProfiles[0].orchestratorVersion', message: /pool np1/ },
      ],
    },
    {
      name: 'cluster and pool both behind: one finding each',
      input: cluster('1.29.2'),
      errors: [
        { resource: 'AgentPool/np1', path: 'properties.agentPoolProfiles[0].orchestratorVersion' },
        { resource: CLUSTER, path: VERSION },
      ],
    },
    {
      name: 'time decides: 1.34 is out of support from 2026-12-01',
      input: cluster('1.34.3', [pool()]),
      now: '2026-12-01T00:00:00Z',
      errors: [{ resource: CLUSTER, path: VERSION, message: /older than 1\.35.* on 2026-12-01/ }],
    },
    {
      name: 'Long-Term Support does not cover a minor past its LTS end of life',
      input: lts('1.30.4'),
      errors: [{ resource: CLUSTER, path: VERSION, message: /under Long-Term Support/ }],
    },
    {
      name: 'az casing',
      input: azShow({ kubernetesVersion: '1.28.0', currentKubernetesVersion: '1.28.0', agentPoolProfiles: [] }),
      errors: [{ resource: CLUSTER, path: 'kubernetesVersion' }],
    },
    {
      name: 'version from a parameter without default: unknown',
      input: template({ kubernetesVersion: param('version') }, { parameters: ['version'] }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.kubernetesVersion',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
