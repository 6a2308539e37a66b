import { defineRule } from '../../model/rule.js';
import { containersOf, describeObject, valueAt, workloadProblem, workloads } from '../util/pods.js';

/** What the Pod Security Standards' baseline level lets a container add; anything else is beyond it. */
const BASELINE = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** `cap_sys_admin` and `SYS_ADMIN` are the same capability. */
const normalize = (capability: string): string => capability.toUpperCase().replace(/^CAP_/, '');

export default defineRule({
  meta: {
    id: 'workload/dangerous-capabilities',
    title: 'Container adds Linux capabilities beyond the baseline set',
    severity: 'high',
    options: ['systemNamespaces'],
    seed: 'Pod Security reduces the blast radius of a compromised workload; SYS_ADMIN, NET_ADMIN or ALL undo it.',
    refs: { checkov: ['CKV_K8S_25', 'CKV_K8S_39'], kubescape: ['C-0046'] },
    remediation: {
      kubectl:
        'drop the extra entries from securityContext.capabilities.add (keep drop: ["ALL"]), then kubectl apply -f <manifest>',
    },
  },
  check(snapshot, { options }) {
    return workloads(snapshot).flatMap((workload) =>
      containersOf(workload.pod).flatMap((container) => {
        const added = valueAt(container.body, ['securityContext', 'capabilities', 'add']);
        if (!Array.isArray(added)) return [];
        const beyond = added.filter((c): c is string => typeof c === 'string' && !BASELINE.has(normalize(c)));
        if (beyond.length === 0) return [];
        return [
          workloadProblem(
            workload,
            [...container.path, 'securityContext', 'capabilities', 'add'],
            `${describeObject(workload.object)}: container ${container.name} adds ${beyond.join(', ')}, beyond the Pod Security baseline set`,
            options,
          ),
        ];
      }),
    );
  },
});
