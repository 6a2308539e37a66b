import { defineRule } from '../../model/rule.js';
import { describeObject, workloadProblem, workloads } from '../util/pods.js';

export default defineRule({
  meta: {
    id: 'workload/service-account-token-automount',
    title: "Pod mounts the default ServiceAccount's API token",
    severity: 'low',
    options: ['systemNamespaces'],
    seed: 'Least-privilege RBAC: a pod that never calls the API server should not carry a token for it.',
    refs: { checkov: ['CKV_K8S_38'], kubescape: ['C-0034'] },
    remediation: {
      kubectl:
        "set automountServiceAccountToken: false in the pod spec (or on the namespace's default ServiceAccount: kubectl patch serviceaccount default -n <namespace> -p '{\"automountServiceAccountToken\": false}')",
    },
  },
  check(snapshot, { options }) {
    return workloads(snapshot).flatMap((workload) => {
      const { spec, path } = workload.pod;
      const account = spec.serviceAccountName || spec.serviceAccount || 'default';
      if (account !== 'default' || spec.automountServiceAccountToken === false) return [];
      const who = describeObject(workload.object);
      const at = [...path, 'automountServiceAccountToken'];
      if (spec.automountServiceAccountToken === true) {
        return [
          workloadProblem(
            workload,
            at,
            `${who} sets automountServiceAccountToken: true with the default ServiceAccount`,
            options,
          ),
        ];
      }
      const serviceAccount = workload.cluster.kubernetes?.serviceAccounts.find(
        (sa) => sa.name === 'default' && sa.namespace === workload.object.namespace,
      );
      if (serviceAccount?.body.automountServiceAccountToken === false) return [];
      const why = serviceAccount
        ? `the default ServiceAccount of ${workload.object.namespace} does not turn it off either`
        : `the default ServiceAccount of ${workload.object.namespace} is not in the input, and mounts its token unless told otherwise`;
      return [
        workloadProblem(
          workload,
          at,
          `${who} runs as the default ServiceAccount with its API token mounted (automountServiceAccountToken not set; ${why})`,
          options,
        ),
      ];
    });
  },
});
