import { describe, expect, it } from 'vitest';
import { nodeStatuses } from '../../src/cli/node-status.js';
import { defaultRuleOptions } from '../../src/engine/options.js';
import { runRules } from '../../src/engine/run.js';
import { ruleDomain } from '../../src/model/rule.js';
import { RULES } from '../../src/rules/index.js';
import { readTexts } from '../../src/sources/index.js';
import { list, node } from '../support/kube-fixtures.js';
import { aks, pool } from '../support/rule-tester.js';

const NOW = new Date('2026-11-28T00:00:00Z');
const IMAGE = 'kubernetes.azure.com/node-image-version';
const POOL = 'kubernetes.azure.com/agentpool';

async function statuses(files: Record<string, unknown>) {
  const { snapshot } = await readTexts(
    Object.entries(files).map(([file, value]) => ({ file, text: JSON.stringify(value), named: true })),
  );
  const options = defaultRuleOptions();
  const rules = RULES.filter((r) => ruleDomain(r.meta.id) === 'patching');
  const { findings } = runRules(snapshot, { rules, context: { now: NOW, options }, version: 'test' });
  return nodeStatuses(snapshot, findings, NOW, options);
}

describe('node patch status joined with the Azure settings', () => {
  const cluster = aks({
    autoUpgradeProfile: { nodeOSUpgradeChannel: 'Unmanaged' },
    agentPoolProfiles: [pool(), pool({ name: 'win', mode: 'User', osType: 'Windows' })],
  });
  const nodes = list(
    node('aks-np1-0', {
      [POOL]: 'np1',
      [IMAGE]: 'AKSUbuntu-2204gen2containerd-202611.20.0',
      'kubernetes.io/os': 'linux',
    }),
    node('aks-np1-1', {
      [POOL]: 'np1',
      [IMAGE]: 'AKSUbuntu-2204gen2containerd-202609.01.0',
      'kubernetes.io/os': 'linux',
    }),
    node('akswin000000', {
      [POOL]: 'win',
      [IMAGE]: 'AKSWindows-2022-containerd-20348.2849.241113',
      'kubernetes.io/os': 'windows',
    }),
  );

  it('attributes cluster, pool and node findings to the nodes that break them; worst (most problems, then oldest image) first', async () => {
    const rows = await statuses({ 'prod/cluster.json': cluster, 'prod/nodes.json': nodes });
    expect(rows.map((r) => [r.node, r.coordinator, r.problems])).toEqual([
      ['akswin000000', 'none', ['patching/windows-node-image-outdated', 'patching/windows-pool-not-auto-patched']],
      ['aks-np1-1', 'none', ['patching/node-image-outdated', 'patching/reboot-coordinator-missing']],
      ['aks-np1-0', 'none', ['patching/reboot-coordinator-missing']],
    ]);
    expect(rows[1]).toMatchObject({ cluster: 'aks1', pool: 'np1', os: 'linux', imageAgeDays: 88, ready: null });
  });
});
