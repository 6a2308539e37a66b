import { defineRule } from '../../model/rule.js';
import { describeRole, judgedRoles, ruleAnchor } from '../util/rbac.js';
import { problem } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'rbac/wildcard-permissions',
    title: 'Role grants every verb or every resource',
    severity: 'high',
    seed: 'Least-privilege RBAC keeps a stolen token small; a `*` grants today’s and tomorrow’s resources alike.',
    refs: { checkov: ['CKV_K8S_49'], kubescape: ['C-0187'] },
    remediation: {
      kubectl:
        'list the verbs and resources the subject needs in the role’s rules instead of "*", then kubectl apply -f <manifest>',
    },
  },
  check(snapshot) {
    return judgedRoles(snapshot).flatMap((role) => {
      const rule = role.rules.find((r) => r.verbs.includes('*') || r.resources.includes('*'));
      if (!rule) return [];
      const what = [rule.verbs.includes('*') && 'every verb', rule.resources.includes('*') && 'every resource']
        .filter(Boolean)
        .join(' on ');
      return [problem(ruleAnchor(role, rule.index), `${describeRole(role)} grants ${what} (rules[${rule.index}])`)];
    });
  },
});
