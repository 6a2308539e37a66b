import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentPool, clusterBody, maintenanceSchedules, upgradeProfileBody } from './bodies.js';

// biome-ignore lint/suspicious/noExplicitAny: REST example bodies are free-form JSON that the fixtures walk by known paths
type Json = Record<string, any>;

export interface EmulatedCluster {
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly body: Json;
  readonly pools: Json[];
  /** Upgrade profile bodies by pool name. */
  readonly upgradeProfiles: Map<string, Json>;
  readonly maintenance: Json[];
}

export interface World {
  readonly subscriptions: { readonly subscriptionId: string; readonly displayName: string }[];
  readonly clusters: EmulatedCluster[];
}

/** The API version `@azure/arm-containerservice` 24.1.0 sends. */
export const SDK_API_VERSION = '2025-10-01';
export const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
export const EMPTY_SUBSCRIPTION = '11111111-1111-1111-1111-111111111111';

export const LINUX_LATEST = 'AKSUbuntu-2204gen2containerd-202411.12.0';
export const WINDOWS_CURRENT = 'AKSWindows-2022-containerd-20348.2849.240910';
/** Two Patch Tuesday releases (2024-10-08, 2024-11-12) after WINDOWS_CURRENT. */
export const WINDOWS_LATEST = 'AKSWindows-2022-containerd-20348.2966.241112';

/** The bodies all describe `clustername1` in `rg1`, as the REST examples do: give a copy its own name and group. */
function rename<T>(value: T, cluster: string, rg: string): T {
  const text = JSON.stringify(value)
    .replaceAll('clustername1', cluster)
    .replaceAll('/resourceGroups/rg1/', `/resourceGroups/${rg}/`);
  return JSON.parse(text) as T;
}

function pool(base: Json, name: string, image: string, cluster: string, rg: string): Json {
  const body = rename(structuredClone(base), cluster, rg);
  body.name = name;
  body.id = `${body.id.replace(/\/agentPools\/[^/]+$/i, '')}/agentPools/${name}`;
  body.type = 'Microsoft.ContainerService/managedClusters/agentPools';
  body.properties.nodeImageVersion = image;
  body.properties.provisioningState = 'Succeeded';
  return body;
}

function upgradeProfile(poolBody: Json, latest: string): Json {
  const body = upgradeProfileBody();
  body.id = `${poolBody.id}/upgradeProfiles/default`;
  body.properties.latestNodeImageVersion = latest;
  body.properties.osType = poolBody.properties.osType;
  body.properties.kubernetesVersion = poolBody.properties.orchestratorVersion;
  return body;
}

function cluster(base: Json, name: string, rg: string, pools: Json[], maintenance: Json[]): EmulatedCluster {
  const body = rename(base, name, rg);
  // ARM lists every pool in agentPoolProfiles as well; keep the two views consistent.
  body.properties.agentPoolProfiles = pools.map((p) => ({ name: p.name, ...p.properties }));
  const latest = (p: Json) => (p.properties.osType === 'Windows' ? WINDOWS_LATEST : LINUX_LATEST);
  return {
    subscription: SUBSCRIPTION,
    resourceGroup: rg,
    name,
    body,
    pools,
    upgradeProfiles: new Map(pools.map((p) => [p.name as string, upgradeProfile(p, latest(p))])),
    maintenance: rename(maintenance, name, rg),
  };
}

/**
 * One subscription with three clusters in the shapes the REST API returns (`bodies.ts`): `aks-win` (a Linux pool
 * and a Windows pool two Patch Tuesday images behind, with both maintenance schedules), `aks-private` (current
 * image) and `aks-dev` (a Linux pool behind); plus a second subscription without clusters.
 */
export function defaultWorld(): World {
  const linuxBase = agentPool('agentpool1', 'Linux');
  const windowsBase = agentPool('wnp2', 'Windows');
  const schedules = maintenanceSchedules();
  const autoUpgradeOnly = schedules.filter((s) => s.name === 'aksManagedAutoUpgradeSchedule');
  const make = (base: Json, name: string, rg: string, pools: [Json, string, string][], maintenance: Json[]) =>
    cluster(
      base,
      name,
      rg,
      pools.map(([base, poolName, image]) => pool(base, poolName, image, name, rg)),
      maintenance,
    );
  return {
    subscriptions: [
      { subscriptionId: SUBSCRIPTION, displayName: 'Production' },
      { subscriptionId: EMPTY_SUBSCRIPTION, displayName: 'Sandbox' },
    ],
    clusters: [
      make(
        clusterBody('windows-gmsa'),
        'aks-win',
        'rg-prod',
        [
          [linuxBase, 'nodepool1', 'AKSUbuntu-2204gen2containerd-202410.15.0'],
          [windowsBase, 'wnp2', WINDOWS_CURRENT],
        ],
        schedules,
      ),
      make(clusterBody('private'), 'aks-private', 'rg-prod', [[linuxBase, 'nodepool1', LINUX_LATEST]], autoUpgradeOnly),
      make(
        clusterBody('azure-rbac'),
        'aks-dev',
        'rg-dev',
        [[linuxBase, 'nodepool1', 'AKSUbuntu-2204gen2containerd-202411.05.0']],
        autoUpgradeOnly,
      ),
    ],
  };
}

/**
 * The same clusters as files `az` would write: `az aks show`, `az aks nodepool list`, `az aks nodepool
 * get-upgrades` per pool and `az aks maintenanceconfiguration list`, one folder per cluster.
 */
export function writeWorldFiles(world: World, dir: string): void {
  for (const c of world.clusters) {
    const folder = join(dir, c.resourceGroup, c.name);
    mkdirSync(folder, { recursive: true });
    const write = (file: string, body: unknown) => writeFileSync(join(folder, file), JSON.stringify(body, null, 2));
    // A GET response with the API version it was asked with, as the REST examples record it: the version decides
    // defaults (the node OS channel), and a live read knows it.
    const parameters = { 'api-version': SDK_API_VERSION, resourceGroupName: c.resourceGroup, resourceName: c.name };
    write('cluster.json', { parameters, responses: { '200': { body: c.body } } });
    write('pools.json', { value: c.pools });
    for (const [name, profile] of c.upgradeProfiles) write(`upgrades-${name}.json`, profile);
    write('maintenance.json', { value: c.maintenance });
  }
}
