import rule from '../../../src/rules/workload/service-account-token-automount.js';
import { deployment, list, podSpec, serviceAccount } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

const AT = 'spec.template.spec.automountServiceAccountToken';
const unset = podSpec({ automountServiceAccountToken: undefined });

testRule(rule, {
  valid: [
    { name: 'pod turns it off', input: deployment('web', podSpec()) },
    {
      name: 'a dedicated ServiceAccount',
      input: deployment('web', podSpec({ automountServiceAccountToken: undefined, serviceAccountName: 'web' })),
    },
    {
      name: 'the default ServiceAccount turns it off',
      input: list(serviceAccount('default', 'shop', { automountServiceAccountToken: false }), deployment('web', unset)),
    },
  ],
  invalid: [
    {
      name: 'nothing set, default ServiceAccount not in the input',
      input: deployment('web', unset),
      errors: [{ resource: 'Deployment/shop/web', path: AT, message: /is not in the input/ }],
    },
    {
      name: 'the pod overrides its ServiceAccount (precedence)',
      input: list(
        serviceAccount('default', 'shop', { automountServiceAccountToken: false }),
        deployment('web', podSpec({ automountServiceAccountToken: true })),
      ),
      errors: [{ resource: 'Deployment/shop/web', path: AT, message: /sets automountServiceAccountToken: true/ }],
    },
    {
      name: 'serviceAccountName: default is the default account',
      input: list(
        serviceAccount('default', 'shop'),
        deployment('web', podSpec({ automountServiceAccountToken: undefined, serviceAccountName: 'default' })),
      ),
      errors: [{ resource: 'Deployment/shop/web', path: AT, message: /does not turn it off either/ }],
    },
  ],
});
