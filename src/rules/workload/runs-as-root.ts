import { defineRule, type Problem } from '../../model/rule.js';
import { containersOf, describeObject, effective, type Workload, workloadProblem, workloads } from '../util/pods.js';

export default defineRule({
  meta: {
    id: 'workload/runs-as-root',
    title: 'Container may run as root',
    severity: 'medium',
    options: ['systemNamespaces'],
    seed: 'Pod Security restricted: containers must run as non-root users, so a breakout starts without root.',
    refs: { checkov: ['CKV_K8S_23'], kubescape: ['C-0013'] },
    remediation: {
      kubectl:
        'set securityContext.runAsNonRoot: true (and a non-zero runAsUser) in the pod spec, then kubectl apply -f <manifest>',
    },
  },
  check(snapshot, { options }) {
    return workloads(snapshot).flatMap((workload) => judge(workload, options));
  },
});

/**
 * A container's own setting beats the pod's (Kubernetes precedence). Containers that fail through the pod-level
 * setting, or through none, share one finding at the pod's securityContext, where the fix belongs.
 */
function judge(workload: Workload, options: Parameters<typeof workloadProblem>[3]): Problem[] {
  const { pod } = workload;
  const who = describeObject(workload.object);
  const problems: Problem[] = [];
  const rootByPod: string[] = [];
  const notNonRootByPod: string[] = [];
  for (const container of containersOf(pod)) {
    const user = effective(pod, container, 'runAsUser');
    const nonRoot = effective(pod, container, 'runAsNonRoot');
    if (user.value === 0) {
      if (user.from === 'container') {
        problems.push(
          workloadProblem(workload, user.path, `${who}: container ${container.name} runs as UID 0 (root)`, options),
        );
      } else rootByPod.push(container.name);
    } else if (nonRoot.value !== true) {
      if (nonRoot.from === 'container') {
        problems.push(
          workloadProblem(
            workload,
            nonRoot.path,
            `${who}: container ${container.name} sets runAsNonRoot: false`,
            options,
          ),
        );
      } else notNonRootByPod.push(container.name);
    }
  }
  const podContext = [...pod.path, 'securityContext'];
  if (rootByPod.length > 0) {
    problems.push(
      workloadProblem(
        workload,
        [...podContext, 'runAsUser'],
        `${who} runs ${list(rootByPod)} as UID 0 (root)`,
        options,
      ),
    );
  }
  if (notNonRootByPod.length > 0) {
    problems.push(
      workloadProblem(
        workload,
        [...podContext, 'runAsNonRoot'],
        `${who}: neither the pod nor ${list(notNonRootByPod)} set runAsNonRoot: true, so the image decides (and many images run as root)`,
        options,
      ),
    );
  }
  return problems;
}

const list = (names: readonly string[]) => `container${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
