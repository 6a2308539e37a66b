import { describe, expect, it } from 'vitest';
import { planPatches, releasesBehind } from '../../src/patch/plan.js';
import { parseWindowFlag } from '../../src/patch/window.js';
import { readTexts } from '../../src/sources/index.js';
import { param, template } from '../support/arm-fixtures.js';

const clusterId = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c1';
const pool = (name: string, osType: string, image: string) => ({
  id: `${clusterId}/agentPools/${name}`,
  name,
  type: 'Microsoft.ContainerService/managedClusters/agentPools',
  properties: { osType, vmSize: 'Standard_D4s_v3', nodeImageVersion: image, mode: 'User' },
});
const profile = (name: string, latest: string) => ({
  id: `${clusterId}/agentPools/${name}/upgradeProfiles/default`,
  type: 'Microsoft.ContainerService/managedClusters/agentPools/upgradeProfiles',
  properties: { latestNodeImageVersion: latest, kubernetesVersion: '1.31.2', osType: 'Linux' },
});

const cluster = (properties: Record<string, unknown> = {}) => ({
  id: clusterId,
  name: 'c1',
  type: 'Microsoft.ContainerService/managedClusters',
  properties: { kubernetesVersion: '1.31.2', agentPoolProfiles: [], ...properties },
});
const schedule = (maintenanceWindow: Record<string, unknown>, name = 'aksManagedNodeOSUpgradeSchedule') => ({
  value: [{ id: `${clusterId}/maintenanceConfigurations/${name}`, name, properties: { maintenanceWindow } }],
});
const SUNDAYS = {
  schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Sunday' } },
  durationHours: 4,
  startTime: '01:00',
  utcOffset: '+00:00',
};

/** The snapshot of files (name → JSON body) as `aksguard patch plan` reads them. */
async function snapshotOf(files: Record<string, unknown>) {
  const texts = Object.entries(files).map(([file, body]) => ({ file, text: JSON.stringify(body), named: true }));
  return (await readTexts(texts)).snapshot;
}

/** Cluster c1 with four pools: a Linux pool 10 releases behind, a Windows pool behind Patch Tuesday, … */
const snapshot = (extra: Record<string, unknown> = {}) =>
  snapshotOf({
    'c1/cluster.json': cluster(),
    'c1/pools.json': {
      value: [
        pool('linuxold', 'Linux', 'AKSUbuntu-2204gen2containerd-202409.03.0'),
        pool('win', 'Windows', 'AKSWindows-2022-containerd-20348.2849.240910'),
        pool('current', 'Linux', 'AKSUbuntu-2204gen2containerd-202411.12.0'),
        pool('noprofile', 'Linux', 'AKSUbuntu-2204gen2containerd-202411.05.0'),
      ],
    },
    'c1/up-linuxold.json': profile('linuxold', 'AKSUbuntu-2204gen2containerd-202411.12.0'),
    'c1/up-win.json': profile('win', 'AKSWindows-2022-containerd-20348.2966.241112'),
    'c1/up-current.json': profile('current', 'AKSUbuntu-2204gen2containerd-202411.12.0'),
    ...extra,
  });

/** One pool of cluster c1 with its upgrade profile naming `latest` (none when undefined). */
const onePool = (body: { name: string; properties: unknown }, latest?: string, clusterBody: unknown = cluster()) =>
  snapshotOf({
    'c1/cluster.json': clusterBody,
    'c1/pool.json': body,
    ...(latest ? { 'c1/up.json': profile(body.name, latest) } : {}),
  });

const NOW = new Date('2024-11-28T00:00:00Z');

describe('patch plan', () => {
  it('puts a Windows pool behind Patch Tuesday first, then pools furthest behind, then unknown, then current', async () => {
    const plan = planPatches(await snapshot(), NOW);
    expect(plan.map((p) => [p.pool, p.action])).toEqual([
      ['win', 'upgrade'],
      ['linuxold', 'upgrade'],
      ['noprofile', 'check'],
      ['current', 'none'],
    ]);
    const [win, linux] = plan;
    expect(win?.releasesBehind).toBe(2);
    expect(win?.reason).toMatch(/predates the 2024-11-12 Patch Tuesday/);
    expect(win?.imageAgeDays).toBe(79);
    expect(linux?.releasesBehind).toBe(10);
    expect(plan[2]?.reason).toMatch(/latest image is unknown/);
  });

  it('counts releases: Windows one per Patch Tuesday, Linux one a week', () => {
    expect(
      releasesBehind(
        'Windows',
        'AKSWindows-2022-containerd-20348.1.240910',
        'AKSWindows-2022-containerd-20348.2.241112',
      ),
    ).toBe(2);
    expect(
      releasesBehind('Linux', 'AKSUbuntu-2204gen2containerd-202411.05.0', 'AKSUbuntu-2204gen2containerd-202411.12.0'),
    ).toBe(1);
    expect(
      releasesBehind('Linux', 'AKSUbuntu-2204gen2containerd-202411.12.0', 'AKSUbuntu-2204gen2containerd-202411.12.1'),
    ).toBe(1);
    expect(releasesBehind('Linux', 'custom-image', 'AKSUbuntu-2204gen2containerd-202411.12.0')).toBeUndefined();
  });

  it('takes the window from aksManagedNodeOSUpgradeSchedule, or from --window instead', async () => {
    const maintenance = schedule(SUNDAYS);
    const [first] = planPatches(await snapshot({ 'c1/maintenance.json': maintenance }), NOW);
    expect(first?.window.source).toBe('aksManagedNodeOSUpgradeSchedule');
    expect(first?.window.next?.start.toISOString()).toBe('2024-12-01T01:00:00.000Z');
    expect(first?.window.openNow).toBe(false);
    expect(first?.window.anyTime).toBe(false);

    const flag = parseWindowFlag('Thu 00:00 2h');
    if (typeof flag === 'string') throw new Error(flag);
    const [overridden] = planPatches(await snapshot({ 'c1/maintenance.json': maintenance }), NOW, flag);
    expect(overridden?.window.source).toBe('--window');
    expect(overridden?.window.openNow).toBe(true);
  });

  it('without maintenance configurations in the input, says a window cannot be known', async () => {
    const [first] = planPatches(await snapshot(), NOW);
    expect(first?.window.anyTime).toBe(true);
    expect(first?.window.note).toMatch(/not in the input/);
  });
});

describe('patch plan: each pool', () => {
  const winImage = (built: string) => `AKSWindows-2022-containerd-20348.2900.${built}`;
  const ubuntu = (built: string) => `AKSUbuntu-2204gen2containerd-${built}`;

  it('a Windows pool that misses the due Patch Tuesday goes first, even when fewer releases behind', async () => {
    const plan = planPatches(
      await snapshotOf({
        'c1/cluster.json': cluster(),
        'c1/pools.json': {
          value: [
            pool('winlate', 'Windows', winImage('241115')),
            pool('linux', 'Linux', ubuntu('202409.03.0')),
            pool('windue', 'Windows', winImage('241108')),
          ],
        },
        'c1/up-winlate.json': profile('winlate', winImage('241120')),
        'c1/up-linux.json': profile('linux', ubuntu('202411.12.0')),
        'c1/up-windue.json': profile('windue', winImage('241113')),
      }),
      NOW,
    );
    expect(plan.map((p) => [p.pool, p.action, p.releasesBehind])).toEqual([
      ['windue', 'upgrade', 1],
      ['linux', 'upgrade', 10],
      ['winlate', 'upgrade', 1],
    ]);
    expect(plan[0]?.reason).toMatch(/image \(1 release behind\) predates the 2024-11-12 Patch Tuesday fixes/);
    // Built after the due Patch Tuesday: behind, but not missing its fixes.
    expect(plan[2]?.reason).toBe(
      'Windows image is 1 release behind; a node image upgrade is the only way Windows nodes get fixes',
    );
    expect(plan[2]?.os).toBe('Windows');
  });

  it('a pool on the latest image needs nothing, Windows or Linux', async () => {
    for (const [os, image] of [
      ['Windows', winImage('241113')],
      ['Linux', ubuntu('202411.12.0')],
    ] as const) {
      const [row] = planPatches(await onePool(pool('p', os, image), image), NOW);
      expect(row).toMatchObject({ action: 'none', releasesBehind: 0, reason: 'on the latest node image' });
    }
  });

  it('a pool whose image the input does not name is to be checked, never upgraded', async () => {
    const body = pool('tpl', 'Linux', '');
    const [row] = planPatches(await onePool(body, ubuntu('202411.12.0')), NOW);
    expect(row).toMatchObject({
      action: 'check',
      currentImage: undefined,
      imageDate: undefined,
      imageAgeDays: undefined,
      releasesBehind: undefined,
      reason: 'the input does not say which node image the pool runs',
    });
  });

  it('images without a build date are behind when they differ, with no count of releases', async () => {
    const [behind] = planPatches(await onePool(pool('p', 'Linux', 'custom-image-a'), 'custom-image-b'), NOW);
    expect(behind).toMatchObject({ action: 'upgrade', releasesBehind: undefined, imageDate: undefined });
    expect(behind?.reason).toBe('image is behind: nodes lack the OS and runtime fixes of the newer images');
    const [same] = planPatches(await onePool(pool('p', 'Linux', 'custom-image-a'), 'CUSTOM-image-a'), NOW);
    expect(same?.action).toBe('none');
  });

  it('a pool without osType is Linux, the platform default; one whose osType is not known says so', async () => {
    const { osType: _, ...properties } = pool('p', 'Linux', ubuntu('202411.05.0')).properties;
    const [linux] = planPatches(await onePool({ ...pool('p', 'Linux', ''), properties }, ubuntu('202411.12.0')), NOW);
    expect(linux).toMatchObject({ os: 'Linux', action: 'upgrade', releasesBehind: 1 });
    expect(linux?.reason).toBe('image is 1 release behind: nodes lack the OS and runtime fixes of the newer images');
    const unknownOs = template(
      { agentPoolProfiles: [{ name: 'p', osType: param('os'), nodeImageVersion: ubuntu('202411.05.0') }] },
      { parameters: ['os'] },
    );
    const [row] = planPatches(await snapshotOf({ 'tpl.json': unknownOs }), NOW);
    expect(row).toMatchObject({ pool: 'p', os: 'unknown', imageDate: '2024-11-05' });
  });

  it('among pools equally behind: the older image first, then by cluster and pool name', async () => {
    const plan = planPatches(
      await snapshotOf({
        'c1/cluster.json': cluster(),
        'c1/pools.json': {
          value: [
            pool('young', 'Linux', ubuntu('202411.10.0')),
            pool('b-twin', 'Linux', ubuntu('202411.10.0')),
            pool('old', 'Linux', ubuntu('202411.06.0')),
            pool('a-twin', 'Linux', ubuntu('202411.10.0')),
          ],
        },
        ...Object.fromEntries(
          ['young', 'b-twin', 'old', 'a-twin'].map((name) => [
            `c1/up-${name}.json`,
            profile(name, ubuntu('202411.12.0')),
          ]),
        ),
      }),
      NOW,
    );
    expect(plan.map((p) => [p.pool, p.releasesBehind, p.imageAgeDays])).toEqual([
      ['old', 1, 22],
      ['a-twin', 1, 18],
      ['b-twin', 1, 18],
      ['young', 1, 18],
    ]);
  });

  it('shows the node OS channel, or that the cluster settings are not in the input', async () => {
    const body = pool('p', 'Linux', ubuntu('202411.12.0'));
    const securityPatch = cluster({ autoUpgradeProfile: { nodeOSUpgradeChannel: 'SecurityPatch' } });
    expect(planPatches(await onePool(body, undefined, securityPatch), NOW)[0]?.channel).toBe('"SecurityPatch"');
    expect(planPatches(await onePool(body), NOW)[0]?.channel).toBe('NodeImage or Unmanaged (not set; the default)');
    const alone = await snapshotOf({ 'c1/pool.json': body });
    expect(planPatches(alone, NOW)[0]?.channel).toBe('unknown (no cluster settings)');
  });
});

describe('patch plan: maintenance windows', () => {
  const windowOfPlan = async (maintenance: unknown) =>
    planPatches(await snapshot({ 'c1/maintenance.json': maintenance }), NOW)[0]?.window;

  it('maintenance configurations without the node OS schedule: upgrades may start at any time', async () => {
    const window = await windowOfPlan(schedule(SUNDAYS, 'aksManagedAutoUpgradeSchedule'));
    expect(window).toMatchObject({ source: 'none', next: undefined, openNow: true, anyTime: true });
    expect(window?.note).toMatch(/^no aksManagedNodeOSUpgradeSchedule: upgrades may start at any time/);
  });

  it('a schedule that cannot be read plans no window and says why', async () => {
    const { startTime: _, ...unreadable } = SUNDAYS;
    const window = await windowOfPlan(schedule(unreadable));
    expect(window).toMatchObject({ source: 'aksManagedNodeOSUpgradeSchedule', openNow: false, anyTime: false });
    expect(window?.next).toBeUndefined();
    expect(window?.note).toMatch(/maintenance window cannot be read/);
  });

  it('a schedule that has ended has no next window', async () => {
    const window = await windowOfPlan(schedule({ ...SUNDAYS, endDate: '2024-06-30' }));
    expect(window).toMatchObject({ next: undefined, openNow: false, anyTime: false });
    expect(window?.note).toBe('the schedule has no future window');
  });

  it('a window open at the scan time', async () => {
    const daily = { ...SUNDAYS, schedule: { daily: { intervalDays: 1 } }, startTime: '23:00' };
    const window = await windowOfPlan(schedule(daily));
    expect(window?.openNow).toBe(true);
    expect(window?.next?.start.toISOString()).toBe('2024-11-27T23:00:00.000Z');
    expect(window?.next?.end.toISOString()).toBe('2024-11-28T03:00:00.000Z');
  });
});
