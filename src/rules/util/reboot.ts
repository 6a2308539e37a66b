import type { KubeObject, KubernetesObjects } from '../../model/kubernetes.js';
import { REBOOT_REQUIRED_SINCE } from '../../model/reboot-annotations.js';

const KURED_IN_PROGRESS = 'weave.works/kured-reboot-in-progress';
const KURED_NEEDED = 'weave.works/kured-most-recent-reboot-needed';

/**
 * A DaemonSet that reboots nodes after patches: kured (by name or image), or aksguard's reboot daemon (by label,
 * or an aksguard image running `reboot-daemon`). Live objects must have a ready pod; manifests count unless their
 * status says none is ready.
 */
export function isRebootCoordinator(daemonSet: KubeObject, live: boolean): boolean {
  const containers = podContainers(daemonSet);
  const isKured =
    daemonSet.name.includes('kured') ||
    containers.some((c) => typeof c.image === 'string' && c.image.includes('kured'));
  const isOurs =
    daemonSet.labels['app.kubernetes.io/name'] === 'aksguard-reboot-daemon' ||
    containers.some(
      (c) =>
        typeof c.image === 'string' &&
        c.image.includes('aksguard') &&
        [...asStrings(c.command), ...asStrings(c.args)].some((arg) => arg.includes('reboot-daemon')),
    );
  if (!isKured && !isOurs) return false;
  const ready = (daemonSet.body.status as { numberReady?: unknown } | undefined)?.numberReady;
  return live ? typeof ready === 'number' && ready > 0 : ready !== 0;
}

export const hasRebootCoordinator = (kubernetes: KubernetesObjects): boolean =>
  kubernetes.daemonSets.some((ds) => isRebootCoordinator(ds, kubernetes.live));

/** Since when a node has waited for a reboot, per aksguard's or kured's annotations; undefined if it is not waiting. */
export function pendingRebootSince(node: KubeObject): Date | undefined {
  const ours = parseTime(node.annotations[REBOOT_REQUIRED_SINCE]);
  if (ours) return ours;
  const inProgress = parseTime(node.annotations[KURED_IN_PROGRESS]);
  if (inProgress) return inProgress;
  const needed = parseTime(node.annotations[KURED_NEEDED]);
  const readySince = parseTime(readyCondition(node)?.lastTransitionTime);
  return needed && (!readySince || needed > readySince) ? needed : undefined;
}

function readyCondition(node: KubeObject): { lastTransitionTime?: unknown } | undefined {
  const conditions = (node.body.status as { conditions?: unknown } | undefined)?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  return conditions.find((c) => (c as { type?: unknown })?.type === 'Ready');
}

interface Container {
  image?: unknown;
  command?: unknown;
  args?: unknown;
}

function podContainers(workload: KubeObject): Container[] {
  const spec = (workload.body.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec;
  return ['initContainers', 'containers'].flatMap((key) => {
    const list = spec?.[key];
    return Array.isArray(list) ? (list as Container[]) : [];
  });
}

const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];

function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}
