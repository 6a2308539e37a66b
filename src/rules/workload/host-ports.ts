import { defineRule } from '../../model/rule.js';
import { isRecord } from '../../model/settings.js';
import { containersOf, describeObject, workloadProblem, workloads } from '../util/pods.js';

export default defineRule({
  meta: {
    id: 'workload/host-ports',
    title: "Container listens on a port of the node's address",
    severity: 'medium',
    options: ['systemNamespaces'],
    seed: 'Nodes sit in a private subnet; a hostPort opens a pod on the node address itself, past network policy.',
    refs: { checkov: ['CKV_K8S_26'], kubescape: ['C-0044'] },
    remediation: {
      kubectl:
        'remove hostPort from the container ports and expose the pod through a Service, then kubectl apply -f <manifest>',
    },
  },
  check(snapshot, { options }) {
    return workloads(snapshot).flatMap((workload) =>
      containersOf(workload.pod).flatMap((container) => {
        const ports = container.body.ports;
        if (!Array.isArray(ports)) return [];
        return ports.flatMap((port, i) =>
          isRecord(port) && typeof port.hostPort === 'number' && port.hostPort !== 0
            ? [
                workloadProblem(
                  workload,
                  [...container.path, 'ports', i, 'hostPort'],
                  `${describeObject(workload.object)}: container ${container.name} binds hostPort ${port.hostPort} on its node`,
                  options,
                ),
              ]
            : [],
        );
      }),
    );
  },
});
