import { describe, expect, it } from 'vitest';
import { defaultRuleOptions } from '../../src/engine/options.js';
import { runRules } from '../../src/engine/run.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { RULES } from '../../src/rules/index.js';
import { readTexts } from '../../src/sources/index.js';

/**
 * ARM templates shaped like the real ones: Bicep builds that use Azure Verified Modules (languageVersion 2.0,
 * symbolic names, `existing` clusters inside nested deployments, copy loops over pool lists) and landing zones
 * that pass names down through nested deployments and read them back through `reference()`.
 */

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const CLUSTER = 'Microsoft.ContainerService/managedClusters';
const POOL = 'Microsoft.ContainerService/managedClusters/agentPools';
const DEPLOYMENT = 'Microsoft.Resources/deployments';

type Body = Record<string, unknown>;
const template = (resources: Body[] | Record<string, Body>, extra: Body = {}): Body => ({
  $schema: SCHEMA,
  contentVersion: '1.0.0.0',
  ...extra,
  resources,
});
const nested = (name: string, parameters: Body, inner: Body, extra: Body = {}): Body => ({
  type: DEPLOYMENT,
  apiVersion: '2022-09-01',
  name,
  properties: { expressionEvaluationOptions: { scope: 'inner' }, mode: 'Incremental', parameters, template: inner },
  ...extra,
});

const load = async (value: Body, file = 'main.json') =>
  (await readTexts([{ file, text: JSON.stringify(value, null, 2), named: true }])).snapshot;

const findings = (snapshot: Snapshot) =>
  runRules(snapshot, {
    rules: RULES,
    context: { now: new Date('2026-11-28T00:00:00Z'), options: defaultRuleOptions() },
    version: 'test',
  }).findings;

/** The agent-pool child module of an AVM-style cluster module: an `existing` cluster and one pool. */
const poolModule = template(
  {
    managedCluster: {
      existing: true,
      type: CLUSTER,
      apiVersion: '2024-09-01',
      name: "[parameters('managedClusterName')]",
    },
    agentPool: {
      type: POOL,
      apiVersion: '2024-09-01',
      name: "[format('{0}/{1}', parameters('managedClusterName'), parameters('name'))]",
      properties: { mode: 'User', osType: 'Linux', enableEncryptionAtHost: "[parameters('enableEncryptionAtHost')]" },
      dependsOn: ['managedCluster'],
    },
  },
  {
    languageVersion: '2.0',
    parameters: {
      managedClusterName: { type: 'string' },
      name: { type: 'string' },
      enableEncryptionAtHost: { type: 'bool', defaultValue: false },
    },
  },
);

/** An AVM-style cluster module: the cluster, pools by a copy loop over a parameter, maintenance by a nullable one. */
const clusterModule = (agentPools: unknown[]) =>
  template(
    {
      managedCluster: {
        type: CLUSTER,
        apiVersion: '2024-09-01',
        name: "[parameters('name')]",
        properties: {
          agentPoolProfiles: [{ name: 'system', mode: 'System', osType: 'Linux' }],
          networkProfile: {
            networkPlugin: 'azure',
            networkDataplane: "[parameters('networkDataplane')]",
            networkPolicy: "[parameters('networkPolicy')]",
          },
          apiServerAccessProfile: "[parameters('apiServerAccessProfile')]",
        },
      },
      managedCluster_agentPools: {
        ...nested(
          "[format('{0}-pool-{1}', uniqueString(deployment().name), copyIndex())]",
          {
            managedClusterName: { value: "[parameters('name')]" },
            name: { value: "[parameters('agentPools')[copyIndex()].name]" },
            enableEncryptionAtHost: {
              value: "[tryGet(parameters('agentPools')[copyIndex()], 'enableEncryptionAtHost')]",
            },
          },
          poolModule,
        ),
        copy: {
          name: 'managedCluster_agentPools',
          count: "[length(coalesce(parameters('agentPools'), createArray()))]",
        },
        dependsOn: ['managedCluster'],
      },
      managedCluster_maintenanceConfigurations: {
        ...nested(
          "[format('{0}-maint-{1}', uniqueString(deployment().name), copyIndex())]",
          { managedClusterName: { value: "[parameters('name')]" } },
          template(
            {
              managedCluster: { existing: true, type: CLUSTER, name: "[parameters('managedClusterName')]" },
              config: {
                type: `${CLUSTER}/maintenanceConfigurations`,
                name: "[format('{0}/aksManagedNodeOSUpgradeSchedule', parameters('managedClusterName'))]",
                properties: {},
              },
            },
            { languageVersion: '2.0', parameters: { managedClusterName: { type: 'string' } } },
          ),
        ),
        copy: {
          name: 'managedCluster_maintenanceConfigurations',
          count: "[length(coalesce(parameters('maintenanceConfigurations'), createArray()))]",
        },
      },
    },
    {
      languageVersion: '2.0',
      definitions: { lockType: { type: 'object', nullable: true, properties: {} } },
      parameters: {
        name: { type: 'string', metadata: { description: 'Required. The name of the AKS cluster.' } },
        agentPools: { type: 'array', defaultValue: agentPools },
        maintenanceConfigurations: { type: 'array', nullable: true },
        networkDataplane: { type: 'string', nullable: true },
        networkPolicy: { type: 'string', nullable: true },
        apiServerAccessProfile: { $ref: '#/definitions/lockType' },
      },
    },
  );

describe('Bicep builds with Azure Verified Modules (existing clusters in nested deployments)', () => {
  it('one declared cluster is one target: existing references are not clusters, no "(cluster not named)"', async () => {
    const snapshot = await load(clusterModule([{ name: 'user1' }, { name: 'user2', enableEncryptionAtHost: true }]));
    expect(snapshot.targets.map((t) => t.name)).toEqual(['managedCluster']);
    const [cluster] = snapshot.clusters;
    expect(cluster?.unresolvedName).toBe(true);
    expect(cluster?.pools.map((p) => p.name)).toEqual(['system', 'user1', 'user2']);
    expect(cluster?.pools.map((p) => p.settings.get('enableEncryptionAtHost').value)).toEqual([undefined, false, true]);
    expect(cluster?.maintenanceConfigurations).toEqual([]);
  });

  it('a stand-in name keeps the az placeholder; findings are named by the symbolic name, never an expression', async () => {
    const all = findings(await load(clusterModule([{ name: 'user1' }])));
    const local = all.find((f) => f.ruleId === 'identity/local-accounts-enabled');
    expect(local?.resource).toEqual({ kind: 'ManagedCluster', name: 'managedCluster', namespace: null });
    expect(local?.remediation).toMatch(/^az aks update -g <rg> -n <cluster> /);
    for (const finding of all) {
      expect(finding.resource.name).not.toMatch(/[[\]()']/);
      expect(finding.message).not.toMatch(/\(cluster not named\)/);
    }
  });

  it('nullable parameters without a value are null: the platform default decides, not "unknown"', async () => {
    const all = findings(await load(clusterModule([])));
    const policy = all.find((f) => f.ruleId === 'isolation/network-policy-disabled');
    expect(policy).toMatchObject({ unknown: false, severity: 'high' });
    expect(policy?.message).toMatch(/networkPolicy: null, and the dataplane is not Cilium \(networkDataplane: null\)/);
    // A parameter whose user-defined type ($ref) is nullable is null too: the API server is public.
    expect(all.find((f) => f.ruleId === 'control-plane/api-server-unrestricted')).toMatchObject({ unknown: false });
    // And a copy loop over a nullable parameter makes no instances: no maintenance configuration exists.
    expect(all.find((f) => f.ruleId === 'patching/maintenance-window-missing')).toMatchObject({ unknown: false });
  });

  it('pools from a copy loop over an unknown list: judged, but not known to exist', async () => {
    const module = clusterModule([]);
    const parameters = module.parameters as Record<string, Body>;
    parameters.agentPools = { type: 'array' };
    const [cluster] = (await load(module)).clusters;
    expect(cluster?.pools.map((p) => [p.name, p.unknownExistence !== undefined])).toEqual([
      ['system', false],
      ['agentPool', true],
    ]);
    expect(String(cluster?.pools[1]?.unknownExistence)).toBe("[parameters('agentPools')]");
  });

  it('the pool module alone: its pool is judged by the pool rules, named by the pool, not by an expression', async () => {
    const snapshot = await load(poolModule);
    expect(snapshot.targets.map((t) => t.name)).toEqual(['agentPool']);
    expect(snapshot.clusters[0]?.settings).toBeUndefined();
    const all = findings(snapshot);
    expect(all.find((f) => f.ruleId === 'encryption/host-encryption-disabled')?.resource.name).toBe('agentPool');
    expect(all.every((f) => f.resource.kind === 'AgentPool' || f.unknown)).toBe(true);
  });

  it('a pool of a cluster outside the input whose name is known is judged under that name', async () => {
    const snapshot = await load(
      template({
        prod: { existing: true, type: CLUSTER, name: 'prod-aks' },
        spot: { type: POOL, name: 'prod-aks/spot', properties: { mode: 'User' } },
      }),
    );
    expect(snapshot.targets.map((t) => t.name)).toEqual(['prod-aks']);
    expect(snapshot.clusters[0]?.unresolvedName).toBeUndefined();
    expect(snapshot.clusters[0]?.pools.map((p) => p.name)).toEqual(['spot']);
  });
});

describe('landing zones: names passed down through nested deployments and read back with reference()', () => {
  /** The AKS module: names its cluster from its parameter and outputs the name, like a Bicep module does. */
  const aksModule = template(
    [
      {
        type: CLUSTER,
        apiVersion: '2024-09-01',
        name: "[parameters('name')]",
        properties: {
          agentPoolProfiles: "[parameters('primaryAgentPoolProfiles')]",
          networkProfile: {
            networkPlugin: "[parameters('networkPlugin')]",
            networkPolicy: "[parameters('networkPolicy')]",
          },
          apiServerAccessProfile: { enablePrivateCluster: "[parameters('enablePrivateCluster')]" },
        },
      },
    ],
    {
      parameters: {
        name: { type: 'string' },
        primaryAgentPoolProfiles: { type: 'array' },
        networkPlugin: { type: 'string', defaultValue: 'kubenet' },
        networkPolicy: { type: 'string', nullable: true },
        enablePrivateCluster: { type: 'bool', defaultValue: false },
      },
      outputs: { aksClusterName: { type: 'string', value: "[parameters('name')]" } },
    },
  );

  const spoke = template(
    [
      nested(
        "[parameters('aksClusterName')]",
        {
          name: { value: "[parameters('aksClusterName')]" },
          primaryAgentPoolProfiles: { value: [{ name: 'defaultpool', mode: 'System', osType: 'Linux' }] },
          // A parameter passed by an expression that builds the whole { value } entry, as Bicep emits it.
          networkPlugin:
            "[if(equals(parameters('plugin'), 'azure'), createObject('value', 'azure'), createObject('value', 'kubenet'))]",
          networkPolicy: { value: 'calico' },
          enablePrivateCluster: { value: "[parameters('enablePrivateCluster')]" },
        },
        aksModule,
      ),
      nested(
        'userPool',
        {
          aksName: {
            value:
              "[reference(extensionResourceId(format('/subscriptions/{0}/resourceGroups/{1}', subscription().subscriptionId, parameters('rgName')), 'Microsoft.Resources/deployments', parameters('aksClusterName')), '2022-09-01').outputs.aksClusterName.value]",
          },
        },
        template(
          [
            {
              type: POOL,
              name: "[concat(parameters('aksName'), '/', 'userpool')]",
              properties: { mode: 'User', osType: 'Linux', enableNodePublicIP: true },
            },
          ],
          { parameters: { aksName: { type: 'string' } } },
        ),
      ),
    ],
    {
      parameters: {
        aksClusterName: { type: 'string' },
        rgName: { type: 'string' },
        plugin: { type: 'string' },
        enablePrivateCluster: { type: 'bool' },
      },
    },
  );

  const main = template(
    [
      nested(
        'lzSpokeDeploy',
        {
          aksClusterName: { value: "[parameters('aksClusterName')]" },
          rgName: { value: "[parameters('rgName')]" },
          plugin: { value: 'azure' },
          enablePrivateCluster: { value: "[parameters('enablePrivateCluster')]" },
        },
        spoke,
      ),
    ],
    {
      parameters: {
        aksClusterName: { type: 'string', defaultValue: 'aks-lz' },
        rgName: { type: 'string', defaultValue: 'rg-spoke' },
        enablePrivateCluster: { type: 'bool', defaultValue: true },
      },
    },
  );

  it('one target, named by the value passed down; the pool added through reference() joins it', async () => {
    const snapshot = await load(main);
    expect(snapshot.targets.map((t) => t.name)).toEqual(['aks-lz']);
    const [cluster] = snapshot.clusters;
    expect(cluster?.pools.map((p) => p.name)).toEqual(['defaultpool', 'userpool']);
    expect(cluster?.settings?.get('networkProfile.networkPlugin').value).toBe('azure');
    expect(cluster?.settings?.get('apiServerAccessProfile.enablePrivateCluster').value).toBe(true);
  });

  it('findings and az commands use the resolved name', async () => {
    const all = findings(await load(main));
    const publicIp = all.find((f) => f.ruleId === 'node-access/node-public-ip');
    expect(publicIp?.resource).toEqual({ kind: 'AgentPool', name: 'userpool', namespace: null });
    const local = all.find((f) => f.ruleId === 'identity/local-accounts-enabled');
    expect(local?.remediation).toMatch(/ -n aks-lz /);
    expect(all.filter((f) => f.unknown).map((f) => f.ruleId)).not.toContain('isolation/network-policy-disabled');
  });

  it('an unresolvable cluster name in a template without symbolic names is its type within its deployments', async () => {
    const snapshot = await load(
      template([
        nested(
          'aksconstruction',
          { resourceName: { value: '[resourceGroup().location]' } },
          template(
            [
              { type: CLUSTER, name: "[format('aks-{0}', parameters('resourceName'))]", properties: {} },
              { type: POOL, name: "[format('aks-{0}/np2', parameters('resourceName'))]", properties: {} },
            ],
            { parameters: { resourceName: { type: 'string' } } },
          ),
        ),
      ]),
    );
    expect(snapshot.targets.map((t) => t.name)).toEqual(['aksconstruction/managedClusters']);
    expect(snapshot.clusters[0]?.pools.map((p) => p.name)).toEqual(['np2']);
  });
});

describe('several clusters in one template', () => {
  it('pools join the cluster they name, by text or by the same parameter; others are of a cluster outside', async () => {
    const snapshot = await load(
      template(
        [
          { type: CLUSTER, name: 'blue', properties: {} },
          { type: CLUSTER, name: "[parameters('greenName')]", properties: {} },
          { type: POOL, name: 'blue/b1', properties: {} },
          { type: POOL, name: "[format('{0}/g1', parameters('greenName'))]", properties: {} },
          { type: POOL, name: "[concat(reference('other').outputs.name.value, '/o1')]", properties: {} },
        ],
        { parameters: { greenName: { type: 'string' } } },
      ),
    );
    expect(snapshot.clusters.map((c) => [c.name, c.pools.map((p) => p.name)])).toEqual([
      ['blue', ['b1']],
      ['managedClusters', ['g1']],
      ['o1', ['o1']],
    ]);
    expect(snapshot.clusters.map((c) => c.unresolvedName)).toEqual([undefined, true, true]);
  });

  it('two files of one folder declaring the same cluster each keep their own pools', async () => {
    const file = (pool: string) =>
      JSON.stringify(
        template([
          { type: CLUSTER, name: 'same', properties: {} },
          { type: POOL, name: `same/${pool}` },
        ]),
      );
    const { snapshot } = await readTexts([
      { file: 'infra/a.json', text: file('pa'), named: true },
      { file: 'infra/b.json', text: file('pb'), named: true },
    ]);
    expect(snapshot.clusters.map((c) => c.pools.map((p) => p.name))).toEqual([['pa'], ['pb']]);
  });
});

describe('ARM template language', () => {
  const value = async (expression: string, extra: Body = {}) => {
    const snapshot = await load(
      template([{ type: CLUSTER, name: 'c', properties: { probe: expression } }], {
        parameters: { missing: { type: 'string' } },
        ...extra,
      }),
    );
    return snapshot.clusters[0]?.settings?.get('probe').value;
  };

  it('createObject and createArray keep their other members when one is unknown', async () => {
    const made = (await value(
      "[createObject('a', 1, 'b', parameters('missing'), 'c', createArray(2, parameters('missing')))]",
    )) as Body;
    expect(made.a).toBe(1);
    expect(String(made.b)).toBe("[parameters('missing')]");
    expect((made.c as unknown[])[0]).toBe(2);
  });

  it('union merges nested objects; map, filter and reduce run their lambdas', async () => {
    expect(
      await value("[union(createObject('a', createObject('x', 1)), createObject('a', createObject('y', 2)))]"),
    ).toEqual({
      a: { x: 1, y: 2 },
    });
    expect(await value("[map(range(1, 3), lambda('i', mul(lambdaVariables('i'), 2)))]")).toEqual([2, 4, 6]);
    expect(await value("[filter(createArray(1, 5, 9), lambda('i', greater(lambdaVariables('i'), 4)))]")).toEqual([
      5, 9,
    ]);
    expect(
      await value(
        "[reduce(createArray(1, 2, 3), 0, lambda('acc', 'i', add(lambdaVariables('acc'), lambdaVariables('i'))))]",
      ),
    ).toBe(6);
  });

  it('property and variable copy loops expand; copyIndex() outside a loop is unknown', async () => {
    expect(
      await value("[variables('zones')]", {
        variables: { copy: [{ name: 'zones', count: 3, input: "[string(add(copyIndex('zones'), 1))]" }] },
      }),
    ).toEqual(['1', '2', '3']);
    const outside = await value('[copyIndex()]');
    expect(String((outside as { reason: string }).reason)).toBe('copyIndex() outside a copy loop');
  });

  it("reference() of a deployment by its symbolic name (languageVersion 2.0) reads that deployment's outputs", async () => {
    const snapshot = await load(
      template(
        {
          law: nested(
            'workspace-deployment',
            {},
            template([], { outputs: { name: { type: 'string', value: 'law-1' } } }),
          ),
          aks: { type: CLUSTER, name: 'c', properties: { probe: "[reference('law').outputs.name.value]" } },
        },
        { languageVersion: '2.0' },
      ),
    );
    expect(snapshot.clusters[0]?.settings?.get('probe').value).toBe('law-1');
  });

  it('an id from resourceId() is not empty, though its text is known only at deployment time', async () => {
    expect(await value("[not(empty(resourceId('Microsoft.OperationalInsights/workspaces', 'law')))]")).toBe(true);
  });

  it('unknown values are named briefly: the function, or the start of a long expression', async () => {
    const unknown = (await value(
      "[reference(resourceId('Microsoft.Network/virtualNetworks', 'vnet'), '2023-01-01').properties.subnets[0].id]",
    )) as {
      expression: string;
      reason: string;
    };
    expect(unknown.expression).toBe('reference()');
    expect(unknown.reason).toBe('reference() is known only at deployment time');
  });
});
