import { defineRule } from '../../model/rule.js';
import { describeObject, workloadProblem, workloads } from '../util/pods.js';

const SHARED = {
  hostPID: "the node's processes",
  hostIPC: "the node's shared memory",
  hostNetwork: "the node's network interfaces",
} as const;

export default defineRule({
  meta: {
    id: 'workload/host-namespaces',
    title: "Pod shares the node's process, IPC or network namespace",
    severity: 'high',
    options: ['systemNamespaces'],
    seed: "Namespaces and Pod Security fence tenants off; a pod in the node's namespaces is outside the fence.",
    refs: { checkov: ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19'], kubescape: ['C-0038', 'C-0041'] },
    remediation: {
      kubectl: 'remove hostPID, hostIPC and hostNetwork from the pod spec, then kubectl apply -f <manifest>',
    },
  },
  check(snapshot, { options }) {
    return workloads(snapshot).flatMap((workload) =>
      (Object.keys(SHARED) as (keyof typeof SHARED)[])
        .filter((flag) => workload.pod.spec[flag] === true)
        .map((flag) =>
          workloadProblem(
            workload,
            [...workload.pod.path, flag],
            `${describeObject(workload.object)} sets ${flag}: true: its containers see ${SHARED[flag]}`,
            options,
          ),
        ),
    );
  },
});
