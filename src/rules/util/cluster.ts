import type { Fact, Tri } from '../../model/fact.js';
import type { Settings } from '../../model/settings.js';
import type { Cluster, Pool, Snapshot } from '../../model/snapshot.js';

export interface Configured {
  readonly cluster: Cluster;
  readonly settings: Settings;
}

/** Clusters whose own settings are in the input (cluster-level rules judge only these). */
export function configured(snapshot: Snapshot): Configured[] {
  return snapshot.clusters.flatMap((cluster) => (cluster.settings ? [{ cluster, settings: cluster.settings }] : []));
}

/** Every agent pool with its cluster. */
export function pools(snapshot: Snapshot): { cluster: Cluster; pool: Pool }[] {
  return snapshot.clusters.flatMap((cluster) => cluster.pools.map((pool) => ({ cluster, pool })));
}

export const isWindows = (pool: Pool): Tri => pool.settings.get('osType').isOneOf('Windows');

/** `mode`; when absent, the first pool of a cluster is its System pool (as AKS requires one). */
export function isSystemPool(cluster: Cluster, pool: Pool): boolean {
  const mode = pool.settings.get('mode');
  if (mode.text) return mode.text.toLowerCase() === 'system';
  return cluster.pools[0] === pool;
}

export const NODE_OS_CHANNELS = ['NodeImage', 'SecurityPatch', 'Unmanaged', 'None'] as const;
export type NodeOsChannel = (typeof NODE_OS_CHANNELS)[number];

/** The node OS upgrade channel as a set of possibilities, with the fact it was read from. */
export interface ChannelReading {
  readonly possible: ReadonlySet<NodeOsChannel>;
  readonly fact: Fact;
  /** Why more than one channel is possible: the unresolved setting, or a sentence. */
  readonly open: readonly Fact[] | string;
}

/** API version from which a missing node OS channel means NodeImage (before: Unmanaged). */
const NODE_IMAGE_DEFAULT_SINCE = '2023-06-01';

/**
 * The node OS channel: the setting when present; else `NodeImage` when the cluster auto-upgrade channel is
 * `node-image`; else the API version's default; with no API version known, either default is possible.
 */
export function nodeOsChannel(cluster: Cluster, settings: Settings): ChannelReading {
  const fact = settings.get('autoUpgradeProfile.nodeOSUpgradeChannel');
  const reading = (...possible: NodeOsChannel[]): ChannelReading => ({
    possible: new Set(possible),
    fact,
    open: [fact],
  });
  if (fact.unresolved) return reading(...NODE_OS_CHANNELS);
  const explicit = NODE_OS_CHANNELS.find((c) => c.toLowerCase() === fact.text?.toLowerCase());
  if (explicit) return reading(explicit);
  if (settings.get('autoUpgradeProfile.upgradeChannel').isOneOf('node-image') === true) return reading('NodeImage');
  const api = cluster.apiVersion;
  if (api === undefined) {
    const open =
      'nodeOSUpgradeChannel is not set and the input does not say which API version (and so which default) applies';
    return { ...reading('NodeImage', 'Unmanaged'), open };
  }
  return reading(api >= NODE_IMAGE_DEFAULT_SINCE ? 'NodeImage' : 'Unmanaged');
}

/** Whether the channel is one of `channels`: certain, impossible, or open. */
/** The channel as a message shows it. */
export const describeChannel = (reading: ChannelReading): string =>
  reading.fact.isDefault ? `${[...reading.possible].join(' or ')} (not set; the default)` : reading.fact.shown;

export function channelIs(reading: ChannelReading, ...channels: NodeOsChannel[]): Tri {
  const matching = [...reading.possible].filter((c) => channels.includes(c)).length;
  return matching === reading.possible.size ? true : matching === 0 ? false : 'unknown';
}
