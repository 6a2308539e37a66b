import { defineRule } from '../../model/rule.js';
import { containersOf, describeObject, isWindowsPod, valueAt, workloadProblem, workloads } from '../util/pods.js';

export default defineRule({
  meta: {
    id: 'workload/privilege-escalation-allowed',
    title: 'Container may gain more privileges than it started with',
    severity: 'medium',
    options: ['systemNamespaces'],
    seed: 'Pod Security restricted: a process must not gain privileges through setuid binaries or file capabilities.',
    refs: { checkov: ['CKV_K8S_20'], kubescape: ['C-0016'] },
    remediation: {
      kubectl:
        'set securityContext.allowPrivilegeEscalation: false on every container, then kubectl apply -f <manifest>',
    },
  },
  check(snapshot, { options }) {
    return workloads(snapshot).flatMap((workload) => {
      if (isWindowsPod(workload.pod)) return [];
      return containersOf(workload.pod).flatMap((container) => {
        const path = [...container.path, 'securityContext', 'allowPrivilegeEscalation'];
        const value = valueAt(workload.object.body, path);
        if (value === false) return [];
        const observed = value === undefined ? 'not set, and Kubernetes allows it by default' : JSON.stringify(value);
        return [
          workloadProblem(
            workload,
            path,
            `${describeObject(workload.object)}: container ${container.name} allows privilege escalation (allowPrivilegeEscalation: ${observed})`,
            options,
          ),
        ];
      });
    });
  },
});
