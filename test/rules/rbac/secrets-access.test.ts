import rule from '../../../src/rules/rbac/secrets-access.js';
import {
  account,
  clusterRole,
  clusterRoleBinding,
  list,
  role,
  roleBinding,
  user,
} from '../../support/kube-fixtures.js';
import { testRule } from '../../support/rule-tester.js';

const readSecrets = { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] };

testRule(rule, {
  valid: [
    {
      name: 'a namespaced Role is not cluster-wide',
      input: list(role('s', 'shop', readSecrets), roleBinding('s', 'shop', { kind: 'Role', name: 's' }, user('bob'))),
    },
    {
      name: 'a ClusterRole granted by a RoleBinding stays in one namespace',
      input: list(
        clusterRole('secret-reader', readSecrets),
        roleBinding('s', 'shop', { kind: 'ClusterRole', name: 'secret-reader' }, user('bob')),
      ),
    },
    { name: 'an unbound ClusterRole grants nothing yet', input: clusterRole('secret-reader', readSecrets) },
    {
      name: 'create alone does not read',
      input: list(
        clusterRole('writer', { apiGroups: [''], resources: ['secrets'], verbs: ['create'] }),
        clusterRoleBinding('w', 'writer', user('bob')),
      ),
    },
    {
      name: 'secrets of another API group are not Secrets',
      input: list(
        clusterRole('x', { apiGroups: ['example.com'], resources: ['secrets'], verbs: ['get'] }),
        clusterRoleBinding('x', 'x', user('bob')),
      ),
    },
  ],
  invalid: [
    {
      name: 'ClusterRole bound by a ClusterRoleBinding',
      input: list(
        clusterRole('secret-reader', readSecrets),
        clusterRoleBinding('readers', 'secret-reader', account('ci', 'build')),
      ),
      errors: [
        {
          resource: 'ClusterRole/secret-reader',
          path: 'rules[0]',
          message: /ServiceAccount build\/ci.*get\/list Secrets in every namespace/,
        },
      ],
    },
    {
      name: 'a wildcard grants secrets too',
      input: list(
        clusterRole('all', { apiGroups: ['*'], resources: ['*'], verbs: ['watch'] }),
        clusterRoleBinding('all', 'all', user('bob')),
      ),
      errors: [{ resource: 'ClusterRole/all', path: 'rules[0]' }],
    },
  ],
});
