import { defineRule } from '../../model/rule.js';
import { isRecord } from '../../model/settings.js';
import { describeObject, workloadProblem, workloads } from '../util/pods.js';

/** Sockets that hand whoever mounts them the container runtime, and with it every container on the node. */
const RUNTIME_SOCKETS = [/docker\.sock/, /containerd\.sock/, /crio\.sock/, /^\/(var\/)?run(\/containerd)?\/?$/, /^\/$/];

export default defineRule({
  meta: {
    id: 'workload/host-path-volume',
    title: "Pod mounts a path of the node's file system",
    severity: 'high',
    options: ['systemNamespaces'],
    seed: "Pod Security reduces a compromised workload's blast radius; a hostPath volume reaches into the node.",
    refs: { checkov: ['CKV_K8S_27'], kubescape: ['C-0048'] },
    remediation: {
      kubectl:
        'replace the hostPath volume with emptyDir, a ConfigMap, or a PersistentVolumeClaim, then kubectl apply -f <manifest>',
    },
  },
  check(snapshot, { options }) {
    return workloads(snapshot).flatMap((workload) => {
      const volumes = workload.pod.spec.volumes;
      if (!Array.isArray(volumes)) return [];
      return volumes.flatMap((volume, i) => {
        if (!isRecord(volume) || !isRecord(volume.hostPath)) return [];
        const path = String(volume.hostPath.path ?? '');
        const runtime = RUNTIME_SOCKETS.some((pattern) => pattern.test(path));
        return [
          workloadProblem(
            workload,
            [...workload.pod.path, 'volumes', i, 'hostPath'],
            `${describeObject(workload.object)} mounts the node's ${path || '(no path)'} (volume ${String(volume.name)})${
              runtime ? ': that exposes the container runtime socket, which controls every container on the node' : ''
            }`,
            options,
          ),
        ];
      });
    });
  },
});
