import { defineRule } from '../../model/rule.js';
import { bindings, describeSubjects, roleRefOf, subjectsOf } from '../util/rbac.js';
import { problem, within } from '../util/report.js';

const EVERYONE = new Set(['system:anonymous', 'system:unauthenticated', 'system:authenticated']);
/** Kubernetes grants these to everyone on purpose: API discovery and "who am I". */
const DISCOVERY_ROLES = new Set(['system:discovery', 'system:basic-user', 'system:public-info-viewer']);

export default defineRule({
  meta: {
    id: 'rbac/anonymous-binding',
    title: 'Binding grants a role to anonymous or every authenticated user',
    severity: 'critical',
    seed: 'Kubernetes RBAC and Entra ID decide who reaches the API server; a grant to everyone bypasses both.',
    refs: {},
    remediation: {
      kubectl: 'remove system:anonymous, system:unauthenticated and system:authenticated from the binding’s subjects',
    },
  },
  check(snapshot) {
    return bindings(snapshot).flatMap(({ binding }) => {
      const ref = roleRefOf(binding);
      if (ref?.kind === 'ClusterRole' && DISCOVERY_ROLES.has(ref.name)) return [];
      const everyone = subjectsOf(binding).filter((s) => EVERYONE.has(s.name));
      const first = everyone[0];
      if (!first) return [];
      const role = ref ? `${ref.kind} ${ref.name}` : 'its role';
      return [
        problem(
          within(binding.anchor, 'subjects', first.index),
          `${binding.kind} ${binding.namespace && binding.kind === 'RoleBinding' ? `${binding.namespace}/` : ''}${binding.name} grants ${role} to ${describeSubjects(everyone)}`,
        ),
      ];
    });
  },
});
