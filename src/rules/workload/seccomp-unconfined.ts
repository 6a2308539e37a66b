import { defineRule, type Problem } from '../../model/rule.js';
import { isRecord } from '../../model/settings.js';
import {
  containersOf,
  describeObject,
  effective,
  isWindowsPod,
  valueAt,
  type Workload,
  workloadProblem,
  workloads,
} from '../util/pods.js';

export default defineRule({
  meta: {
    id: 'workload/seccomp-unconfined',
    title: 'Container runs without a seccomp profile',
    severity: 'medium',
    options: ['systemNamespaces'],
    seed: 'Pod Security restricted: a seccomp profile keeps a compromised container from the riskiest system calls.',
    refs: { checkov: ['CKV_K8S_31'], kubescape: ['C-0055'] },
    remediation: {
      kubectl:
        'set securityContext.seccompProfile.type: RuntimeDefault in the pod spec, then kubectl apply -f <manifest>',
    },
  },
  check(snapshot, { options }) {
    return workloads(snapshot).flatMap((workload) => (isWindowsPod(workload.pod) ? [] : judge(workload, options)));
  },
});

const typeOf = (profile: unknown): string | undefined =>
  isRecord(profile) && typeof profile.type === 'string' ? profile.type : undefined;

/** Containers without a profile of their own share one finding at the pod's securityContext, where the fix belongs. */
function judge(workload: Workload, options: Parameters<typeof workloadProblem>[3]): Problem[] {
  const { pod } = workload;
  const who = describeObject(workload.object);
  const problems: Problem[] = [];
  const byPod: string[] = [];
  for (const container of containersOf(pod)) {
    const profile = effective(pod, container, 'seccompProfile');
    const type = typeOf(profile.value);
    if (type !== undefined && type !== 'Unconfined') continue;
    if (profile.from === 'container') {
      problems.push(
        workloadProblem(
          workload,
          profile.path,
          `${who}: container ${container.name} sets seccompProfile Unconfined`,
          options,
        ),
      );
    } else byPod.push(container.name);
  }
  if (byPod.length > 0) {
    const podType = typeOf(valueAt(pod.spec, ['securityContext', 'seccompProfile']));
    const observed = podType === 'Unconfined' ? 'the pod sets seccompProfile Unconfined' : 'no seccomp profile is set';
    problems.push(
      workloadProblem(
        workload,
        [...pod.path, 'securityContext', 'seccompProfile'],
        `${who}: ${observed} for container${byPod.length > 1 ? 's' : ''} ${byPod.join(', ')}`,
        options,
      ),
    );
  }
  return problems;
}
