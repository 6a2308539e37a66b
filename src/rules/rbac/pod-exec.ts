import { defineRule } from '../../model/rule.js';
import { describeRole, grants, judgedRoles, ruleAnchor } from '../util/rbac.js';
import { problem } from '../util/report.js';

const EXEC = { verbs: ['create'], group: '', resources: ['pods/exec', 'pods/attach'] };

export default defineRule({
  meta: {
    id: 'rbac/pod-exec',
    title: 'Role may open a shell in running pods',
    severity: 'medium',
    seed: 'Least-privilege RBAC: exec into a pod hands over its service account, its Secrets and its network position.',
    refs: { kubescape: ['C-0002'] },
    remediation: {
      kubectl:
        'remove create on pods/exec and pods/attach from the role, or keep it in a break-glass role bound only when needed',
    },
  },
  check(snapshot) {
    return judgedRoles(snapshot).flatMap((role) => {
      const rule = role.rules.find((r) => grants(r, EXEC));
      if (!rule) return [];
      const where = role.kind === 'Role' ? `in namespace ${role.namespace}` : 'wherever it is bound';
      return [
        problem(
          ruleAnchor(role, rule.index),
          `${describeRole(role)} can exec into or attach to pods ${where} (rules[${rule.index}])`,
        ),
      ];
    });
  },
});
