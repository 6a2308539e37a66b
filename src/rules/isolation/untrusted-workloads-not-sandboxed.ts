import { defineRule } from '../../model/rule.js';
import { describeObject, workloadProblem, workloads } from '../util/pods.js';

const TENANT = 'aksguard.io/tenant';
/** AKS Pod Sandboxing (`kata-vm-isolation`, `kata-mshv-vm-isolation` in preview) and other Kata classes: a VM per pod. */
const SANDBOX = /kata/i;

export default defineRule({
  meta: {
    id: 'isolation/untrusted-workloads-not-sandboxed',
    title: 'Untrusted tenant runs pods without a sandbox',
    severity: 'info',
    options: ['systemNamespaces'],
    seed: 'A cluster is not a security boundary for hostile tenants: they need separate clusters, or at least sandboxed pods.',
    refs: {},
    remediation: {
      az: 'az aks nodepool add -g <rg> --cluster-name <cluster> -n sandbox --os-sku AzureLinux --workload-runtime KataVmIsolation',
      kubectl:
        'set runtimeClassName: kata-vm-isolation in the pod spec (better: give the hostile tenant its own cluster)',
    },
  },
  check(snapshot, { options }) {
    const untrusted = new Set(
      snapshot.clusters.flatMap((cluster) =>
        (cluster.kubernetes?.namespaces ?? [])
          .filter((ns) => ns.labels[TENANT] === 'untrusted')
          .map((ns) => `${cluster.target.id}\u0000${ns.name}`),
      ),
    );
    if (untrusted.size === 0) return [];
    return workloads(snapshot).flatMap((workload) => {
      if (!untrusted.has(`${workload.cluster.target.id}\u0000${workload.object.namespace}`)) return [];
      const runtime = workload.pod.spec.runtimeClassName;
      if (typeof runtime === 'string' && SANDBOX.test(runtime)) return [];
      const observed = typeof runtime === 'string' ? `runtimeClassName ${runtime}` : 'the default runtime';
      return [
        workloadProblem(
          workload,
          [...workload.pod.path, 'runtimeClassName'],
          `${describeObject(workload.object)} in untrusted namespace ${workload.object.namespace} runs with ${observed}, sharing the node's kernel with other tenants; a sandbox (Kata) narrows that, but hostile tenants need separate clusters`,
          options,
        ),
      ];
    });
  },
});
