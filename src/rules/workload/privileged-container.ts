import { defineRule } from '../../model/rule.js';
import { containersOf, describeObject, valueAt, workloadProblem, workloads } from '../util/pods.js';

export default defineRule({
  meta: {
    id: 'workload/privileged-container',
    title: 'Container runs privileged',
    severity: 'critical',
    options: ['systemNamespaces'],
    seed: 'Pod Security reduces the blast radius of a compromised workload; a privileged container has none.',
    refs: { checkov: ['CKV_K8S_16'], kubescape: ['C-0057'] },
    remediation: {
      kubectl:
        'remove securityContext.privileged (or set it to false) from the container, then kubectl apply -f <manifest>',
    },
  },
  check(snapshot, { options }) {
    return workloads(snapshot).flatMap((workload) =>
      containersOf(workload.pod)
        .filter((container) => valueAt(container.body, ['securityContext', 'privileged']) === true)
        .map((container) =>
          workloadProblem(
            workload,
            [...container.path, 'securityContext', 'privileged'],
            `${describeObject(workload.object)}: container ${container.name} runs privileged (securityContext.privileged: true): it holds every capability and the node's devices`,
            options,
          ),
        ),
    );
  },
});
