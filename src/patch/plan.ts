import type { Cluster, Pool, Snapshot } from '../model/snapshot.js';
import { describeChannel, isWindows, nodeOsChannel } from '../rules/util/cluster.js';
import { daysBetween, dueWindowsPatch, imageBuild, isBehind, isoDate, patchTuesday } from '../rules/util/versions.js';
import { isOpen, type MaintenanceWindow, NODE_OS_SCHEDULE, nextWindow, type Occurrence, windowOf } from './window.js';

export type PatchAction = 'upgrade' | 'none' | 'check';

/** One pool's row in the plan. */
export interface PoolPlan {
  readonly target: string;
  readonly cluster: string;
  readonly pool: string;
  readonly os: 'Linux' | 'Windows' | 'unknown';
  readonly currentImage: string | undefined;
  readonly latestImage: string | undefined;
  /** The current image's build date (YYYY-MM-DD). */
  readonly imageDate: string | undefined;
  readonly imageAgeDays: number | undefined;
  /** Image releases between current and latest: Windows ships one per Patch Tuesday, Linux one a week. */
  readonly releasesBehind: number | undefined;
  readonly channel: string;
  readonly window: WindowPlan;
  readonly action: PatchAction;
  readonly reason: string;
}

export interface WindowPlan {
  /** `aksManagedNodeOSUpgradeSchedule`, `--window`, or `none`. */
  readonly source: string;
  readonly next: Occurrence | undefined;
  readonly openNow: boolean;
  /** No window constrains this pool (none configured): upgrades may start at any time. */
  readonly anyTime: boolean;
  readonly note: string | undefined;
}

/** Ranks: Windows pools missing a due Patch Tuesday first, then other pools behind, then unknown, then current. */
const TIER = { windowsDue: 0, behind: 1, check: 2, none: 3 } as const;

/**
 * Which pools should move to the newest node image, and when: pure, over the same snapshot the rules judge.
 * `window` (from `--window`) replaces each cluster's own schedule.
 */
export function planPatches(snapshot: Snapshot, now: Date, window?: MaintenanceWindow): PoolPlan[] {
  const rows = snapshot.clusters.flatMap((cluster) => {
    const windowPlan = planWindow(cluster, now, window);
    return cluster.pools.map((pool) => planPool(cluster, pool, now, windowPlan));
  });
  return rows
    .sort(
      (a, b) =>
        a.tier - b.tier ||
        (b.plan.releasesBehind ?? 0) - (a.plan.releasesBehind ?? 0) ||
        (b.plan.imageAgeDays ?? 0) - (a.plan.imageAgeDays ?? 0) ||
        a.plan.cluster.localeCompare(b.plan.cluster) ||
        a.plan.pool.localeCompare(b.plan.pool),
    )
    .map((row) => row.plan);
}

function planPool(cluster: Cluster, pool: Pool, now: Date, window: WindowPlan): { plan: PoolPlan; tier: number } {
  const windows = isWindows(pool);
  const os = windows === true ? 'Windows' : windows === false ? 'Linux' : 'unknown';
  const current = pool.settings.get('nodeImageVersion').text;
  const latest = pool.upgradeProfile?.get('latestNodeImageVersion').text;
  const built = current ? imageBuild(current) : undefined;
  const base = {
    target: cluster.target.id,
    cluster: cluster.name,
    pool: pool.name,
    os,
    currentImage: current,
    latestImage: latest,
    imageDate: built && isoDate(built.date),
    imageAgeDays: built && daysBetween(built.date, now),
    channel: cluster.settings
      ? describeChannel(nodeOsChannel(cluster, cluster.settings))
      : 'unknown (no cluster settings)',
    window,
  } as const;
  const { action, reason, tier, releasesBehind } = decide(os, current, latest, built?.date, now);
  return { plan: { ...base, releasesBehind, action, reason }, tier };
}

function decide(
  os: PoolPlan['os'],
  current: string | undefined,
  latest: string | undefined,
  built: Date | undefined,
  now: Date,
): { action: PatchAction; reason: string; tier: number; releasesBehind: number | undefined } {
  if (!current) {
    return {
      action: 'check',
      tier: TIER.check,
      releasesBehind: undefined,
      reason: 'the input does not say which node image the pool runs',
    };
  }
  if (!latest) {
    return {
      action: 'check',
      tier: TIER.check,
      releasesBehind: undefined,
      reason:
        'the latest image is unknown: scan with --azure, or add `az aks nodepool get-upgrades` output next to the cluster file',
    };
  }
  if (!isBehind(current, latest))
    return { action: 'none', tier: TIER.none, releasesBehind: 0, reason: 'on the latest node image' };
  const behind = releasesBehind(os, current, latest);
  const count = behind === undefined ? 'behind' : `${behind} release${behind === 1 ? '' : 's'} behind`;
  if (os === 'Windows') {
    const due = dueWindowsPatch(now);
    const missesPatchTuesday = built !== undefined && built < due;
    return {
      action: 'upgrade',
      tier: missesPatchTuesday ? TIER.windowsDue : TIER.behind,
      releasesBehind: behind,
      reason: missesPatchTuesday
        ? `Windows nodes never run Windows Update: the image (${count}) predates the ${isoDate(due)} Patch Tuesday fixes, and a node image upgrade is the only way to get them`
        : `Windows image is ${count}; a node image upgrade is the only way Windows nodes get fixes`,
    };
  }
  return {
    action: 'upgrade',
    tier: TIER.behind,
    releasesBehind: behind,
    reason: `image is ${count}: nodes lack the OS and runtime fixes of the newer images`,
  };
}

/** Releases between two images, counted from their build dates (undefined when an image carries no date). */
export function releasesBehind(os: PoolPlan['os'], current: string, latest: string): number | undefined {
  const from = imageBuild(current)?.date;
  const to = imageBuild(latest)?.date;
  if (!from || !to) return undefined;
  if (to <= from) return isBehind(current, latest) ? 1 : 0;
  if (os === 'Windows') return patchTuesdaysBetween(from, to) || 1;
  return Math.max(1, Math.ceil(daysBetween(from, to) / 7));
}

function patchTuesdaysBetween(from: Date, to: Date): number {
  let count = 0;
  for (
    let y = from.getUTCFullYear(), m = from.getUTCMonth();
    y * 12 + m <= to.getUTCFullYear() * 12 + to.getUTCMonth();
    m++
  ) {
    if (m > 11) {
      m = 0;
      y++;
    }
    const tuesday = patchTuesday(y, m);
    if (tuesday > from && tuesday <= to) count++;
  }
  return count;
}

function planWindow(cluster: Cluster, now: Date, override: MaintenanceWindow | undefined): WindowPlan {
  const config = cluster.maintenanceConfigurations?.find(
    (c) => c.name.toLowerCase() === NODE_OS_SCHEDULE.toLowerCase(),
  );
  const window = override ?? (config ? windowOf(config.settings, NODE_OS_SCHEDULE) : undefined);
  if (window === undefined) {
    const note =
      cluster.maintenanceConfigurations === undefined
        ? 'maintenance configurations are not in the input; pass --window to plan within one'
        : `no ${NODE_OS_SCHEDULE}: upgrades may start at any time (pass --window to restrict them)`;
    return { source: 'none', next: undefined, openNow: true, anyTime: true, note };
  }
  if (typeof window === 'string')
    return { source: NODE_OS_SCHEDULE, next: undefined, openNow: false, anyTime: false, note: window };
  const next = nextWindow(window, now);
  return {
    source: window.source,
    next,
    openNow: isOpen(next, now),
    anyTime: false,
    note: next ? undefined : 'the schedule has no future window',
  };
}
