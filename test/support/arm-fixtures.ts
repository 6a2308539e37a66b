/**
 * Builders for Azure inputs in rule tests, beside `aks()` and `pool()` of the rule tester: the other shapes a
 * cluster arrives in (az CLI output, ARM templates, separate agent pools, maintenance configurations).
 */

type Body = Record<string, unknown>;

const TEMPLATE_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** `az aks show -o json`: no `properties` wrapper, az's own key casing (`enableRbac`, `authorizedIpRanges`). */
export const azShow = (fields: Body): Body => ({
  name: 'aks1',
  type: 'Microsoft.ContainerService/ManagedClusters',
  id: '/subscriptions/0000/resourcegroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1',
  ...fields,
});

/** An ARM template expression reading a parameter; `template()` declares it without a default, so it is unknown. */
export const param = (name: string): string => `[parameters('${name}')]`;

export interface TemplateOptions {
  /** Parameters to declare (type string, no default value). */
  readonly parameters?: readonly string[];
  readonly apiVersion?: string;
  /** Further resources after the cluster (agent pools, maintenance configurations). */
  readonly resources?: readonly Body[];
}

/** An ARM deployment template whose first resource is the managed cluster `tpl` with the given `properties`. */
export const template = (properties: Body, options: TemplateOptions = {}): Body => ({
  $schema: TEMPLATE_SCHEMA,
  contentVersion: '1.0.0.0',
  parameters: Object.fromEntries((options.parameters ?? []).map((name) => [name, { type: 'string' }])),
  resources: [
    {
      type: 'Microsoft.ContainerService/managedClusters',
      apiVersion: options.apiVersion ?? '2024-09-01',
      name: 'tpl',
      properties,
    },
    ...(options.resources ?? []),
  ],
});

/** The managed cluster in `template()` as findings name it. */
export const TEMPLATE_CLUSTER = 'ManagedCluster/tpl';
/** The managed cluster of `aks()` and `azShow()` as findings name it. */
export const CLUSTER = 'ManagedCluster/aks1';

/** A separate agent pool resource of cluster `aks1`, as `az aks nodepool show` and the REST API return it. */
export const agentPool = (name: string, properties: Body): Body => ({
  name,
  type: 'Microsoft.ContainerService/managedClusters/agentPools',
  id: `/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1/agentPools/${name}`,
  properties,
});

/** A maintenance configuration of cluster `aks1` (`az aks maintenanceconfiguration show`). */
export const maintenanceConfiguration = (name: string): Body => ({
  name,
  type: 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations',
  id: `/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1/maintenanceConfigurations/${name}`,
  properties: {
    maintenanceWindow: {
      schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Sunday' } },
      durationHours: 4,
      startTime: '01:00',
      utcOffset: '+00:00',
    },
  },
});

/** A pool upgrade profile of `aks1` (`az aks nodepool get-upgrades`) naming the newest node image. */
export const poolUpgradeProfile = (pool: string, latestNodeImageVersion: string): Body => ({
  name: 'default',
  type: 'Microsoft.ContainerService/managedClusters/agentPools/upgradeProfiles',
  id: `/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1/agentPools/${pool}/upgradeProfiles/default`,
  properties: { kubernetesVersion: '1.33.2', osType: 'Linux', upgrades: [], latestNodeImageVersion },
});

/**
 * A template of copy loops of `count` nested deployments, `depth` levels deep, around `leaf` (a resource using
 * `copyIndex()`): `count^depth` resources if expanded, the shape that multiplies ARM's own copy limit.
 */
export const nestedCopies = (depth: number, count: number, leaf: Body): Body =>
  depth === 0
    ? { $schema: TEMPLATE_SCHEMA, contentVersion: '1.0.0.0', resources: [leaf] }
    : {
        $schema: TEMPLATE_SCHEMA,
        contentVersion: '1.0.0.0',
        resources: [
          {
            type: 'Microsoft.Resources/deployments',
            name: "[concat('d', string(copyIndex()))]",
            copy: { name: `level${depth}`, count },
            properties: { mode: 'Incremental', template: nestedCopies(depth - 1, count, leaf) },
          },
        ],
      };

/** A cluster resource of a template: one system pool and `properties`, named `name` (an expression, or a secret). */
export const templateCluster = (properties: Body, name: unknown = 'c1'): Body => ({
  type: 'Microsoft.ContainerService/managedClusters',
  apiVersion: '2024-09-01',
  name,
  properties: { agentPoolProfiles: [{ name: 'sys', mode: 'System' }], ...properties },
});
