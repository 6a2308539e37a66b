import type { KubeObject, KubernetesObjects } from '../../model/kubernetes.js';
import { REBOOT_REQUIRED_SINCE } from '../../model/reboot-annotations.js';

const KURED_IN_PROGRESS = 'weave.works/kured-reboot-in-progress';
const KURED_NEEDED = 'weave.works/kured-most-recent-reboot-needed';

/**
 * Which reboot coordinator a DaemonSet is, ready or not: kured (by name or image), or aksguard's reboot daemon (by
 * label, or an aksguard image running `reboot-daemon`); undefined for any other DaemonSet.
 */
export function coordinatorKind(daemonSet: KubeObject): 'kured' | 'aksguard' | undefined {
  const containers = podContainers(daemonSet);
  const isKured =
    daemonSet.name.includes('kured') ||
    containers.some((c) => typeof c.image === 'string' && c.image.includes('kured'));
  if (isKured) return 'kured';
  const isOurs =
    daemonSet.labels['app.kubernetes.io/name'] === 'aksguard-reboot-daemon' ||
    containers.some(
      (c) =>
        typeof c.image === 'string' &&
        c.image.includes('aksguard') &&
        [...asStrings(c.command), ...asStrings(c.args)].some((arg) => arg.includes('reboot-daemon')),
    );
  return isOurs ? 'aksguard' : undefined;
}

/**
 * A DaemonSet that reboots nodes after patches (`coordinatorKind`) and runs: live objects must have a ready pod;
 * manifests count unless their status says none is ready.
 */
export function isRebootCoordinator(daemonSet: KubeObject, live: boolean): boolean {
  if (!coordinatorKind(daemonSet)) return false;
  const ready = (daemonSet.body.status as { numberReady?: unknown } | undefined)?.numberReady;
  return live ? typeof ready === 'number' && ready > 0 : ready !== 0;
}

export const hasRebootCoordinator = (kubernetes: KubernetesObjects): boolean =>
  kubernetes.daemonSets.some((ds) => isRebootCoordinator(ds, kubernetes.live));

/** A node waiting for its reboot: since when, and the annotation that says so. */
export interface PendingReboot {
  readonly since: Date;
  readonly annotation: string;
}

/** Whether a node waits for a reboot, per aksguard's or kured's annotations; undefined if it is not waiting. */
export function pendingReboot(node: KubeObject): PendingReboot | undefined {
  const at = (annotation: string) => {
    const since = parseTime(node.annotations[annotation]);
    return since ? { since, annotation } : undefined;
  };
  const ours = at(REBOOT_REQUIRED_SINCE) ?? at(KURED_IN_PROGRESS);
  if (ours) return ours;
  const needed = at(KURED_NEEDED);
  const readySince = parseTime(readyCondition(node)?.lastTransitionTime);
  return needed && (!readySince || needed.since > readySince) ? needed : undefined;
}

/** Since when a node has waited for a reboot; undefined if it is not waiting. */
export const pendingRebootSince = (node: KubeObject): Date | undefined => pendingReboot(node)?.since;

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
