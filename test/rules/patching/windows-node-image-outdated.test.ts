import rule from '../../../src/rules/patching/windows-node-image-outdated.js';
import { agentPool, azShow, poolUpgradeProfile } from '../../support/arm-fixtures.js';
import { aks, pool, testRule } from '../../support/rule-tester.js';

/**
 * Scan time 2026-11-28: the last Patch Tuesday at least 14 days earlier is 2026-11-10 (second Tuesday of
 * November). On 2026-11-23 it is still 2026-10-13: November's release is not yet 14 days old.
 */
const win2022 = (built: string) => `AKSWindows-2022-containerd-20348.2849.${built}`;
const windowsPool = (nodeImageVersion: unknown, overrides: Record<string, unknown> = {}) =>
  aks({
    agentPoolProfiles: [
      pool(),
      pool({ name: 'win1', mode: 'User', osType: 'Windows', nodeImageVersion, ...overrides }),
    ],
  });
const WIN_IMAGE = 'properties.agentPoolProfiles[1].nodeImageVersion';

testRule(rule, {
  valid: [
    { name: 'built the day after the due Patch Tuesday', input: windowsPool(win2022('261111')) },
    { name: 'built on the Patch Tuesday itself', input: windowsPool(win2022('261110')) },
    {
      name: 'before 2026-11-24 the November release is not due yet',
      input: windowsPool(win2022('261014')),
      now: '2026-11-23T00:00:00Z',
    },
    {
      name: 'behind by date, but the upgrade profile names it the latest',
      files: true,
      input: {
        'cluster.json': windowsPool(win2022('261014')),
        'upgrades.json': poolUpgradeProfile('win1', win2022('261014')),
      },
    },
    {
      name: 'Linux pools are the other rule',
      input: aks({ agentPoolProfiles: [pool({ nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202601.01.0' })] }),
    },
    { name: 'no image version', input: windowsPool(null) },
    { name: 'an image version without a build date', input: windowsPool('AKSWindows-custom') },
    {
      name: 'az casing',
      input: azShow({
        agentPoolProfiles: [pool({ name: 'win1', osType: 'Windows', NodeImageVersion: win2022('261118') })],
      }),
    },
  ],
  invalid: [
    {
      name: 'built the day before the due Patch Tuesday',
      input: windowsPool(win2022('261109')),
      errors: [
        {
          resource: 'AgentPool/win1',
          path: WIN_IMAGE,
          message: /built 2026-11-09, before the 2026-11-10 Patch Tuesday release/,
        },
      ],
    },
    {
      name: 'time decides: the October image is behind once November is due',
      input: windowsPool(win2022('261014')),
      errors: [{ resource: 'AgentPool/win1', path: WIN_IMAGE, message: /2026-11-10 Patch Tuesday/ }],
    },
    {
      name: 'on 2026-11-23 an image from before October 13 is behind',
      input: windowsPool(win2022('261012')),
      now: '2026-11-23T00:00:00Z',
      errors: [{ resource: 'AgentPool/win1', path: WIN_IMAGE, message: /2026-10-13 Patch Tuesday/ }],
    },
    {
      name: 'Windows Server 2019 images, a year behind',
      input: windowsPool('AKSWindows-2019-containerd-17763.6293.250910'),
      errors: [{ resource: 'AgentPool/win1', path: WIN_IMAGE, message: /built 2025-09-10/ }],
    },
    {
      name: 'behind the upgrade profile, though built after the due Patch Tuesday',
      files: true,
      input: {
        'cluster.json': windowsPool(win2022('261111')),
        'upgrades.json': poolUpgradeProfile('win1', win2022('261118')),
      },
      errors: [{ resource: 'AgentPool/win1', path: WIN_IMAGE, message: /261118 is available/ }],
    },
    {
      name: 'a separate Windows agent pool without its cluster',
      input: agentPool('win2', { osType: 'Windows', mode: 'User', nodeImageVersion: win2022('260812') }),
      errors: [{ resource: 'AgentPool/win2', path: 'properties.nodeImageVersion' }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({
        agentPoolProfiles: [pool({ name: 'win1', osType: 'Windows', nodeImageVersion: win2022('260909') })],
      }),
      errors: [{ resource: 'AgentPool/win1', path: 'agentPoolProfiles[0].nodeImageVersion' }],
    },
  ],
});
