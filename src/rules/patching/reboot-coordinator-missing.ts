import { and, type Tri } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { channelIs, configured, describeChannel, nodeOsChannel } from '../util/cluster.js';
import { hasRebootCoordinator } from '../util/reboot.js';
import { verdict } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'patching/reboot-coordinator-missing',
    title: 'Patched Linux nodes are never rebooted',
    severity: 'high',
    seed: 'Linux nodes install security patches nightly but never reboot on their own: a reboot daemon must do it.',
    refs: {},
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --node-os-upgrade-channel NodeImage (or keep Unmanaged and deploy a reboot coordinator)',
      terraform: 'node_os_upgrade_channel = "NodeImage"',
      kubectl: 'aksguard deploy reboot-daemon | kubectl apply -f -',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ cluster, settings }) => {
      const channel = nodeOsChannel(cluster, settings);
      const unmanaged = channelIs(channel, 'Unmanaged');
      const missing: Tri = cluster.kubernetes ? !hasRebootCoordinator(cluster.kubernetes) : 'unknown';
      const open =
        unmanaged === 'unknown'
          ? channel.open
          : 'the input has no cluster objects to look for a running kured or aksguard reboot daemon (scan with --kubeconfig or add `kubectl get daemonsets -A -o json`)';
      return verdict(
        and(unmanaged, missing),
        channel.fact,
        `node OS channel ${describeChannel(channel)} installs patches that need a reboot, and no reboot coordinator (kured or aksguard reboot-daemon) runs in the cluster`,
        open,
      );
    });
  },
});
