import { and, not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { isWindows, pools } from '../util/cluster.js';
import { verdict } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'node-access/ssh-enabled',
    title: 'SSH to Linux nodes is enabled',
    severity: 'medium',
    seed: 'SSH to nodes should be limited to internal IP addresses, and better disabled.',
    refs: {},
    remediation: {
      az: 'az aks nodepool update -g <rg> --cluster-name <cluster> -n <pool> --ssh-access disabled',
      terraform:
        'azurerm has no sshAccess attribute: set securityProfile.sshAccess = "Disabled" through azapi_resource / azapi_update_resource',
    },
  },
  check(snapshot) {
    return pools(snapshot).flatMap(({ pool }) => {
      const access = pool.settings.get('securityProfile.sshAccess');
      return verdict(
        and(not(isWindows(pool)), not(access.isOneOf('Disabled'))),
        access,
        `pool ${pool.name} accepts SSH to its nodes (securityProfile.sshAccess: ${access.isDefault ? 'not set, default LocalUser' : access.shown})`,
        [pool.settings.get('osType'), access],
      );
    });
  },
});
