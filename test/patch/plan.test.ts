import { describe, expect, it } from 'vitest';
import { planPatches, releasesBehind } from '../../src/patch/plan.js';
import { parseWindowFlag } from '../../src/patch/window.js';
import { readTexts } from '../../src/sources/index.js';

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

async function snapshot(extra: Record<string, unknown> = {}) {
  const files = {
    'c1/cluster.json': {
      id: clusterId,
      name: 'c1',
      type: 'Microsoft.ContainerService/managedClusters',
      properties: { kubernetesVersion: '1.31.2', agentPoolProfiles: [] },
    },
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
  };
  const texts = Object.entries(files).map(([file, body]) => ({ file, text: JSON.stringify(body), named: true }));
  return (await readTexts(texts)).snapshot;
}

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
    const maintenance = {
      value: [
        {
          id: `${clusterId}/maintenanceConfigurations/aksManagedNodeOSUpgradeSchedule`,
          name: 'aksManagedNodeOSUpgradeSchedule',
          properties: {
            maintenanceWindow: {
              schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Sunday' } },
              durationHours: 4,
              startTime: '01:00',
              utcOffset: '+00:00',
            },
          },
        },
      ],
    };
    const [first] = planPatches(await snapshot({ 'c1/maintenance.json': maintenance }), NOW);
    expect(first?.window.source).toBe('aksManagedNodeOSUpgradeSchedule');
    expect(first?.window.next?.start.toISOString()).toBe('2024-12-01T01:00:00.000Z');
    expect(first?.window.openNow).toBe(false);

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
