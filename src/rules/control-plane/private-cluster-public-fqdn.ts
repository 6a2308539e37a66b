import { and, not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'control-plane/private-cluster-public-fqdn',
    title: 'Private cluster publishes its API server name in public DNS',
    severity: 'low',
    seed: 'A private cluster keeps the API server off the internet; a public FQDN tells everyone where it is.',
    refs: {},
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --disable-public-fqdn',
      terraform: 'private_cluster_public_fqdn_enabled = false',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const isPrivate = settings.get('apiServerAccessProfile.enablePrivateCluster');
      const publicFqdn = settings.get('apiServerAccessProfile.enablePrivateClusterPublicFQDN');
      // AKS gives a private cluster a public FQDN unless told not to: only an explicit false passes.
      const shown = publicFqdn.isDefault ? 'not set, and AKS creates one by default' : publicFqdn.shown;
      return judge(
        publicFqdn,
        and(isPrivate.isTrue(), not(publicFqdn.isFalse())),
        `the private cluster also registers a public FQDN for its API server (enablePrivateClusterPublicFQDN: ${shown})`,
        [isPrivate],
      );
    });
  },
});
