import { defineRule } from '../../model/rule.js';
import { describeRole, grants, judgedRoles, type PolicyRule, ruleAnchor } from '../util/rbac.js';
import { problem } from '../util/report.js';

/** Verbs that lift a subject above its own grants, and the resources where they do. */
const ESCALATIONS = [
  { verbs: ['escalate', 'bind'], group: 'rbac.authorization.k8s.io', resources: ['roles', 'clusterroles'] },
  { verbs: ['impersonate'], group: '', resources: ['users', 'groups', 'serviceaccounts'] },
  { verbs: ['impersonate'], group: 'authentication.k8s.io', resources: ['userextras', 'uids'] },
];

export default defineRule({
  meta: {
    id: 'rbac/escalation-verbs',
    title: 'Role may escalate, bind or impersonate',
    severity: 'high',
    seed: 'Least-privilege RBAC only holds while no one can grant themselves more: escalate, bind and impersonate can.',
    refs: {},
    remediation: {
      kubectl:
        'remove escalate, bind and impersonate from the role (and "*" verbs on roles, users, groups, serviceaccounts)',
    },
  },
  check(snapshot) {
    return judgedRoles(snapshot).flatMap((role) => {
      const found = role.rules.flatMap((rule) => escalations(rule).map((verbs) => ({ rule, verbs })));
      const first = found[0];
      if (!first) return [];
      const what = [...new Set(found.flatMap((f) => f.verbs))].join(', ');
      return [
        problem(ruleAnchor(role, first.rule.index), `${describeRole(role)} can ${what} (rules[${first.rule.index}])`),
      ];
    });
  },
});

/** Which escalations one rule grants, as `verb resources` phrases. */
function escalations(rule: PolicyRule): string[] {
  return ESCALATIONS.filter((e) => grants(rule, e)).map((e) => {
    const verbs = rule.verbs.includes('*') ? e.verbs : e.verbs.filter((v) => rule.verbs.includes(v));
    return `${verbs.join('/')} ${e.resources.filter((r) => grants(rule, { ...e, resources: [r] })).join('/')}`;
  });
}
