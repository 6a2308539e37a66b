import type { Fact, Tri } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { verdict } from '../util/report.js';
import { compareMinor, parseMinor } from '../util/versions.js';

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
      return cluster.pools.flatMap((pool) => {
        const version = pool.settings.get('orchestratorVersion');
        return verdict(
          differentMinors(clusterVersion, version),
          version,
          `pool ${pool.name} runs Kubernetes ${version.display} while the control plane runs ${clusterVersion.display}`,
          // A finding about a pool names the pool, also when it is the cluster's version that is unknown.
          clusterVersion.unresolved
            ? `the control plane's kubernetesVersion is ${clusterVersion.shown} (${clusterVersion.unresolved.reason})`
            : [version],
        );
      });
    });
  },
});

/**
 * Whether two versions name different minors. An unset version has nothing to differ by (a pool without one runs
 * the control plane's); a version the input does not state may differ.
 */
function differentMinors(control: Fact, pool: Fact): Tri {
  if (control.isDefault || pool.isDefault) return false;
  if (control.unresolved || pool.unresolved) return 'unknown';
  const a = control.text ? parseMinor(control.text) : undefined;
  const b = pool.text ? parseMinor(pool.text) : undefined;
  return a !== undefined && b !== undefined && compareMinor(a, b) !== 0;
}
