import { describe, expect, it } from 'vitest';
import { coordinatorState, nodeStatuses } from '../../src/cli/node-status.js';
import { defaultRuleOptions } from '../../src/engine/options.js';
import { runRules } from '../../src/engine/run.js';
import type { Finding } from '../../src/model/finding.js';
import { kubernetesObjects } from '../../src/model/kubernetes.js';
import { ruleDomain } from '../../src/model/rule.js';
import { RULES } from '../../src/rules/index.js';
import { readTexts } from '../../src/sources/index.js';
import { container, daemonSet, list, node, podSpec } from '../support/kube-fixtures.js';
import { aks, pool } from '../support/rule-tester.js';

const NOW = new Date('2026-11-28T00:00:00Z');
const IMAGE = 'kubernetes.azure.com/node-image-version';
const POOL = 'kubernetes.azure.com/agentpool';

const snapshotOf = async (files: Record<string, unknown>) =>
  (await readTexts(Object.entries(files).map(([file, value]) => ({ file, text: JSON.stringify(value), named: true }))))
    .snapshot;

/** The node rows of a scan of `files` with the patching rules; `adjust` changes their findings first. */
async function statuses(files: Record<string, unknown>, adjust = (findings: Finding[]) => findings) {
  const snapshot = await snapshotOf(files);
  const options = defaultRuleOptions();
  const rules = RULES.filter((r) => ruleDomain(r.meta.id) === 'patching');
  const { findings } = runRules(snapshot, { rules, context: { now: NOW, options }, version: 'test' });
  return nodeStatuses(snapshot, adjust([...findings]), NOW, options);
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

describe('what a node row says of the Node object', () => {
  const ready = (status: string) => ({ type: 'Ready', status, lastTransitionTime: '2026-11-01T00:00:00Z' });

  it('reads pool, OS, image and its age, kubelet, readiness, cordon and a pending reboot', async () => {
    const cordoned = {
      ...node(
        'aks-np1-0',
        { [POOL]: 'np1', [IMAGE]: 'AKSUbuntu-2204gen2containerd-202611.20.0', 'kubernetes.io/os': 'linux' },
        {
          annotations: { 'aksguard.io/reboot-required-since': '2026-11-27T06:00:00Z' },
          status: { nodeInfo: { kubeletVersion: 'v1.34.3' }, conditions: [ready('True')] },
        },
      ),
      spec: { unschedulable: true },
    };
    const [row] = await statuses({ 'nodes.json': list(cordoned) });
    expect(row).toEqual({
      cluster: expect.any(String),
      target: expect.any(String),
      node: 'aks-np1-0',
      pool: 'np1',
      os: 'linux',
      image: 'AKSUbuntu-2204gen2containerd-202611.20.0',
      imageAgeDays: 8,
      kubelet: 'v1.34.3',
      ready: true,
      cordoned: true,
      rebootRequiredSince: '2026-11-27T06:00:00.000Z',
      coordinator: 'none',
      problems: [],
    });
  });

  it('leaves what the node does not say null: no labels, no status; the OS from the kubelet when unlabelled', async () => {
    const bare = node('bare', {});
    const reported = node(
      'reported',
      {},
      { status: { nodeInfo: { operatingSystem: 'Windows' }, conditions: [ready('False')] } },
    );
    const rows = await statuses({ 'nodes.json': list(bare, reported) });
    expect(rows.find((r) => r.node === 'bare')).toMatchObject({
      pool: null,
      os: null,
      image: null,
      imageAgeDays: null,
      kubelet: null,
      ready: null,
      cordoned: false,
      rebootRequiredSince: null,
    });
    expect(rows.find((r) => r.node === 'reported')).toMatchObject({ os: 'windows', ready: false });
  });

  it("counts kured's annotation as a pending reboot, and gives the node the pending-reboot finding", async () => {
    const waiting = node(
      'aks-np1-0',
      { [POOL]: 'np1' },
      {
        annotations: { 'weave.works/kured-reboot-in-progress': '2026-11-20T00:00:00Z' },
      },
    );
    const [row] = await statuses({ 'nodes.json': list(waiting, node('aks-np1-1', { [POOL]: 'np1' })) });
    expect(row).toMatchObject({
      node: 'aks-np1-0',
      rebootRequiredSince: '2026-11-20T00:00:00.000Z',
      problems: ['patching/nodes-pending-reboot'],
    });
  });
});

describe('which findings a node breaks', () => {
  const cluster = aks({
    autoUpgradeProfile: { nodeOSUpgradeChannel: 'NodeImage' },
    agentPoolProfiles: [pool()],
  });
  const latest = 'AKSUbuntu-2204gen2containerd-202611.20.0';
  const upgrades = {
    id: '/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1/agentPools/np1/upgradeProfiles/default',
    type: 'Microsoft.ContainerService/managedClusters/agentPools/upgradeProfiles',
    properties: { osType: 'Linux', latestNodeImageVersion: latest },
  };
  const nodes = list(
    node('aks-np1-0', { [POOL]: 'np1', [IMAGE]: latest, 'kubernetes.io/os': 'linux' }),
    node('aks-np1-1', {
      [POOL]: 'np1',
      [IMAGE]: 'AKSUbuntu-2204gen2containerd-202611.10.0',
      'kubernetes.io/os': 'linux',
    }),
  );

  it("a pool's image finding goes only to the nodes behind the upgrade profile's latest image", async () => {
    const rows = await statuses({ 'c/cluster.json': cluster, 'c/nodes.json': nodes, 'c/upgrades.json': upgrades });
    expect(rows.map((r) => [r.node, r.problems])).toEqual([
      ['aks-np1-1', ['patching/node-image-outdated']],
      ['aks-np1-0', []],
    ]);
  });

  it('undecided and suppressed findings break nothing', async () => {
    // maintenance-window-missing is undecided here: the input has no maintenance configurations.
    const rows = await statuses(
      { 'c/cluster.json': cluster, 'c/nodes.json': nodes, 'c/upgrades.json': upgrades },
      (findings) => {
        expect(findings.some((f) => f.ruleId === 'patching/maintenance-window-missing' && f.unknown)).toBe(true);
        return findings.map((f) => ({ ...f, suppressed: { by: 'config' as const, reason: 'accepted' } }));
      },
    );
    expect(rows.every((r) => r.problems.length === 0)).toBe(true);
  });

  it('a cluster without Kubernetes objects has no node rows', async () => {
    expect(await statuses({ 'c/cluster.json': cluster })).toEqual([]);
  });
});

describe('node rows, worst first', () => {
  it('most problems, then the longest wait for a reboot, then the oldest image, then not ready, then by name', async () => {
    const linux = (name: string, image: string, extra: Parameters<typeof node>[2] = {}) =>
      node(name, { [POOL]: 'np1', [IMAGE]: `AKSUbuntu-2204gen2containerd-${image}` }, extra);
    const since = (time: string) => ({ annotations: { 'aksguard.io/reboot-required-since': time } });
    const notReady = { status: { conditions: [{ type: 'Ready', status: 'False' }] } };
    const isReady = { status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    const rows = await statuses({
      'nodes.json': list(
        linux('b-fresh', '202611.20.0', isReady),
        linux('waited-less', '202611.20.0', since('2026-11-27T20:00:00Z')),
        linux('old-image', '202611.01.0'),
        linux('a-fresh', '202611.20.0', isReady),
        linux('not-ready', '202611.20.0', notReady),
        linux('waited-more', '202611.20.0', since('2026-11-27T10:00:00Z')),
        linux('overdue', '202611.20.0', since('2026-11-20T00:00:00Z')),
      ),
    });
    expect(rows.map((r) => r.node)).toEqual([
      'overdue',
      'waited-more',
      'waited-less',
      'old-image',
      'not-ready',
      'a-fresh',
      'b-fresh',
    ]);
    expect(rows[0]?.problems).toEqual(['patching/nodes-pending-reboot']);
  });
});

describe('the reboot coordinator of a cluster', () => {
  const kured = daemonSet(
    'reboots',
    podSpec({ containers: [container('k', {}, { image: 'ghcr.io/kubereboot/kured:1.17.1' })] }),
    'kube-system',
  );
  const ours = daemonSet(
    'aksguard-reboot-daemon',
    podSpec({
      containers: [container('d', {}, { image: 'registry.example.org/team/aksguard:0.1.0', args: ['reboot-daemon'] })],
    }),
    'kube-system',
  );
  const proxy = daemonSet('kube-proxy', podSpec(), 'kube-system');

  /** The cluster's objects, as read from manifests or, with `live`, from a running cluster. */
  async function objects(items: Record<string, unknown>[], live = false) {
    const kubernetes = (await snapshotOf({ 'k8s.json': list(...items) })).clusters[0]?.kubernetes;
    if (!kubernetes) throw new Error('no Kubernetes objects read');
    return kubernetesObjects(kubernetes.objects, live);
  }

  it('names kured (by image) or aksguard, and none without either', async () => {
    expect(coordinatorState(await objects([proxy, kured]))).toBe('kured');
    expect(coordinatorState(await objects([proxy, ours]))).toBe('aksguard');
    expect(coordinatorState(await objects([proxy]))).toBe('none');
  });

  it('a coordinator without a ready pod is not ready: live, or in manifests whose status says so', async () => {
    expect(coordinatorState(await objects([{ ...kured, status: { numberReady: 0 } }], true))).toBe('not ready');
    expect(coordinatorState(await objects([kured], true))).toBe('not ready');
    expect(coordinatorState(await objects([{ ...kured, status: { numberReady: 2 } }], true))).toBe('kured');
    expect(coordinatorState(await objects([{ ...kured, status: { numberReady: 0 } }]))).toBe('not ready');
    expect(coordinatorState(await objects([kured]))).toBe('kured');
  });
});
