import { defineRule } from '../../model/rule.js';
import type { Pool } from '../../model/snapshot.js';
import { isSystemPool } from '../util/cluster.js';
import { problem } from '../util/report.js';

const CRITICAL_ADDONS_ONLY = 'criticaladdonsonly=true:noschedule';

export default defineRule({
  meta: {
    id: 'node-access/system-pool-not-isolated',
    title: 'Application pods can run on system nodes',
    severity: 'low',
    seed: 'Keep tenant workloads off the nodes that run cluster-critical add-ons.',
    refs: { checkov: ['CKV_AZURE_232'] },
    remediation: {
      az: 'az aks nodepool update -g <rg> --cluster-name <cluster> -n <pool> --node-taints CriticalAddonsOnly=true:NoSchedule',
      terraform: 'default_node_pool { only_critical_addons_enabled = true }',
    },
  },
  check(snapshot) {
    return snapshot.clusters.flatMap((cluster) => {
      const system = cluster.pools.filter((p) => isSystemPool(cluster, p));
      const user = cluster.pools.filter((p) => !isSystemPool(cluster, p));
      const first = system[0];
      if (!first || user.length === 0 || system.some(isTainted)) return [];
      const taints = first.settings.get('nodeTaints');
      return [
        problem(
          taints,
          `no System pool carries the CriticalAddonsOnly=true:NoSchedule taint while user pools (${user.map((p) => p.name).join(', ')}) exist: application pods can land next to CoreDNS and other system pods on ${system.map((p) => p.name).join(', ')}`,
        ),
      ];
    });
  },
});

function isTainted(pool: Pool): boolean {
  const taints = pool.settings.get('nodeTaints').value;
  return (
    Array.isArray(taints) &&
    taints.some((t) => typeof t === 'string' && t.replaceAll(' ', '').toLowerCase() === CRITICAL_ADDONS_ONLY)
  );
}
