import { not } from '../../model/fact.js';
import { nodeOsChannelRule } from '../util/channel-rule.js';
import { channelIs, describeChannel } from '../util/cluster.js';

export default nodeOsChannelRule({
  meta: {
    id: 'patching/windows-pool-not-auto-patched',
    title: 'Windows pool is not patched automatically',
    severity: 'high',
    seed: 'Windows nodes never run Windows Update: only new node images patch them, so the channel must be NodeImage.',
    refs: {},
  },
  each: 'windows-pool',
  fails: (channel) => not(channelIs(channel, 'NodeImage')),
  message: (channel, pool) =>
    `Windows pool ${pool.name} is on node OS channel ${describeChannel(channel)}: Windows nodes are patched only by node image upgrades (SecurityPatch is unsupported, Unmanaged acts as None)`,
});
