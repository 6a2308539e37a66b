import type { UpgradePort, UpgradeRun } from '../patch/apply.js';
import type { PoolPlan } from '../patch/plan.js';
import { type ArmConnection, containerService } from './connection.js';
import { armError, UPGRADE_ROLE } from './errors.js';
import { rawResource } from './raw.js';
import { clusterAddress } from './read.js';

/**
 * Node-image-only upgrades through `agentPools.beginUpgradeNodeImageVersion`: the SDK's poller follows the
 * operation (Azure-AsyncOperation / Location, honouring Retry-After) until it ends.
 */
export function armUpgrades(connection: ArmConnection, pollIntervalMs: number): UpgradePort {
  return {
    async start(pool: PoolPlan): Promise<UpgradeRun> {
      const address = clusterAddress(pool.target);
      if (!address) throw new Error(`${pool.target} is not an ARM resource id: plan from --azure to apply`);
      const client = containerService(connection, address.subscription);
      const action = {
        what: `upgrade the node image of agent pool ${pool.pool}`,
        scope: `${address.id}/agentPools/${pool.pool}`,
        endpoint: connection.endpoint,
        role: UPGRADE_ROLE,
      };
      const poller = await client.agentPools
        .beginUpgradeNodeImageVersion(address.resourceGroup, address.name, pool.pool, {
          updateIntervalInMs: pollIntervalMs,
        })
        .catch((error: unknown) => {
          throw armError(error, action);
        });
      return {
        async wait(signal, onStatus) {
          let last = '';
          poller.onProgress((state) => {
            if (state.status === last) return;
            last = state.status;
            onStatus(last);
          });
          await poller.pollUntilDone({ abortSignal: signal }).catch((error: unknown) => {
            throw signal.aborted ? error : armError(error, action);
          });
        },
        async final() {
          const body = await rawResource((hook) =>
            client.agentPools.get(address.resourceGroup, address.name, pool.pool, hook),
          );
          const properties = (body.properties ?? {}) as Record<string, unknown>;
          return {
            state: String(properties.provisioningState ?? 'unknown'),
            image: typeof properties.nodeImageVersion === 'string' ? properties.nodeImageVersion : undefined,
          };
        },
      };
    },
  };
}
