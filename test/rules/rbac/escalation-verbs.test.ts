import rule from '../../../src/rules/rbac/escalation-verbs.js';
import { clusterRole, role } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

const RBAC = 'rbac.authorization.k8s.io';

testRule(rule, {
  valid: [
    {
      name: 'editing roles without escalate or bind',
      input: clusterRole('r', { apiGroups: [RBAC], resources: ['roles'], verbs: ['get', 'create', 'update'] }),
    },
    { name: '* verbs on pods', input: role('r', 'shop', { apiGroups: [''], resources: ['pods'], verbs: ['*'] }) },
    {
      name: 'bind on roles of another group',
      input: clusterRole('r', { apiGroups: ['example.com'], resources: ['roles'], verbs: ['bind'] }),
    },
  ],
  invalid: [
    {
      name: 'escalate and bind',
      input: clusterRole('granter', { apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['bind', 'escalate'] }),
      errors: [{ resource: 'ClusterRole/granter', path: 'rules[0]', message: /can escalate\/bind clusterroles/ }],
    },
    {
      name: 'impersonate users and groups',
      input: clusterRole('sudo', { apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }),
      errors: [{ resource: 'ClusterRole/sudo', path: 'rules[0]', message: /impersonate users\/groups/ }],
    },
    {
      name: '* verbs on serviceaccounts include impersonate',
      input: role('sa-admin', 'shop', { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['*'] }),
      errors: [{ resource: 'Role/shop/sa-admin', path: 'rules[0]', message: /impersonate serviceaccounts/ }],
    },
    {
      name: 'impersonate userextras/<key>',
      input: clusterRole('extras', {
        apiGroups: ['authentication.k8s.io'],
        resources: ['userextras/scopes'],
        verbs: ['impersonate'],
      }),
      errors: [{ resource: 'ClusterRole/extras', path: 'rules[0]', message: /impersonate userextras/ }],
    },
  ],
});
