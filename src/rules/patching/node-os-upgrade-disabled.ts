import { defineRule } from '../../model/rule.js';
import { channelIs, configured, nodeOsChannel } from '../util/cluster.js';
import { verdict } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'patching/node-os-upgrade-disabled',
    title: 'Nodes receive no OS security patches',
    severity: 'high',
    seed: 'Linux nodes must receive OS security patches; the node OS upgrade channel None turns them off entirely.',
    refs: { psrule: ['Azure.AKS.NodeAutoUpgrade'] },
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --node-os-upgrade-channel NodeImage',
      terraform: 'node_os_upgrade_channel = "NodeImage" (3.x: node_os_channel_upgrade)',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ cluster, settings }) => {
      const channel = nodeOsChannel(cluster, settings);
      return verdict(
        channelIs(channel, 'None'),
        channel.fact,
        'the node OS upgrade channel is None: nodes get no OS security patches until their image is upgraded by hand',
        channel.open,
      );
    });
  },
});
