import { and, not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { authorizedRanges, isEmptyRangeList } from '../util/ranges.js';
import { verdict } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'control-plane/api-server-unrestricted',
    title: 'API server reachable from any IP address',
    severity: 'high',
    seed: 'The API server is public by default: restrict it with authorized IP ranges or make the cluster private.',
    refs: { checkov: ['CKV_AZURE_6', 'CKV_AZURE_115'], kubescape: ['C-0247'], psrule: ['Azure.AKS.AuthorizedIPs'] },
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --api-server-authorized-ip-ranges <your-cidr>',
      terraform:
        'api_server_access_profile { authorized_ip_ranges = ["<your-cidr>"] } (3.x: api_server_authorized_ip_ranges)',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const isPrivate = settings.get('apiServerAccessProfile.enablePrivateCluster');
      const ranges = authorizedRanges(settings);
      return verdict(
        and(not(isPrivate.isTrue()), ranges.test(isEmptyRangeList)),
        ranges,
        `the API server is public and authorizedIPRanges is ${ranges.isDefault ? 'not set' : `empty (${ranges.shown})`}: anyone on the internet can reach it`,
        [isPrivate, ranges],
      );
    });
  },
});
