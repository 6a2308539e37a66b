import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Random, seeded } from './random.js';

const SUBSCRIPTION = '3b1f6c2e-0000-0000-0000-5a9d4e7c8b21';

/** `count` files shaped like `az aks show -o json`, with settings varied so every rule has work to do. */
export function generateAzureFiles(dir: string, count: number, seed = 1): string[] {
  mkdirSync(dir, { recursive: true });
  const random = seeded(seed);
  return Array.from({ length: count }, (_, i) => {
    const file = join(dir, `cluster-${String(i).padStart(4, '0')}.json`);
    writeFileSync(file, JSON.stringify(azCluster(`aks-${i}`, random), null, 2));
    return file;
  });
}

function azCluster(name: string, random: Random) {
  const group = `rg-${name}`;
  const minor = random.int(30, 37);
  const windows = random.chance(0.3);
  const pools = [
    pool('system', 'System', 'Linux', minor, random),
    pool('apps', 'User', 'Linux', minor - random.int(0, 1), random),
    ...(windows ? [pool('win', 'User', 'Windows', minor, random)] : []),
  ];
  return {
    id: `/subscriptions/${SUBSCRIPTION}/resourcegroups/${group}/providers/Microsoft.ContainerService/managedClusters/${name}`,
    name,
    type: 'Microsoft.ContainerService/ManagedClusters',
    location: random.pick(['westeurope', 'northeurope', 'eastus2', 'swedencentral']),
    resourceGroup: group,
    kubernetesVersion: `1.${minor}.${random.int(0, 9)}`,
    enableRbac: random.chance(0.97),
    disableLocalAccounts: random.chance(0.4),
    aadProfile: random.chance(0.7)
      ? { managed: true, enableAzureRbac: random.chance(0.5), tenantId: '72f988bf-0000' }
      : null,
    apiServerAccessProfile: {
      enablePrivateCluster: random.chance(0.3),
      authorizedIpRanges: random.chance(0.5)
        ? [random.pick(['0.0.0.0/0', '203.0.113.0/24', '10.0.0.0/8', '198.51.100.7'])]
        : null,
      disableRunCommand: random.chance(0.3),
    },
    autoUpgradeProfile: {
      upgradeChannel: random.pick(['patch', 'stable', 'none', null]),
      nodeOsUpgradeChannel: random.pick(['NodeImage', 'SecurityPatch', 'Unmanaged', 'None']),
    },
    addonProfiles: {
      azurepolicy: { enabled: random.chance(0.6) },
      omsagent: { enabled: random.chance(0.6) },
      kubeDashboard: random.chance(0.05) ? { enabled: true } : null,
    },
    networkProfile: { networkPlugin: 'azure', networkPolicy: random.pick(['azure', 'calico', 'cilium', 'none', null]) },
    securityProfile: {
      defender: random.chance(0.5) ? { securityMonitoring: { enabled: true } } : null,
      imageCleaner: { enabled: random.chance(0.5), intervalHours: 168 },
      workloadIdentity: { enabled: random.chance(0.6) },
      azureKeyVaultKms: random.chance(0.3) ? { enabled: true, keyId: 'https://kv.vault.azure.net/keys/k/1' } : null,
    },
    diskEncryptionSetId: random.chance(0.2)
      ? `/subscriptions/${SUBSCRIPTION}/resourceGroups/${group}/providers/Microsoft.Compute/diskEncryptionSets/des`
      : null,
    servicePrincipalProfile: { clientId: 'msi' },
    identity: { type: 'SystemAssigned' },
    agentPoolProfiles: pools,
    tags: { env: random.pick(['prod', 'staging', 'dev']), owner: `team-${random.int(1, 40)}` },
  };
}

function pool(name: string, mode: string, osType: string, minor: number, random: Random) {
  const month = random.int(1, 11);
  const day = random.int(1, 28);
  const image =
    osType === 'Windows'
      ? `AKSWindows-2022-containerd-20348.${random.int(3000, 4400)}.26${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`
      : `AKSUbuntu-2204gen2containerd-2026${String(month).padStart(2, '0')}.${String(day).padStart(2, '0')}.0`;
  return {
    name,
    mode,
    osType,
    count: random.int(1, 30),
    vmSize: random.pick(['Standard_D4ds_v5', 'Standard_D8ds_v5', 'Standard_E8s_v5']),
    orchestratorVersion: `1.${minor}.${random.int(0, 9)}`,
    nodeImageVersion: image,
    enableEncryptionAtHost: random.chance(0.4),
    enableNodePublicIp: random.chance(0.1),
    nodeTaints: mode === 'System' && random.chance(0.5) ? ['CriticalAddonsOnly=true:NoSchedule'] : null,
    securityProfile: osType === 'Linux' ? { sshAccess: random.pick(['LocalUser', 'Disabled']) } : null,
  };
}
