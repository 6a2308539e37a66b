import { defineRule } from '../../model/rule.js';
import { namespaces } from '../util/namespaces.js';
import { problem } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'isolation/namespace-without-network-policy',
    title: 'Namespace with pods has no network policy',
    severity: 'medium',
    options: ['systemNamespaces'],
    seed: 'Network policy fences tenants off; without one, every pod can reach every other pod in the cluster.',
    refs: { kubescape: ['C-0260'] },
    remediation: {
      kubectl:
        'kubectl apply -n <namespace> -f - <<< \'{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"default-deny"},"spec":{"podSelector":{},"policyTypes":["Ingress","Egress"]}}\' (then allow what the apps need)',
    },
  },
  check(snapshot, { options }) {
    return namespaces(snapshot, options)
      .filter((ns) => ns.hasWorkloads && !ns.hasNetworkPolicy)
      .map((ns) =>
        problem(
          ns.anchor,
          `namespace ${ns.name} runs pods but has no NetworkPolicy or CiliumNetworkPolicy: any pod in the cluster can reach them, and they can reach anything`,
        ),
      );
  },
});
