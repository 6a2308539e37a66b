import rule from '../../../src/rules/isolation/network-policy-disabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const POLICY = 'properties.networkProfile.networkPolicy';
const networkPolicy = (value: unknown, networkPlugin = 'azure') =>
  aks({ networkProfile: { networkPlugin, networkPolicy: value } });

testRule(rule, {
  valid: [
    { name: 'azure', input: networkPolicy('azure') },
    { name: 'calico on kubenet', input: networkPolicy('calico', 'kubenet') },
    { name: 'cilium', input: networkPolicy('cilium') },
    { name: 'engine name in another casing', input: networkPolicy('Calico') },
    { name: 'az casing', input: azShow({ networkProfile: { networkPlugin: 'azure', networkPolicy: 'azure' } }) },
    {
      name: 'Cilium dataplane without networkPolicy: Cilium enforces policies',
      input: aks({ networkProfile: { networkPlugin: 'azure', networkDataplane: 'cilium' } }),
    },
    {
      name: 'Cilium dataplane with networkPolicy null',
      input: aks({ networkProfile: { networkPlugin: 'azure', networkDataplane: 'Cilium', networkPolicy: null } }),
    },
    {
      name: 'AKS Automatic (sku Automatic) without networkProfile: always Azure CNI powered by Cilium',
      input: aks({}, { sku: { name: 'Automatic', tier: 'Standard' } }),
    },
    {
      name: 'legacy ebpfDataplane cilium (2022 preview API)',
      input: aks({ networkProfile: { networkPlugin: 'azure', ebpfDataplane: 'cilium' } }),
    },
  ],
  invalid: [
    {
      name: 'no networkProfile',
      input: aks({}),
      errors: [{ resource: CLUSTER, path: POLICY, message: /networkPolicy: not set/ }],
    },
    {
      name: 'policy missing (kubescape aks-empty-fail)',
      input: aks({ networkProfile: { networkPlugin: 'kubenet' } }),
      errors: [{ resource: CLUSTER, path: POLICY }],
    },
    { name: 'null', input: networkPolicy(null, 'kubenet'), errors: [{ resource: CLUSTER, path: POLICY }] },
    { name: 'empty string', input: networkPolicy(''), errors: [{ resource: CLUSTER, path: POLICY }] },
    { name: 'none', input: networkPolicy('none'), errors: [{ resource: CLUSTER, path: POLICY, message: /"none"/ }] },
    {
      name: 'Cilium dataplane with an explicit none',
      input: aks({ networkProfile: { networkPlugin: 'azure', networkDataplane: 'cilium', networkPolicy: 'none' } }),
      errors: [{ resource: CLUSTER, path: POLICY, message: /networkPolicy: "none"\)/ }],
    },
    {
      name: 'azure dataplane without networkPolicy',
      input: aks({ networkProfile: { networkPlugin: 'azure', networkDataplane: 'azure' } }),
      errors: [{ resource: CLUSTER, path: POLICY, message: /dataplane is not Cilium \(networkDataplane: "azure"\)/ }],
    },
    { name: 'an unknown engine name', input: networkPolicy('weave'), errors: [{ resource: CLUSTER, path: POLICY }] },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ networkProfile: { networkPlugin: 'kubenet', networkPolicy: null } }),
      errors: [{ resource: CLUSTER, path: 'networkProfile.networkPolicy' }],
    },
    {
      name: 'policy from a parameter without default: unknown',
      input: template(
        { networkProfile: { networkPlugin: 'azure', networkPolicy: param('policy') } },
        { parameters: ['policy'] },
      ),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.networkProfile.networkPolicy',
          unknown: true,
          severity: 'info',
        },
      ],
    },
    {
      name: 'no policy and a dataplane from a parameter without default: unknown',
      input: template(
        { networkProfile: { networkPlugin: 'azure', networkDataplane: param('dataplane') } },
        { parameters: ['dataplane'] },
      ),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.networkProfile.networkDataplane',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
