import { and, Fact, not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { channelIs, configured, describeChannel, isWindows, nodeOsChannel } from '../util/cluster.js';
import { verdict } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'patching/windows-pool-not-auto-patched',
    title: 'Windows pool is not patched automatically',
    severity: 'high',
    seed: 'Windows nodes never run Windows Update: only new node images patch them, so the channel must be NodeImage.',
    refs: {},
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --node-os-upgrade-channel NodeImage',
      terraform: 'node_os_upgrade_channel = "NodeImage" (3.x: node_os_channel_upgrade)',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ cluster, settings }) => {
      const channel = nodeOsChannel(cluster, settings);
      return cluster.pools.flatMap((pool) => {
        // The channel is the cluster's, but the finding is about the pool, also when the channel is unknown.
        const ofPool = (fact: Fact) => new Fact(fact.value, fact.path, fact.doc, pool.settings.owner);
        const anchor = ofPool(channel.fact);
        const open =
          typeof channel.open === 'string' ? channel.open : [pool.settings.get('osType'), ...channel.open.map(ofPool)];
        return verdict(
          and(isWindows(pool), not(channelIs(channel, 'NodeImage'))),
          anchor,
          `Windows pool ${pool.name} is on node OS channel ${describeChannel(channel)}: Windows nodes are patched only by node image upgrades (SecurityPatch is unsupported, Unmanaged acts as None)`,
          open,
        );
      });
    });
  },
});
