import { not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { isTooBroad, parseRange } from '../util/network.js';
import { authorizedRanges, rangeEntries } from '../util/ranges.js';
import { verdict, within } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'control-plane/authorized-ranges-too-broad',
    title: 'Authorized IP ranges open the API server to the internet',
    severity: 'high',
    seed: 'Restrict API server access to the address ranges that need it.',
    refs: { checkov: [], psrule: ['Azure.AKS.AuthorizedIPs'] },
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --api-server-authorized-ip-ranges <narrow-cidr>[,<narrow-cidr>…]',
      terraform: 'api_server_access_profile { authorized_ip_ranges = ["<narrow-cidr>"] }',
    },
  },
  check(snapshot, { options }) {
    return configured(snapshot).flatMap(({ settings }) => {
      const ranges = authorizedRanges(settings);
      const broad = rangeEntries(ranges.value).filter(
        (r): r is string => typeof r === 'string' && isTooBroad(parseRange(r), options.minAuthorizedPrefix),
      );
      if (broad.length === 0) return [];
      const isPrivate = settings.get('apiServerAccessProfile.enablePrivateCluster');
      return verdict(
        not(isPrivate.isTrue()),
        within(ranges, (ranges.value as unknown[]).indexOf(broad[0])),
        `authorized range ${broad.join(', ')} is wider than /${options.minAuthorizedPrefix}: it lets most of the internet reach the API server`,
        [isPrivate],
      );
    });
  },
});
