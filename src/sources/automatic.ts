import type { Fact } from '../model/fact.js';
import { isRecord, type PlatformValues } from '../model/settings.js';
import { Unresolved } from '../model/unresolved.js';

/**
 * What an AKS Automatic cluster (`sku.name: Automatic`) has when its input leaves the setting out: the
 * platform preconfigures Microsoft Entra ID with Azure RBAC and no local accounts, workload identity, Image
 * Cleaner, deployment safeguards (the Azure Policy add-on), the stable and NodeImage upgrade channels, and Azure
 * CNI overlay powered by Cilium. An explicit value in the input still wins.
 */
const AUTOMATIC = {
  enableRBAC: true,
  disableLocalAccounts: true,
  aadProfile: { managed: true, enableAzureRBAC: true },
  oidcIssuerProfile: { enabled: true },
  securityProfile: { workloadIdentity: { enabled: true }, imageCleaner: { enabled: true } },
  addonProfiles: { azurepolicy: { enabled: true } },
  autoUpgradeProfile: { upgradeChannel: 'stable', nodeOSUpgradeChannel: 'NodeImage' },
  networkProfile: {
    networkPlugin: 'azure',
    networkPluginMode: 'overlay',
    networkDataplane: 'cilium',
    networkPolicy: 'cilium',
  },
};

/**
 * The platform values of a cluster whose SKU is `sku`: AKS Automatic's, none for other SKUs, and unknown ones
 * (each naming the SKU) when the input does not say which SKU it is.
 */
export function platformValues(sku: Fact | undefined): PlatformValues | undefined {
  const by = 'AKS Automatic';
  const unknown = sku?.unresolved;
  if (unknown) {
    const why = new Unresolved(unknown.expression, `whether the cluster is AKS Automatic: ${unknown.reason}`);
    return { by, values: mapLeaves(AUTOMATIC, () => why) };
  }
  return sku?.isOneOf('Automatic') === true ? { by, values: AUTOMATIC } : undefined;
}

function mapLeaves(value: unknown, leaf: (value: unknown) => unknown): unknown {
  if (!isRecord(value)) return leaf(value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLeaves(v, leaf)]));
}
