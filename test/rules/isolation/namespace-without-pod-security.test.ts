import rule from '../../../src/rules/isolation/namespace-without-pod-security.js';
import { deployment, list, namespace, podSpec, restrictedNamespace } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

const LABEL = 'metadata.labels["pod-security.kubernetes.io/enforce"]';

testRule(rule, {
  valid: [
    { name: 'restricted', input: restrictedNamespace('shop') },
    { name: 'baseline', input: namespace('shop', { 'pod-security.kubernetes.io/enforce': 'baseline' }) },
    { name: 'system namespaces are skipped', input: namespace('kube-system') },
  ],
  invalid: [
    {
      name: 'no label',
      input: namespace('shop'),
      errors: [{ resource: 'Namespace/shop', path: LABEL, message: /has no pod-security/ }],
    },
    {
      name: 'privileged is no enforcement',
      input: namespace('shop', {
        'pod-security.kubernetes.io/enforce': 'privileged',
        'pod-security.kubernetes.io/warn': 'restricted',
      }),
      errors: [{ resource: 'Namespace/shop', path: LABEL, message: /sets "privileged"/ }],
    },
    {
      name: 'unknown when the Namespace object is not in the input',
      input: list(deployment('web', podSpec(), 'shop')),
      errors: [{ resource: 'Namespace/shop', path: 'metadata.namespace', unknown: true, message: /not in the input/ }],
    },
  ],
});
