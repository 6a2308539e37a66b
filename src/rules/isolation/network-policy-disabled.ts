import { isDefaultValue, not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';

const ENGINES = ['azure', 'calico', 'cilium'];

export default defineRule({
  meta: {
    id: 'isolation/network-policy-disabled',
    title: 'No network policy engine: every pod can reach every pod',
    severity: 'high',
    seed: 'Network policies limit which pods can talk to each other; they need an engine to enforce them.',
    refs: { checkov: ['CKV_AZURE_7'], kubescape: ['C-0240', 'C-0205'], psrule: ['Azure.AKS.NetworkPolicy'] },
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --network-policy azure (or cilium / calico)',
      terraform: 'network_profile { network_policy = "azure" }',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const policy = settings.get('networkProfile.networkPolicy');
      // The Cilium dataplane enforces NetworkPolicy itself: there, only an explicit `none` turns enforcement off.
      const dataplane = settings.first('networkProfile.networkDataplane', 'networkProfile.ebpfDataplane');
      const cilium = dataplane.isOneOf('cilium');
      const fails = policy.test((v) =>
        isDefaultValue(v) ? not(cilium) : !(typeof v === 'string' && ENGINES.includes(v.toLowerCase())),
      );
      const why = policy.isDefault ? `, and the dataplane is not Cilium (networkDataplane: ${dataplane.shown})` : '';
      return judge(
        policy,
        fails,
        `no network policy engine (networkProfile.networkPolicy: ${policy.shown}${why}): NetworkPolicy objects are ignored and pods are not isolated`,
        [dataplane],
      );
    });
  },
});
