import { nodeOsChannelRule } from '../util/channel-rule.js';
import { channelIs } from '../util/cluster.js';

export default nodeOsChannelRule({
  meta: {
    id: 'patching/node-os-upgrade-disabled',
    title: 'Nodes receive no OS security patches',
    severity: 'high',
    seed: 'Linux nodes must receive OS security patches; the node OS upgrade channel None turns them off entirely.',
    refs: { psrule: ['Azure.AKS.NodeAutoUpgrade'] },
  },
  each: 'cluster',
  fails: (channel) => channelIs(channel, 'None'),
  message: () =>
    'the node OS upgrade channel is None: nodes get no OS security patches until their image is upgraded by hand',
});
