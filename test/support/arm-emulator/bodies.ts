/**
 * Managed cluster, agent pool, upgrade profile and maintenance configuration bodies as the AKS REST API returns
 * them (api-version 2025-10-01), written for these tests. Like the REST API's own examples they describe
 * `clustername1` in `rg1`; `world.ts` renames copies.
 */

// biome-ignore lint/suspicious/noExplicitAny: REST bodies are free-form JSON that the fixtures walk by known paths
type Json = Record<string, any>;

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const CLUSTER_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1`;
const KUBERNETES = '1.33.2';

/** The three kinds of cluster the world holds. */
export type ClusterKind = 'windows-gmsa' | 'private' | 'azure-rbac';

/** What sets each kind apart from a plain public cluster with Kubernetes RBAC and an SSH key. */
const DIFFERENCES: Record<ClusterKind, Json> = {
  // A Windows-ready cluster (gMSA on) whose identity is user-assigned and whose disks use a customer key.
  'windows-gmsa': {
    identity: {
      type: 'UserAssigned',
      userAssignedIdentities: {
        [`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks-id`]:
          { clientId: '11111111-2222-3333-4444-555555555555', principalId: '66666666-7777-8888-9999-000000000000' },
      },
    },
    properties: {
      diskEncryptionSetID: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.Compute/diskEncryptionSets/aks-des`,
      windowsProfile: { adminUsername: 'azureuser', gmsaProfile: { enabled: true } },
    },
  },
  // A private API server that still publishes a public FQDN resolving to its private address.
  private: {
    properties: {
      apiServerAccessProfile: {
        enablePrivateCluster: true,
        enablePrivateClusterPublicFQDN: true,
        privateDNSZone: 'system',
      },
      privateFQDN: 'clustername1-9f3c2a1b.4d2e7f60-1a2b-4c3d-9e8f-0a1b2c3d4e5f.privatelink.westeurope.azmk8s.io',
    },
  },
  // Entra ID sign-in with Azure RBAC deciding Kubernetes authorization.
  'azure-rbac': {
    properties: {
      aadProfile: { managed: true, enableAzureRBAC: true, tenantID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' },
    },
  },
};

/** A managed cluster GET body; its `agentPoolProfiles` are replaced by the world's pools. */
export function clusterBody(kind: ClusterKind): Json {
  const { identity, properties } = DIFFERENCES[kind];
  return {
    id: CLUSTER_ID,
    name: 'clustername1',
    type: 'Microsoft.ContainerService/managedClusters',
    location: 'westeurope',
    identity: identity ?? { type: 'SystemAssigned', principalId: 'principal1', tenantId: 'tenant1' },
    properties: {
      provisioningState: 'Succeeded',
      kubernetesVersion: KUBERNETES,
      currentKubernetesVersion: KUBERNETES,
      dnsPrefix: 'clustername1',
      fqdn: 'clustername1-4b7e9d2c.hcp.westeurope.azmk8s.io',
      agentPoolProfiles: [],
      linuxProfile: { adminUsername: 'azureuser', ssh: { publicKeys: [{ keyData: 'ssh-rsa AAAAB3NzaC1yc2E test' }] } },
      servicePrincipalProfile: { clientId: 'msi' },
      nodeResourceGroup: 'MC_rg1_clustername1_westeurope',
      enableRBAC: true,
      networkProfile: {
        networkPlugin: 'kubenet',
        loadBalancerSku: 'standard',
        outboundType: 'loadBalancer',
        podCidr: '10.244.0.0/16',
        serviceCidr: '10.0.0.0/16',
        dnsServiceIP: '10.0.0.10',
        ipFamilies: ['IPv4'],
      },
      ...properties,
    },
  };
}

/** An agent pool GET body: a Linux system pool or a Windows Server 2022 user pool (Windows names have ≤ 6 letters). */
export function agentPool(name: string, os: 'Linux' | 'Windows'): Json {
  return {
    id: `${CLUSTER_ID}/agentPools/${name}`,
    name,
    type: 'Microsoft.ContainerService/managedClusters/agentPools',
    properties: {
      count: 3,
      vmSize: os === 'Windows' ? 'Standard_D4s_v3' : 'Standard_D2s_v3',
      maxPods: 110,
      type: 'VirtualMachineScaleSets',
      mode: os === 'Windows' ? 'User' : 'System',
      osType: os,
      ...(os === 'Windows' ? { osSKU: 'Windows2022' } : { osSKU: 'Ubuntu' }),
      orchestratorVersion: KUBERNETES,
      currentOrchestratorVersion: KUBERNETES,
      provisioningState: 'Succeeded',
    },
  };
}

/** A pool's upgrade profile (`agentPools/{pool}/upgradeProfiles/default`); the world sets id, OS and images. */
export function upgradeProfileBody(): Json {
  return {
    id: `${CLUSTER_ID}/agentPools/agentpool1/upgradeProfiles/default`,
    name: 'default',
    type: 'Microsoft.ContainerService/managedClusters/agentPools/upgradeProfiles',
    properties: { kubernetesVersion: KUBERNETES, osType: 'Linux', upgrades: [] },
  };
}

const schedule = (name: string, maintenanceWindow: Json): Json => ({
  id: `${CLUSTER_ID}/maintenanceConfigurations/${name}`,
  name,
  type: 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations',
  properties: { maintenanceWindow },
});

/**
 * Both AKS-managed schedules: node OS updates every fifth day from 2023-01-01 at 13:30 UTC-7 for ten hours, and
 * cluster upgrades on the 15th of every third month, with two blackout periods.
 */
export function maintenanceSchedules(): Json[] {
  return [
    schedule('aksManagedNodeOSUpgradeSchedule', {
      schedule: { daily: { intervalDays: 5 } },
      durationHours: 10,
      startDate: '2023-01-01',
      startTime: '13:30',
      utcOffset: '-07:00',
    }),
    schedule('aksManagedAutoUpgradeSchedule', {
      schedule: { absoluteMonthly: { intervalMonths: 3, dayOfMonth: 15 } },
      durationHours: 5,
      startDate: '2023-01-01',
      startTime: '08:30',
      utcOffset: '+00:00',
      notAllowedDates: [
        { start: '2023-02-18', end: '2023-02-25' },
        { start: '2023-12-23', end: '2024-01-05' },
      ],
    }),
  ];
}
