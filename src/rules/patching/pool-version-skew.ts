import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { problem } from '../util/report.js';
import { parseMinor } from '../util/versions.js';

export default defineRule({
  meta: {
    id: 'patching/pool-version-skew',
    title: 'Node pool runs an older Kubernetes minor than the control plane',
    severity: 'low',
    seed: 'Nodes left behind on an old minor miss the kubelet fixes their control plane already has.',
    refs: { psrule: ['Azure.AKS.PoolVersion'] },
    remediation: {
      az: 'az aks nodepool upgrade -g <rg> --cluster-name <cluster> -n <pool> --kubernetes-version <cluster-version>',
      terraform: 'orchestrator_version = "<cluster-version>" on the pool',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ cluster, settings }) => {
      const clusterVersion = settings.get('kubernetesVersion');
      const control = clusterVersion.text ? parseMinor(clusterVersion.text) : undefined;
      if (!control) return [];
      return cluster.pools.flatMap((pool) => {
        const version = pool.settings.get('orchestratorVersion');
        const minor = version.text ? parseMinor(version.text) : undefined;
        if (!minor || (minor.major === control.major && minor.minor === control.minor)) return [];
        return [
          problem(
            version,
            `pool ${pool.name} runs Kubernetes ${version.text} while the control plane runs ${clusterVersion.text}`,
          ),
        ];
      });
    });
  },
});
