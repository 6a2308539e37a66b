import { not, or, type Tri } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import type { Pool } from '../../model/snapshot.js';
import { Unresolved } from '../../model/unresolved.js';
import { isSystemPool } from '../util/cluster.js';
import { verdict } from '../util/report.js';

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
      // RULES.md: only pools known to exist count (not one whose Terraform count/for_each is unknown).
      const user = cluster.pools.filter((p) => !isSystemPool(cluster, p) && !p.unknownExistence);
      const first = system[0];
      if (!first || user.length === 0) return [];
      return verdict(
        not(or(...system.map(isTainted))),
        first.settings.get('nodeTaints'),
        `no System pool carries the CriticalAddonsOnly=true:NoSchedule taint while user pools (${user.map((p) => p.name).join(', ')}) exist: application pods can land next to CoreDNS and other system pods on ${system.map((p) => p.name).join(', ')}`,
        system.map((p) => p.settings.get('nodeTaints')),
      );
    });
  },
});

/** Whether the pool carries the taint; unknown when taints the input does not state could be it. */
function isTainted(pool: Pool): Tri {
  const tainted = pool.settings.get('nodeTaints').test((taints) => {
    if (!Array.isArray(taints)) return false;
    const normalised = (t: string) => t.replaceAll(' ', '').toLowerCase();
    if (taints.some((t) => typeof t === 'string' && normalised(t) === CRITICAL_ADDONS_ONLY)) return true;
    return taints.some((t) => t instanceof Unresolved) ? 'unknown' : false;
  });
  // A tainted pool that may not exist isolates nothing for sure.
  return tainted === true && pool.unknownExistence ? 'unknown' : tainted;
}
