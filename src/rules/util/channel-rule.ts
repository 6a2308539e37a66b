import { and, Fact, type Tri } from '../../model/fact.js';
import { defineRule, type Problem, type Rule, type RuleMeta } from '../../model/rule.js';
import type { Pool } from '../../model/snapshot.js';
import { type ChannelReading, configured, isWindows, nodeOsChannel } from './cluster.js';
import { verdict } from './report.js';

/** The fix of every node OS channel rule: let AKS roll out new node images. */
const NODE_IMAGE_CHANNEL = {
  az: 'az aks update -g <rg> -n <cluster> --node-os-upgrade-channel NodeImage',
  terraform: 'node_os_upgrade_channel = "NodeImage" (3.x: node_os_channel_upgrade)',
};

interface Common {
  readonly meta: Omit<RuleMeta, 'remediation'>;
  /** Whether the cluster's channel fails the rule. */
  readonly fails: (channel: ChannelReading) => Tri;
}

/** What one finding is about: the cluster, or each Windows pool (named by its own finding). */
export type ChannelRuleSpec = Common &
  (
    | { readonly each: 'cluster'; readonly message: (channel: ChannelReading) => string }
    | { readonly each: 'windows-pool'; readonly message: (channel: ChannelReading, pool: Pool) => string }
  );

/**
 * A rule on the node OS upgrade channel (`patching/node-os-upgrade-disabled`,
 * `patching/windows-pool-not-auto-patched`): the channel is read one way for all of them — the setting, else
 * `NodeImage` for the `node-image` cluster channel, else the API version's default — and fixed one way.
 */
export function nodeOsChannelRule(spec: ChannelRuleSpec): Rule {
  return defineRule({
    meta: { ...spec.meta, remediation: NODE_IMAGE_CHANNEL },
    check(snapshot) {
      return configured(snapshot).flatMap(({ cluster, settings }) => {
        const channel = nodeOsChannel(cluster, settings);
        const fails = spec.fails(channel);
        if (spec.each === 'cluster') return verdict(fails, channel.fact, spec.message(channel), channel.open);
        return cluster.pools.flatMap((pool) => judgeWindowsPool(pool, channel, fails, spec.message));
      });
    },
  });
}

function judgeWindowsPool(
  pool: Pool,
  channel: ChannelReading,
  fails: Tri,
  message: (channel: ChannelReading, pool: Pool) => string,
): Problem[] {
  // The channel is the cluster's, but the finding is about the pool, also when the channel is unknown.
  const ofPool = (fact: Fact) => new Fact(fact.value, fact.path, fact.doc, pool.settings.owner);
  const open =
    typeof channel.open === 'string' ? channel.open : [pool.settings.get('osType'), ...channel.open.map(ofPool)];
  return verdict(and(isWindows(pool), fails), ofPool(channel.fact), message(channel, pool), open);
}
