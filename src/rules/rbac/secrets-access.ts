import { defineRule } from '../../model/rule.js';
import { describeRole, grants, judgedRoles, ruleAnchor } from '../util/rbac.js';
import { problem } from '../util/report.js';

const READ = { verbs: ['get', 'list', 'watch'], group: '', resources: ['secrets'] };

export default defineRule({
  meta: {
    id: 'rbac/secrets-access',
    title: 'Role reads Secrets in every namespace',
    severity: 'medium',
    seed: 'Least-privilege RBAC: reading every Secret means holding every tenant’s credentials.',
    refs: { kubescape: ['C-0015'] },
    remediation: {
      kubectl:
        'grant Secret access with a Role and RoleBinding in the one namespace that needs it (and name the Secrets with resourceNames)',
    },
  },
  check(snapshot) {
    return judgedRoles(snapshot).flatMap((role) => {
      // Cluster-wide means a ClusterRole granted by a ClusterRoleBinding; other grants stay inside one namespace.
      const clusterWide = role.kind === 'ClusterRole' && role.boundBy.some((b) => b.kind === 'ClusterRoleBinding');
      const rule = clusterWide ? role.rules.find((r) => grants(r, READ)) : undefined;
      if (!rule) return [];
      const verbs = rule.verbs.includes('*') ? '*' : rule.verbs.filter((v) => READ.verbs.includes(v)).join('/');
      return [
        problem(
          ruleAnchor(role, rule.index),
          `${describeRole(role)} can ${verbs} Secrets in every namespace (rules[${rule.index}])`,
        ),
      ];
    });
  },
});
