import { and, not, type Tri } from '../../model/fact.js';
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
    options: ['minAuthorizedPrefix'],
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
      // A range the input does not state (a template parameter) may be 0.0.0.0/0: unknown, never a silent pass.
      const tooBroad: Tri = broad.length > 0 ? true : ranges.unresolved ? 'unknown' : false;
      const isPrivate = settings.get('apiServerAccessProfile.enablePrivateCluster');
      return verdict(
        and(not(isPrivate.isTrue()), tooBroad),
        broad.length > 0 ? within(ranges, (ranges.value as unknown[]).indexOf(broad[0])) : ranges,
        `authorized range ${broad.length > 0 && !ranges.sensitive ? broad.join(', ') : ranges.shown} is wider than /${options.minAuthorizedPrefix}: it lets most of the internet reach the API server`,
        [isPrivate, ranges],
      );
    });
  },
});
