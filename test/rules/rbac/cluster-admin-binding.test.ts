import rule from '../../../src/rules/rbac/cluster-admin-binding.js';
import { account, clusterRoleBinding, group, roleBinding, user } from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

testRule(rule, {
  valid: [
    {
      name: 'the built-in binding to system:masters',
      input: clusterRoleBinding('cluster-admin', 'cluster-admin', group('system:masters')),
    },
    {
      name: 'a system component',
      input: clusterRoleBinding('ops', 'cluster-admin', user('system:kube-controller-manager')),
    },
    { name: 'a reserved binding name', input: clusterRoleBinding('system:aks-admin', 'cluster-admin', user('alice')) },
    { name: 'another role', input: clusterRoleBinding('viewers', 'view', group('devs')) },
  ],
  invalid: [
    {
      name: 'a user',
      input: clusterRoleBinding('alice-admin', 'cluster-admin', user('alice@example.com')),
      errors: [
        {
          resource: 'ClusterRoleBinding/alice-admin',
          path: 'subjects[0]',
          message: /across the cluster to User alice@example.com/,
        },
      ],
    },
    {
      name: 'names the non-system subjects only',
      input: clusterRoleBinding('mixed', 'cluster-admin', group('system:masters'), account('tiller', 'kube-system')),
      errors: [
        {
          resource: 'ClusterRoleBinding/mixed',
          path: 'subjects[1]',
          message: /to ServiceAccount kube-system\/tiller$/,
        },
      ],
    },
    {
      name: 'a RoleBinding to cluster-admin owns one namespace',
      input: roleBinding('owner', 'shop', { kind: 'ClusterRole', name: 'cluster-admin' }, group('shop-team')),
      errors: [{ resource: 'RoleBinding/shop/owner', path: 'subjects[0]', message: /in namespace shop/ }],
    },
  ],
});
