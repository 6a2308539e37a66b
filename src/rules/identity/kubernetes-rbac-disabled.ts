import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'identity/kubernetes-rbac-disabled',
    title: 'Kubernetes RBAC is disabled',
    severity: 'critical',
    seed: 'Control access to the API server with Kubernetes role-based access control.',
    refs: { checkov: ['CKV_AZURE_5'], kubescape: ['C-0088'], psrule: ['Azure.AKS.UseRBAC'] },
    remediation: {
      az: 'RBAC cannot be turned on in place: create a new cluster (az aks create enables RBAC by default) and move workloads',
      terraform: 'role_based_access_control_enabled = true (2.x: role_based_access_control { enabled = true })',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const rbac = settings.get('enableRBAC');
      return judge(
        rbac,
        rbac.isFalse(),
        'Kubernetes RBAC is disabled (enableRBAC: false): every authenticated user can do anything',
      );
    });
  },
});
