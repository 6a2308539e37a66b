import { describe, expect, it } from 'vitest';
import { readTexts } from '../../src/sources/index.js';

const ID = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters';

const load = (files: Record<string, unknown>) =>
  readTexts(
    Object.entries(files).map(([file, value]) => ({ file, text: JSON.stringify(value, null, 2), named: true })),
  );

const azCluster = (name: string, pools: string[] = ['np1']) => ({
  id: `${ID}/${name}`,
  name,
  type: 'Microsoft.ContainerService/ManagedClusters',
  enableRbac: true,
  agentPoolProfiles: pools.map((p) => ({
    name: p,
    mode: 'System',
    osType: 'Linux',
    nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202611.10.0',
  })),
});

describe('arm source', () => {
  it('reads az aks show without a properties wrapper, pools embedded', async () => {
    const { snapshot } = await load({ 'c.json': azCluster('c1', ['a', 'b']) });
    const [cluster] = snapshot.clusters;
    expect(cluster?.target).toEqual({ id: `${ID}/c1`, kind: 'aks-cluster', name: 'c1', source: 'c.json' });
    expect(cluster?.pools.map((p) => p.name)).toEqual(['a', 'b']);
    expect(cluster?.settings?.get('enableRBAC').value).toBe(true);
    expect(cluster?.pools[1]?.settings.get('osType').path).toEqual(['agentPoolProfiles', 1, 'osType']);
  });

  it('reads az aks list arrays and ARM list responses as one target per cluster', async () => {
    const { snapshot } = await load({
      'list.json': [azCluster('c1'), azCluster('c2')],
      'arm.json': { value: [{ ...azCluster('c3') }] },
    });
    expect(snapshot.targets.map((t) => t.name).sort()).toEqual(['c1', 'c2', 'c3']);
  });

  it('joins nodepool lists, upgrade profiles and maintenance configurations next to their cluster', async () => {
    const { snapshot } = await load({
      'dir/cluster.json': azCluster('c1', ['np1']),
      'dir/pools.json': [
        {
          id: `${ID}/c1/agentPools/np1`,
          name: 'np1',
          type: 'Microsoft.ContainerService/managedClusters/agentPools',
          osType: 'Linux',
          enableEncryptionAtHost: true,
        },
        {
          id: `${ID}/c1/agentPools/win`,
          name: 'win',
          type: 'Microsoft.ContainerService/managedClusters/agentPools',
          osType: 'Windows',
        },
      ],
      'dir/win.upgrades.json': {
        id: `${ID}/c1/agentPools/win/upgradeProfiles/default`,
        type: 'Microsoft.ContainerService/managedClusters/agentPools/upgradeProfiles',
        latestNodeImageVersion: 'AKSWindows-2022-containerd-20348.4460.261111',
      },
      'dir/maintenance.json': [
        {
          id: `${ID}/c1/maintenanceConfigurations/aksManagedNodeOSUpgradeSchedule`,
          name: 'aksManagedNodeOSUpgradeSchedule',
          maintenanceWindow: {},
        },
      ],
      'other/cluster.json': azCluster('c1'),
    });
    const joined = snapshot.clusters.find((c) => c.target.source === 'dir/cluster.json');
    expect(joined?.pools.map((p) => p.name)).toEqual(['np1', 'win']);
    expect(joined?.pools[0]?.settings.get('enableEncryptionAtHost').value).toBe(true);
    expect(joined?.pools[1]?.upgradeProfile?.get('latestNodeImageVersion').text).toMatch(/^AKSWindows/);
    expect(joined?.maintenanceConfigurations?.map((m) => m.name)).toEqual(['aksManagedNodeOSUpgradeSchedule']);
    const other = snapshot.clusters.find((c) => c.target.source === 'other/cluster.json');
    expect(other?.maintenanceConfigurations).toBeUndefined();
    expect(new Set(snapshot.targets.map((t) => t.id)).size).toBe(2);
  });

  it('keeps a pool whose cluster is not in the input as a target of its own', async () => {
    const { snapshot } = await load({
      'pool.json': {
        id: `${ID}/far/agentPools/np9`,
        name: 'np9',
        type: 'Microsoft.ContainerService/managedClusters/agentPools',
        properties: { osType: 'Linux' },
      },
    });
    expect(snapshot.clusters).toHaveLength(1);
    expect(snapshot.clusters[0]?.settings).toBeUndefined();
    expect(snapshot.clusters[0]?.name).toBe('far');
    expect(snapshot.clusters[0]?.pools[0]?.settings.get('osType').path).toEqual(['properties', 'osType']);
  });

  it('a pool body that names no cluster is judged alone, named by the pool, never "(cluster not named)"', async () => {
    const { snapshot } = await load({
      'np.json': { name: 'spot', properties: { vmSize: 'Standard_D4s_v5', mode: 'User' } },
    });
    expect(snapshot.clusters.map((c) => [c.name, c.unresolvedName, c.pools.map((p) => p.name)])).toEqual([
      ['spot', true, ['spot']],
    ]);
  });

  it('reads REST API example files: the response body, with the API version', async () => {
    const { snapshot } = await load({
      'ex.json': {
        parameters: { 'api-version': '2026-08-01', resourceName: 'clustername1', parameters: { properties: {} } },
        responses: {
          '200': {
            body: {
              name: 'clustername1',
              type: 'Microsoft.ContainerService/managedClusters',
              properties: { agentPoolProfiles: [] },
            },
          },
        },
      },
    });
    expect(snapshot.clusters[0]?.apiVersion).toBe('2026-08-01');
    expect(snapshot.clusters[0]?.settings?.path).toEqual(['responses', '200', 'body', 'properties']);
  });

  it('gives clusters with the same name in one folder separate, stable ids', async () => {
    const { snapshot } = await load({ 'a.json': azCluster('same'), 'b.json': azCluster('same') });
    expect(snapshot.targets.map((t) => t.id)).toEqual(['a.json#same', 'b.json#same']);
  });
});

describe('ARM template source', () => {
  const template = (resources: unknown[], extra: Record<string, unknown> = {}) => ({
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    ...extra,
    resources,
  });

  it('resolves parameters and variables, and keeps deployment-time values unknown', async () => {
    const { snapshot } = await load({
      't.json': template(
        [
          {
            type: 'Microsoft.ContainerService/managedClusters',
            apiVersion: '2024-05-01',
            name: "[parameters('name')]",
            properties: {
              enableRBAC: "[variables('rbac')]",
              dnsPrefix: "[format('{0}-dns', parameters('name'))]",
              nodeResourceGroup: "[concat(resourceGroup().name, '-nodes')]",
              kubernetesVersion: "[if(equals(parameters('channel'), 'lts'), '1.30', parameters('version'))]",
              apiServerAccessProfile: { authorizedIPRanges: ["[parameters('ip')]"] },
              disableLocalAccounts: '[[not an expression]',
            },
          },
        ],
        {
          parameters: {
            name: { type: 'string', defaultValue: 'aks-prod' },
            channel: { type: 'string', defaultValue: 'stable' },
            version: { type: 'string', defaultValue: '1.35.1' },
            ip: { type: 'string' },
          },
          variables: { rbac: "[not(equals(parameters('channel'), 'none'))]" },
        },
      ),
    });
    const settings = snapshot.clusters[0]?.settings;
    expect(snapshot.clusters[0]?.name).toBe('aks-prod');
    expect(snapshot.clusters[0]?.apiVersion).toBe('2024-05-01');
    expect(snapshot.clusters[0]?.description).toBe('iac');
    expect(snapshot.clusters[0]?.maintenanceConfigurations).toEqual([]);
    expect(settings?.get('enableRBAC').value).toBe(true);
    expect(settings?.get('dnsPrefix').value).toBe('aks-prod-dns');
    expect(settings?.get('kubernetesVersion').value).toBe('1.35.1');
    expect(settings?.get('nodeResourceGroup').unresolved?.reason).toMatch(
      /resourceGroup\(\) is known only at deployment time/,
    );
    expect(settings?.get('apiServerAccessProfile.authorizedIPRanges').unresolved?.reason).toMatch(
      /parameter 'ip' has no default/,
    );
    expect(settings?.get('disableLocalAccounts').value).toBe('[not an expression]');
  });

  it('finds clusters in nested deployments (inner scope), child pools and maintenance configurations', async () => {
    const { snapshot } = await load({
      't.json': template(
        [
          {
            type: 'Microsoft.Resources/deployments',
            name: 'aks',
            properties: {
              expressionEvaluationOptions: { scope: 'inner' },
              parameters: { clusterName: { value: "[parameters('outerName')]" } },
              template: template(
                [
                  {
                    type: 'Microsoft.ContainerService/managedClusters',
                    name: "[parameters('clusterName')]",
                    properties: { agentPoolProfiles: [{ name: 'sys', mode: 'System' }] },
                    resources: [{ type: 'agentPools', name: 'user', properties: { mode: 'User' } }],
                  },
                  {
                    type: 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations',
                    name: "[format('{0}/aksManagedNodeOSUpgradeSchedule', parameters('clusterName'))]",
                    properties: {},
                  },
                ],
                { parameters: { clusterName: { type: 'string' } } },
              ),
            },
          },
          { type: 'Microsoft.ContainerService/managedClusters', name: 'skipped', condition: false, properties: {} },
        ],
        { parameters: { outerName: { type: 'string', defaultValue: 'inner-aks' } } },
      ),
    });
    expect(snapshot.clusters.map((c) => c.name)).toEqual(['inner-aks']);
    const [cluster] = snapshot.clusters;
    expect(cluster?.pools.map((p) => p.name)).toEqual(['sys', 'user']);
    expect(cluster?.maintenanceConfigurations?.map((m) => m.name)).toEqual(['aksManagedNodeOSUpgradeSchedule']);
    expect(cluster?.settings?.path).toEqual(['resources', 0, 'properties', 'template', 'resources', 0, 'properties']);
  });

  it('reads languageVersion 2.0 templates with symbolic resource names', async () => {
    const { snapshot } = await load({
      't.json': {
        ...template([]),
        languageVersion: '2.0',
        resources: { aks: { type: 'Microsoft.ContainerService/managedClusters', name: 'sym', properties: {} } },
      },
    });
    expect(snapshot.clusters[0]?.settings?.path).toEqual(['resources', 'aks', 'properties']);
  });
});
