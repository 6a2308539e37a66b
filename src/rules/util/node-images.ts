import { Fact, type Tri } from '../../model/fact.js';
import type { KubeObject } from '../../model/kubernetes.js';
import type { Cluster, Snapshot } from '../../model/snapshot.js';
import { isWindows } from './cluster.js';
import { daysBetween, dueWindowsPatch, imageBuild, isBehind, isoDate } from './versions.js';

export const NODE_IMAGE_LABEL = 'kubernetes.azure.com/node-image-version';
export const POOL_LABEL = 'kubernetes.azure.com/agentpool';

/** A pool's node image version, from its Azure settings or, failing that, from its nodes' labels. */
export interface ImageReading {
  readonly cluster: Cluster;
  readonly pool: string;
  /** The version, anchored at the pool's `nodeImageVersion` or the node's label; its owner is the pool. */
  readonly version: Fact;
  readonly windows: Tri;
  /** `latestNodeImageVersion` from the pool's upgrade profile, when the input has one. */
  readonly latest: string | undefined;
  /** The node whose label gave the version (the one on the oldest image of its pool). */
  readonly node: string | undefined;
}

/**
 * Every pool's node image (RULES.md: pool `nodeImageVersion`, or the node label
 * `kubernetes.azure.com/node-image-version`). Pools whose settings name no image are read from their nodes, and
 * a pool whose nodes differ (an upgrade under way) is judged by its oldest.
 */
export function nodeImages(snapshot: Snapshot): ImageReading[] {
  return snapshot.clusters.flatMap((cluster) => {
    const fromPools = cluster.pools.flatMap((pool): ImageReading[] => {
      const version = pool.settings.get('nodeImageVersion');
      if (!version.text) return [];
      const latest = pool.upgradeProfile?.get('latestNodeImageVersion').text;
      return [{ cluster, pool: pool.name, version, windows: isWindows(pool), latest, node: undefined }];
    });
    const known = new Set(fromPools.map((r) => r.pool.toLowerCase()));
    const fromNodes = [...oldestNodePerPool(cluster.kubernetes?.nodes ?? [])]
      .filter(([pool]) => !known.has(pool.toLowerCase()))
      .map(([pool, node]) => fromNode(cluster, pool, node));
    return [...fromPools, ...fromNodes];
  });
}

function oldestNodePerPool(nodes: readonly KubeObject[]): Map<string, KubeObject> {
  const oldest = new Map<string, KubeObject>();
  const builtAt = (node: KubeObject) => imageBuild(node.labels[NODE_IMAGE_LABEL] ?? '')?.date.getTime() ?? Infinity;
  for (const node of nodes) {
    if (typeof node.labels[NODE_IMAGE_LABEL] !== 'string') continue;
    const pool = node.labels[POOL_LABEL] ?? node.labels.agentpool ?? '(no pool label)';
    const current = oldest.get(pool);
    if (!current || builtAt(node) < builtAt(current)) oldest.set(pool, node);
  }
  return oldest;
}

function fromNode(cluster: Cluster, pool: string, node: KubeObject): ImageReading {
  const owner = { target: node.anchor.owner.target, resource: { kind: 'AgentPool', name: pool, namespace: null } };
  const version = new Fact(
    node.labels[NODE_IMAGE_LABEL],
    ['metadata', 'labels', NODE_IMAGE_LABEL],
    node.anchor.doc,
    owner,
  );
  const settings = cluster.pools.find((p) => p.name.toLowerCase() === pool.toLowerCase());
  return {
    cluster,
    pool,
    version,
    windows: nodeOs(node) === 'windows',
    latest: settings?.upgradeProfile?.get('latestNodeImageVersion').text,
    node: node.name,
  };
}

/** `linux` or `windows`, from the well-known label or the kubelet's report. */
export function nodeOs(node: KubeObject): string | undefined {
  const label = node.labels['kubernetes.io/os'];
  if (typeof label === 'string') return label.toLowerCase();
  const status = node.body.status as { nodeInfo?: { operatingSystem?: unknown } } | undefined;
  const reported = status?.nodeInfo?.operatingSystem;
  return typeof reported === 'string' ? reported.toLowerCase() : undefined;
}

/**
 * Why one node image counts as outdated, or undefined when it does not (the same tests as the node-image rules:
 * behind the upgrade profile's latest image; else Linux older than `maxAgeDays`, Windows built before the last
 * Patch Tuesday due).
 */
export function outdatedBecause(
  image: string,
  windows: boolean,
  latest: string | undefined,
  now: Date,
  maxAgeDays: number,
): string | undefined {
  if (latest) return isBehind(image, latest) ? `${latest} is available` : undefined;
  const built = imageBuild(image);
  if (!built) return undefined;
  if (windows) {
    const due = dueWindowsPatch(now);
    return built.date < due ? `built before the ${isoDate(due)} Patch Tuesday release` : undefined;
  }
  const age = daysBetween(built.date, now);
  return age > maxAgeDays ? `${age} days old (more than ${maxAgeDays})` : undefined;
}
