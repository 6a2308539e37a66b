import rule from '../../../src/rules/rbac/wildcard-permissions.js';
import { clusterRole, clusterRoleBinding, group, list, role, user } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'named verbs and resources',
      input: clusterRole('reader', { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }),
    },
    {
      name: 'reserved system: roles are exempt',
      input: clusterRole('system:controller:foo', { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }),
    },
    {
      name: 'cluster-admin bound only to system:masters does not count as bound',
      input: list(
        clusterRole('cluster-admin', { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }),
        clusterRoleBinding('cluster-admin', 'cluster-admin', group('system:masters')),
      ),
    },
    {
      name: 'a * apiGroup alone is no wildcard verb or resource',
      input: role('r', 'shop', { apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }),
    },
  ],
  invalid: [
    {
      name: 'unbound role with * verbs',
      input: role(
        'deployer',
        'shop',
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] },
      ),
      errors: [
        {
          resource: 'Role/shop/deployer',
          path: 'rules[1]',
          message: /not bound by any binding.*every verb \(rules\[1\]\)/,
        },
      ],
    },
    {
      name: 'bound ClusterRole with * resources names its binding',
      input: list(
        clusterRole('ops', { apiGroups: [''], resources: ['*'], verbs: ['get'] }),
        clusterRoleBinding('ops-binding', 'ops', group('ops-team')),
      ),
      errors: [
        {
          resource: 'ClusterRole/ops',
          path: 'rules[0]',
          message: /bound by ClusterRoleBinding ops-binding to Group ops-team.*every resource/,
        },
      ],
    },
    {
      name: 'the built-in cluster-admin is judged when a binding refers to it',
      input: clusterRoleBinding('admins', 'cluster-admin', user('alice@example.com')),
      errors: [
        { resource: 'ClusterRole/cluster-admin', path: 'roleRef.name', message: /every verb on every resource/ },
      ],
    },
  ],
});
