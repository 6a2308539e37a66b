import { and, type Tri } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { channelIs, configured, describeChannel, nodeOsChannel } from '../util/cluster.js';
import { verdict } from '../util/report.js';

const NODE_OS_SCHEDULE = 'aksmanagednodeosupgradeschedule';

export default defineRule({
  meta: {
    id: 'patching/maintenance-window-missing',
    title: 'Node OS upgrades have no maintenance window',
    severity: 'low',
    seed: 'Node patches reboot or replace nodes; a maintenance window decides when that may happen.',
    refs: { psrule: ['Azure.AKS.MaintenanceWindow'] },
    remediation: {
      az: 'az aks maintenanceconfiguration add -g <rg> --cluster-name <cluster> -n aksManagedNodeOSUpgradeSchedule --schedule-type Weekly --day-of-week Sunday --interval-weeks 1 --start-time 01:00 --duration 4 --utc-offset +00:00',
      terraform:
        'maintenance_window_node_os { frequency = "Weekly" interval = 1 day_of_week = "Sunday" start_time = "01:00" duration = 4 utc_offset = "+00:00" }',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ cluster, settings }) => {
      const channel = nodeOsChannel(cluster, settings);
      const configs = cluster.maintenanceConfigurations;
      const missing: Tri =
        configs === undefined ? 'unknown' : !configs.some((c) => c.name.toLowerCase() === NODE_OS_SCHEDULE);
      const open =
        configs === undefined
          ? 'maintenance configurations are not part of the input (add `az aks maintenanceconfiguration list` output next to the cluster file)'
          : channel.open;
      return verdict(
        and(channelIs(channel, 'NodeImage', 'SecurityPatch'), missing),
        settings,
        `node OS channel ${describeChannel(channel)} upgrades nodes at any time: there is no aksManagedNodeOSUpgradeSchedule maintenance configuration`,
        open,
      );
    });
  },
});
