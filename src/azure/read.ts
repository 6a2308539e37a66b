import type { ContainerServiceClient } from '@azure/arm-containerservice';
import type { Fragment } from '../sources/fragment.js';
import { type ArmConnection, containerService } from './connection.js';
import { armError, READ_ROLE } from './errors.js';
import { type ClusterReading, clusterFragment } from './fragments.js';
import { limiter } from './limit.js';
import { type Json, rawItems, rawResource } from './raw.js';
import { listSubscriptions } from './subscriptions.js';

/** Which clusters to read: `--subscription` (none: every one the credential sees), `--resource-group`, `--name`. */
export interface AzureSelection {
  readonly subscriptions: readonly string[];
  readonly resourceGroup: string | undefined;
  readonly name: string | undefined;
}

export interface AzureReading {
  readonly connection: ArmConnection;
  readonly selection: AzureSelection;
  /** Requests in flight at once, across everything read. */
  readonly concurrency: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface AzureRead {
  readonly fragments: readonly Fragment[];
  readonly subscriptions: readonly string[];
}

type Gate = <T>(call: () => Promise<T>) => Promise<T>;

/** A live cluster's resource id, split into what the SDK's operations take. */
export interface ClusterAddress {
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly id: string;
}

/**
 * Reads every selected cluster with its agent pools, each pool's upgrade profile and the cluster's maintenance
 * configurations, through `@azure/arm-containerservice`, into the fragments the file sources produce.
 */
export async function readAzure(reading: AzureReading): Promise<AzureRead> {
  const { connection, selection } = reading;
  // Signing in first turns a missing credential into one clear message before any request is made.
  await connection.credential.getToken(`${connection.endpoint}/.default`);
  const gate = limiter(reading.concurrency);
  const subscriptions =
    selection.subscriptions.length > 0
      ? [...selection.subscriptions]
      : await guarded(gate, () => listSubscriptions(connection), connection, 'list subscriptions', '/subscriptions');
  const found = (
    await Promise.all(subscriptions.map((s) => findClusters(containerService(connection, s), s, reading, gate)))
  ).flat();
  let done = 0;
  reading.onProgress?.(0, found.length);
  const fragments = await Promise.all(
    found.map(async (cluster) => {
      const client = containerService(connection, cluster.address.subscription);
      const fragment = clusterFragment(await readCluster(client, cluster, connection, gate));
      reading.onProgress?.(++done, found.length);
      return fragment;
    }),
  );
  return { fragments, subscriptions };
}

async function findClusters(
  client: ContainerServiceClient,
  subscription: string,
  { connection, selection }: AzureReading,
  gate: Gate,
): Promise<{ address: ClusterAddress; body: Json }[]> {
  const { resourceGroup: rg, name } = selection;
  const scope = `/subscriptions/${subscription}${rg ? `/resourceGroups/${rg}` : ''}`;
  const bodies =
    rg && name
      ? [
          await guarded(
            gate,
            () => rawResource((hook) => client.managedClusters.get(rg, name, hook)),
            connection,
            `read managed cluster ${name}`,
            scope,
          ),
        ]
      : await guarded(
          gate,
          () =>
            rawItems((hook) =>
              rg ? client.managedClusters.listByResourceGroup(rg, hook) : client.managedClusters.list(hook),
            ),
          connection,
          'list managed clusters',
          scope,
        );
  return bodies.flatMap((body) => {
    const address = clusterAddress(body.id);
    if (!address) return [];
    if (name && address.name.toLowerCase() !== name.toLowerCase()) return [];
    return [{ address, body }];
  });
}

async function readCluster(
  client: ContainerServiceClient,
  { address, body }: { address: ClusterAddress; body: Json },
  connection: ArmConnection,
  gate: Gate,
): Promise<ClusterReading> {
  const { resourceGroup: rg, name, id } = address;
  const [pools, maintenanceConfigurations] = await Promise.all([
    guarded(gate, () => rawItems((hook) => client.agentPools.list(rg, name, hook)), connection, 'list agent pools', id),
    guarded(
      gate,
      () => rawItems((hook) => client.maintenanceConfigurations.listByManagedCluster(rg, name, hook)),
      connection,
      'list maintenance configurations',
      id,
    ),
  ]);
  const upgradeProfiles = await Promise.all(
    pools.map(async (pool) => {
      const poolName = String(pool.name);
      const profile = await guarded(
        gate,
        () => rawResource((hook) => client.agentPools.getUpgradeProfile(rg, name, poolName, hook)),
        connection,
        `read the upgrade profile of agent pool ${poolName}`,
        `${id}/agentPools/${poolName}`,
      );
      return { pool: poolName, body: profile };
    }),
  );
  return { cluster: body, pools, upgradeProfiles, maintenanceConfigurations, apiVersion: client.apiVersion };
}

/** One request through the shared gate, its failure turned into a one-line error naming what and where. */
function guarded<T>(
  gate: Gate,
  call: () => Promise<T>,
  connection: ArmConnection,
  what: string,
  scope: string,
): Promise<T> {
  return gate(call).catch((error: unknown) => {
    throw armError(error, { what, scope, endpoint: connection.endpoint, role: READ_ROLE });
  });
}

/** `/subscriptions/S/resourceGroups/RG/providers/Microsoft.ContainerService/managedClusters/NAME` → its parts. */
export function clusterAddress(id: unknown): ClusterAddress | undefined {
  if (typeof id !== 'string') return undefined;
  const match =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)/i.exec(
      id,
    );
  if (!match) return undefined;
  return {
    subscription: match[1] as string,
    resourceGroup: match[2] as string,
    name: match[3] as string,
    id: match[0],
  };
}
