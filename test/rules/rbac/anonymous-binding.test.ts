import rule from '../../../src/rules/rbac/anonymous-binding.js';
import { clusterRoleBinding, group, roleBinding, user } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'discovery for everyone is built in',
      input: clusterRoleBinding('system:discovery', 'system:discovery', group('system:authenticated')),
    },
    {
      name: 'public info for the unauthenticated',
      input: clusterRoleBinding(
        'system:public-info-viewer',
        'system:public-info-viewer',
        group('system:unauthenticated'),
      ),
    },
    { name: 'a named group', input: clusterRoleBinding('devs', 'view', group('devs')) },
  ],
  invalid: [
    {
      name: 'anonymous users may view',
      input: clusterRoleBinding('open', 'view', user('system:anonymous')),
      errors: [
        {
          resource: 'ClusterRoleBinding/open',
          path: 'subjects[0]',
          message: /grants ClusterRole view to User system:anonymous/,
        },
      ],
    },
    {
      name: 'a reserved name does not exempt a grant to everyone',
      input: clusterRoleBinding('system:oops', 'edit', group('system:authenticated')),
      errors: [{ resource: 'ClusterRoleBinding/system:oops', path: 'subjects[0]' }],
    },
    {
      name: 'a RoleBinding to every authenticated user',
      input: roleBinding(
        'all',
        'shop',
        { kind: 'Role', name: 'deployer' },
        group('devs'),
        group('system:authenticated'),
      ),
      errors: [{ resource: 'RoleBinding/shop/all', path: 'subjects[1]' }],
    },
  ],
});
