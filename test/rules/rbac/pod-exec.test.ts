import rule from '../../../src/rules/rbac/pod-exec.js';
import { clusterRole, role } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'reading pods',
      input: role('r', 'shop', { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }),
    },
    {
      name: 'get on pods/exec is not create',
      input: role('r', 'shop', { apiGroups: [''], resources: ['pods/exec'], verbs: ['get'] }),
    },
    {
      name: 'pods/* is no wildcard',
      input: role('r', 'shop', { apiGroups: [''], resources: ['pods/*'], verbs: ['create'] }),
    },
  ],
  invalid: [
    {
      name: 'create pods/exec in a Role',
      input: role('debug', 'shop', { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }),
      errors: [{ resource: 'Role/shop/debug', path: 'rules[0]', message: /in namespace shop/ }],
    },
    {
      name: '*/attach matches pods/attach',
      input: clusterRole('attacher', { apiGroups: [''], resources: ['*/attach'], verbs: ['create'] }),
      errors: [{ resource: 'ClusterRole/attacher', path: 'rules[0]' }],
    },
    {
      name: '* verbs on * resources',
      input: clusterRole('god', { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }),
      errors: [{ resource: 'ClusterRole/god', path: 'rules[0]' }],
    },
  ],
});
