import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/patching/reboot-coordinator-missing.js';
import { runMain } from '../support/cli.js';
import { list } from '../support/kube-fixtures.js';
import { aks, findingsOf, pool } from '../support/rule-tester.js';

const unmanaged = aks({ agentPoolProfiles: [pool()], autoUpgradeProfile: { nodeOSUpgradeChannel: 'Unmanaged' } });
const node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'aks-nodepool1-12345678-vmss000000',
    labels: { 'kubernetes.azure.com/agentpool': 'nodepool1', 'kubernetes.io/os': 'linux' },
  },
  status: { nodeInfo: { osImage: 'Ubuntu 22.04.5 LTS', kernelVersion: '5.15.0-1074-azure' } },
};

describe('the scanner recognises the deployed daemon (patching/reboot-coordinator-missing)', () => {
  it('Unmanaged with the generated manifests: no finding; with the node alone: the finding', async () => {
    const manifests = (await runMain(['deploy', 'reboot-daemon', '--reboot-method=signal'])).stdout;
    const withDaemon = await findingsOf(rule, {
      name: 'deployed',
      files: true,
      input: { 'cluster.json': unmanaged, 'nodes.json': list(node), 'reboot-daemon.yaml': manifests },
    });
    expect(withDaemon).toEqual([]);
    const without = await findingsOf(rule, {
      name: 'not deployed',
      files: true,
      input: { 'cluster.json': unmanaged, 'nodes.json': list(node) },
    });
    expect(without.map((f) => f.ruleId)).toEqual(['patching/reboot-coordinator-missing']);
  });

  it('recognises it by the label alone (another image, any namespace)', async () => {
    const manifests = (
      await runMain(['deploy', 'reboot-daemon', '--image=registry.example.com/rebooter:1', '--namespace=ops'])
    ).stdout;
    const findings = await findingsOf(rule, {
      name: 'mirror',
      files: true,
      input: { 'cluster.json': unmanaged, 'nodes.json': list(node), 'reboot-daemon.yaml': manifests },
    });
    expect(findings).toEqual([]);
  });
});
