import rule from '../../../src/rules/isolation/namespace-without-network-policy.js';
import { deployment, list, namespace, networkPolicy, podSpec, serviceAccount } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

const cilium = (kind: string, ns?: string) => ({
  apiVersion: 'cilium.io/v2',
  kind,
  metadata: { name: 'deny', ...(ns ? { namespace: ns } : {}) },
  spec: {},
});

testRule(rule, {
  valid: [
    { name: 'a NetworkPolicy in the namespace', input: list(deployment('web', podSpec()), networkPolicy('shop')) },
    {
      name: 'a CiliumNetworkPolicy in the namespace',
      input: list(deployment('web', podSpec()), cilium('CiliumNetworkPolicy', 'shop')),
    },
    {
      name: 'a CiliumClusterwideNetworkPolicy covers every namespace',
      input: list(deployment('web', podSpec()), cilium('CiliumClusterwideNetworkPolicy')),
    },
    { name: 'a namespace without pods', input: list(namespace('empty'), serviceAccount('builder', 'empty')) },
    { name: 'system namespaces are skipped', input: deployment('coredns', podSpec(), 'kube-system') },
  ],
  invalid: [
    {
      name: 'pods and no policy; named by its Namespace object',
      input: list(namespace('shop'), deployment('web', podSpec()), networkPolicy('other')),
      errors: [{ resource: 'Namespace/shop', path: '', message: /namespace shop runs pods but has no NetworkPolicy/ }],
    },
    {
      name: 'a namespace known only from its objects points at the first one',
      input: deployment('web', podSpec(), 'shop'),
      errors: [{ resource: 'Namespace/shop', path: 'metadata.namespace' }],
    },
    {
      name: 'objects without a namespace land in default (not a system namespace)',
      input: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: podSpec() },
      errors: [{ resource: 'Namespace/default', path: 'metadata.namespace' }],
    },
  ],
});
