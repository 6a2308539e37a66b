import { defineRule } from '../../model/rule.js';
import { bindings, describeSubjects, isExemptBinding, isReserved, roleRefOf, subjectsOf } from '../util/rbac.js';
import { problem, within } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'rbac/cluster-admin-binding',
    title: 'Binding grants cluster-admin',
    severity: 'high',
    seed: 'Least-privilege RBAC: cluster-admin can do anything, including erase every other control.',
    refs: { kubescape: ['C-0035'] },
    remediation: {
      kubectl: 'kubectl delete clusterrolebinding <binding> and grant a narrower role (e.g. admin in one namespace)',
      az: 'use Entra ID groups with Azure RBAC roles (az role assignment create --role "Azure Kubernetes Service RBAC Reader" …) instead of cluster-admin',
    },
  },
  check(snapshot) {
    return bindings(snapshot).flatMap(({ binding }) => {
      const ref = roleRefOf(binding);
      if (ref?.kind !== 'ClusterRole' || ref.name !== 'cluster-admin' || isExemptBinding(binding)) return [];
      // Names under `system:` belong to Kubernetes' own components (system:masters, system:kube-controller-manager…).
      const granted = subjectsOf(binding).filter((s) => !isReserved(s.name));
      const first = granted[0];
      if (!first) return [];
      const scope = binding.kind === 'RoleBinding' ? ` in namespace ${binding.namespace}` : ' across the cluster';
      return [
        problem(
          within(binding.anchor, 'subjects', first.index),
          `${binding.kind} ${binding.namespace && binding.kind === 'RoleBinding' ? `${binding.namespace}/` : ''}${binding.name} grants cluster-admin${scope} to ${describeSubjects(granted)}`,
        ),
      ];
    });
  },
});
