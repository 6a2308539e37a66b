import type { Finding } from '../model/finding.js';
import type { KubeObject, KubernetesObjects } from '../model/kubernetes.js';
import type { RuleOptions } from '../model/rule.js';
import type { Cluster, Snapshot } from '../model/snapshot.js';
import { NODE_IMAGE_LABEL, nodeOs, outdatedBecause, POOL_LABEL } from '../rules/util/node-images.js';
import { coordinatorKind, isRebootCoordinator, pendingRebootSince } from '../rules/util/reboot.js';
import { daysBetween, imageBuild } from '../rules/util/versions.js';

/** One node's patch status, as `aksguard nodes` prints it (JSON field names are the contract). */
export interface NodeStatus {
  readonly cluster: string;
  readonly target: string;
  readonly node: string;
  readonly pool: string | null;
  readonly os: string | null;
  readonly image: string | null;
  readonly imageAgeDays: number | null;
  readonly kubelet: string | null;
  readonly ready: boolean | null;
  readonly cordoned: boolean;
  /** When the node started waiting for a reboot (aksguard's or kured's annotations), or null. */
  readonly rebootRequiredSince: string | null;
  /** The cluster's reboot coordinator: `kured`, `aksguard`, `not ready`, or `none`. */
  readonly coordinator: string;
  /** The patching rules this node breaks. */
  readonly problems: readonly string[];
}

const IMAGE_RULES = new Set(['patching/node-image-outdated', 'patching/windows-node-image-outdated']);
/** Cluster-wide patching findings that leave only Linux nodes unpatched (Windows never reboots for patches). */
const LINUX_ONLY = new Set(['patching/reboot-coordinator-missing']);

/**
 * The rows of every cluster's nodes, worst first. A node breaks a patching rule when a finding names it, its pool
 * (image rules: only when its own image is outdated) or its cluster; undecided findings do not count.
 */
export function nodeStatuses(
  snapshot: Snapshot,
  findings: readonly Finding[],
  now: Date,
  options: RuleOptions,
): NodeStatus[] {
  const decided = findings.filter((f) => !f.unknown && !f.suppressed && f.ruleId.startsWith('patching/'));
  return snapshot.clusters
    .flatMap((cluster) => {
      const kubernetes = cluster.kubernetes;
      if (!kubernetes) return [];
      const coordinator = coordinatorState(kubernetes);
      const ours = decided.filter((f) => f.target === cluster.target.id);
      return kubernetes.nodes.map((node) => {
        const facts = describeNode(cluster, node, now);
        return { ...facts, coordinator, problems: broken(facts, cluster, ours, now, options) };
      });
    })
    .sort(worstFirst);
}

type NodeFacts = Omit<NodeStatus, 'coordinator' | 'problems'>;

/** What the Node object itself says. */
function describeNode(cluster: Cluster, node: KubeObject, now: Date): NodeFacts {
  const image = typeof node.labels[NODE_IMAGE_LABEL] === 'string' ? node.labels[NODE_IMAGE_LABEL] : null;
  const built = image ? imageBuild(image) : undefined;
  const status = node.body.status as { nodeInfo?: { kubeletVersion?: unknown }; conditions?: unknown } | undefined;
  const spec = node.body.spec as { unschedulable?: unknown } | undefined;
  const since = pendingRebootSince(node);
  return {
    cluster: cluster.name,
    target: cluster.target.id,
    node: node.name,
    pool: node.labels[POOL_LABEL] ?? null,
    os: nodeOs(node) ?? null,
    image,
    imageAgeDays: built ? daysBetween(built.date, now) : null,
    kubelet: typeof status?.nodeInfo?.kubeletVersion === 'string' ? status.nodeInfo.kubeletVersion : null,
    ready: readiness(status?.conditions),
    cordoned: spec?.unschedulable === true,
    rebootRequiredSince: since ? since.toISOString() : null,
  };
}

/** The patching rules a node breaks, from the findings of its cluster. */
function broken(
  node: NodeFacts,
  cluster: Cluster,
  findings: readonly Finding[],
  now: Date,
  options: RuleOptions,
): string[] {
  const pool = node.pool?.toLowerCase();
  const latest = cluster.pools
    .find((p) => p.name.toLowerCase() === pool)
    ?.upgradeProfile?.get('latestNodeImageVersion').text;
  const breaks = (f: Finding): boolean => {
    if (f.resource.kind === 'Node') return f.resource.name === node.node;
    if (f.resource.kind === 'AgentPool') {
      if (f.resource.name.toLowerCase() !== pool) return false;
      return !IMAGE_RULES.has(f.ruleId) || (node.image !== null && outdated(node.image, node.os, latest, now, options));
    }
    return f.resource.kind === 'ManagedCluster' && (!LINUX_ONLY.has(f.ruleId) || node.os !== 'windows');
  };
  return [...new Set(findings.filter(breaks).map((f) => f.ruleId))].sort();
}

const outdated = (image: string, os: string | null, latest: string | undefined, now: Date, options: RuleOptions) =>
  outdatedBecause(image, os === 'windows', latest, now, options.nodeImageMaxAgeDays) !== undefined;

function readiness(conditions: unknown): boolean | null {
  if (!Array.isArray(conditions)) return null;
  const ready = conditions.find((c) => (c as { type?: unknown })?.type === 'Ready') as { status?: unknown } | undefined;
  return ready ? ready.status === 'True' : null;
}

/**
 * Which coordinator reboots this cluster's patched nodes, by RULES.md's reading: the one running, else `not ready`
 * when one is deployed but has no ready pod, else `none`.
 */
export function coordinatorState(kubernetes: KubernetesObjects): string {
  const running = kubernetes.daemonSets.find((ds) => isRebootCoordinator(ds, kubernetes.live));
  const kind = running && coordinatorKind(running);
  if (kind) return kind;
  return kubernetes.daemonSets.some((ds) => coordinatorKind(ds)) ? 'not ready' : 'none';
}

function worstFirst(a: NodeStatus, b: NodeStatus): number {
  const waited = (s: NodeStatus) =>
    s.rebootRequiredSince ? Date.parse(s.rebootRequiredSince) : Number.POSITIVE_INFINITY;
  return (
    b.problems.length - a.problems.length ||
    waited(a) - waited(b) ||
    (b.imageAgeDays ?? -1) - (a.imageAgeDays ?? -1) ||
    Number(a.ready === true) - Number(b.ready === true) ||
    a.cluster.localeCompare(b.cluster) ||
    a.node.localeCompare(b.node)
  );
}
