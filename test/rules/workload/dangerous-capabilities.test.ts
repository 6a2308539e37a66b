import rule from '../../../src/rules/workload/dangerous-capabilities.js';
import { container, deployment, podSpec } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

const adding = (...add: string[]) =>
  deployment('web', podSpec({ containers: [container('app', { capabilities: { drop: ['ALL'], add } })] }));
const ADD = 'spec.template.spec.containers[0].securityContext.capabilities.add';

testRule(rule, {
  valid: [
    { name: 'nothing added', input: deployment('web', podSpec()) },
    { name: 'NET_BIND_SERVICE is in the baseline set', input: adding('NET_BIND_SERVICE') },
    { name: 'CAP_ prefix and lower case are the same capability', input: adding('cap_chown', 'CAP_KILL') },
  ],
  invalid: [
    {
      name: 'SYS_ADMIN',
      input: adding('SYS_ADMIN'),
      errors: [{ resource: 'Deployment/shop/web', path: ADD, message: /adds SYS_ADMIN,/ }],
    },
    {
      name: 'ALL and NET_ADMIN listed together',
      input: adding('CHOWN', 'ALL', 'NET_ADMIN'),
      errors: [{ resource: 'Deployment/shop/web', path: ADD, message: /adds ALL, NET_ADMIN,/ }],
    },
    {
      name: 'NET_RAW is not in the baseline set',
      input: adding('NET_RAW'),
      errors: [{ resource: 'Deployment/shop/web', path: ADD }],
    },
  ],
});
