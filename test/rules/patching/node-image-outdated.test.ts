import rule from '../../../src/rules/patching/node-image-outdated.js';
import { agentPool, azShow, param, poolUpgradeProfile, template } from '../../support/arm-fixtures.js';
import { aks, pool, testRule } from '../../support/rule-tester.js';

/** Scan time 2026-11-28 (the tester's default); the age limit is 30 days. */
const IMAGE = 'properties.agentPoolProfiles[0].nodeImageVersion';
const ubuntu = (build: string) => `AKSUbuntu-2204gen2containerd-${build}`;
const withImage = (nodeImageVersion: unknown, overrides: Record<string, unknown> = {}) =>
  aks({ agentPoolProfiles: [pool({ nodeImageVersion, ...overrides })] });

testRule(rule, {
  valid: [
    { name: 'built 8 days ago', input: withImage(ubuntu('202611.20.0')) },
    { name: 'exactly 30 days old is not older than 30 days', input: withImage(ubuntu('202610.29.0')) },
    { name: 'the older date format, recent', input: withImage('AKSUbuntu-1804gen2containerd-2026.11.15') },
    { name: 'Azure Linux image', input: withImage('AKSAzureLinux-V3gen2-202611.18.0') },
    {
      name: 'old by date but the upgrade profile says it is the latest',
      files: true,
      input: {
        'cluster.json': withImage(ubuntu('202609.01.0')),
        'upgrades.json': poolUpgradeProfile('np1', ubuntu('202609.01.0')),
      },
    },
    {
      name: 'Windows pools are the other rule',
      input: withImage('AKSWindows-2022-containerd-20348.2700.240911', { osType: 'Windows' }),
    },
    { name: 'no image version (templates never have one)', input: template({ agentPoolProfiles: [pool()] }) },
    {
      name: 'null and empty string give no finding',
      input: aks({ agentPoolProfiles: [pool({ nodeImageVersion: null }), pool({ name: 'p2', nodeImageVersion: '' })] }),
    },
    { name: 'an image version without a date gives no finding', input: withImage('custom-image-v1') },
    {
      name: 'a larger configured age limit',
      input: withImage(ubuntu('202610.01.0')),
      options: { nodeImageMaxAgeDays: 60 },
    },
    { name: 'az casing', input: azShow({ agentPoolProfiles: [pool({ NodeImageVersion: ubuntu('202611.20.0') })] }) },
    {
      name: 'image version from a parameter without default: images are read from live pools and nodes only',
      input: template({ agentPoolProfiles: [pool({ nodeImageVersion: param('image') })] }, { parameters: ['image'] }),
    },
  ],
  invalid: [
    {
      name: 'built 58 days before the scan',
      input: withImage(ubuntu('202610.01.0')),
      errors: [
        {
          resource: 'AgentPool/np1',
          path: IMAGE,
          message: /built 2026-10-01 \(58 days before 2026-11-28; images older than 30 days/,
        },
      ],
    },
    {
      name: 'the older date format (…-YYYY.MM.DD)',
      input: withImage('AKSUbuntu-1804gen2containerd-2026.08.01'),
      errors: [{ resource: 'AgentPool/np1', path: IMAGE, message: /built 2026-08-01/ }],
    },
    {
      name: 'time decides: recent on 2026-11-28 is outdated on 2027-01-15',
      input: withImage(ubuntu('202611.20.0')),
      now: '2027-01-15T00:00:00Z',
      errors: [{ resource: 'AgentPool/np1', path: IMAGE, message: /56 days before 2027-01-15/ }],
    },
    {
      name: 'a smaller configured age limit',
      input: withImage(ubuntu('202611.20.0')),
      options: { nodeImageMaxAgeDays: 7 },
      errors: [{ resource: 'AgentPool/np1', path: IMAGE, message: /older than 7 days/ }],
    },
    {
      name: 'behind the upgrade profile, though only days old (same date, lower patch)',
      files: true,
      input: {
        'cluster.json': withImage(ubuntu('202611.20.0')),
        'upgrades.json': poolUpgradeProfile('np1', ubuntu('202611.20.1')),
      },
      errors: [{ resource: 'AgentPool/np1', path: IMAGE, message: /202611\.20\.1 is available/ }],
    },
    {
      name: 'one finding per outdated pool',
      input: aks({
        agentPoolProfiles: [
          pool({ nodeImageVersion: ubuntu('202611.20.0') }),
          pool({ name: 'user1', mode: 'User', nodeImageVersion: ubuntu('202607.02.0') }),
        ],
      }),
      errors: [{ resource: 'AgentPool/user1', path: 'properties.agentPoolProfiles[1].nodeImageVersion' }],
    },
    {
      name: 'a separate agent pool (az aks nodepool show) without its cluster',
      input: agentPool('np2', { osType: 'Linux', mode: 'User', nodeImageVersion: ubuntu('202609.20.0') }),
      errors: [{ resource: 'AgentPool/np2', path: 'properties.nodeImageVersion', message: /69 days/ }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ agentPoolProfiles: [pool({ nodeImageVersion: ubuntu('202608.10.0') })] }),
      errors: [{ resource: 'AgentPool/np1', path: 'agentPoolProfiles[0].nodeImageVersion' }],
    },
  ],
});
