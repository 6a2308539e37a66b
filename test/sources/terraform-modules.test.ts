// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL text is written as it appears in a .tf file
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fired } from '../support/corpus.js';
import { loadTf, scanTf, tfCluster, tfFolder } from '../support/terraform.js';

/** A pool module in the shape of terraform-azurerm-aks's `node_pools`: a typed map whose default is `{}`. */
const POOL_MODULE = `
variable "kubernetes_cluster_id" {
  type = string
}
variable "orchestrator_version" {
  type    = string
  default = null
}
variable "node_pools" {
  type = map(object({
    name                    = string
    vm_size                 = optional(string, "Standard_D4ds_v5")
    host_encryption_enabled = optional(bool, false)
    mode                    = optional(string, "User")
  }))
  default = {}
}
resource "azurerm_kubernetes_cluster_node_pool" "this" {
  for_each                = var.node_pools
  name                    = each.value.name
  kubernetes_cluster_id   = var.kubernetes_cluster_id
  vm_size                 = each.value.vm_size
  mode                    = each.value.mode
  host_encryption_enabled = each.value.host_encryption_enabled
  orchestrator_version    = var.orchestrator_version
}
`;

describe('count and for_each over values known in the input', () => {
  it('a pool map whose default is {} makes no pool and no finding', async () => {
    const dir = tfFolder({
      'main.tf': `${tfCluster('aks')}
module "pools" {
  source                = "./modules/pools"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
}
`,
      'modules/pools/main.tf': POOL_MODULE,
    });
    const { snapshot } = await loadTf(dir);
    expect(snapshot.clusters.map((c) => [c.name, c.pools.map((p) => p.name)])).toEqual([['aks', ['system']]]);
    const { report } = await scanTf([dir]);
    const ids = fired(report ?? ({ findings: [] } as never));
    expect(ids.filter((id) => id.startsWith('node-access/system-pool-not-isolated'))).toEqual([]);
    expect(report?.findings.filter((f) => f.unknown)).toEqual([]);
  });

  it('pools from a literal local, range() and toset() expand to exactly those instances, each judged', async () => {
    const dir = tfFolder({
      'main.tf': `${tfCluster('aks')}
locals {
  workers = { for i in range(3) : "worker\${i}" => { vm_size = "Standard_D8ds_v5", zones = ["1", "2"] } }
  gpu     = toset(["gpu1", "gpu1", "gpu0"])
}
resource "azurerm_kubernetes_cluster_node_pool" "workers" {
  for_each              = local.workers
  name                  = each.key
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
  vm_size               = each.value.vm_size
  zones                 = each.value.zones
}
resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  for_each              = local.gpu
  name                  = each.value
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
  host_encryption_enabled = true
}
resource "azurerm_kubernetes_cluster_node_pool" "spare" {
  count                 = length([for p in local.gpu : p if p == "none"])
  name                  = "spare\${count.index}"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
}
`,
    });
    const { snapshot } = await loadTf(dir);
    expect(snapshot.clusters[0]?.pools.map((p) => p.name)).toEqual([
      'system',
      'worker0',
      'worker1',
      'worker2',
      'gpu0',
      'gpu1',
    ]);
    const { report } = await scanTf([dir]);
    const hostEncryption = report?.findings.filter((f) => f.ruleId === 'encryption/host-encryption-disabled');
    expect(hostEncryption?.map((f) => [f.resource.name, f.unknown])).toEqual([
      ['system', false],
      ['worker0', false],
      ['worker1', false],
      ['worker2', false],
    ]);
    expect(report?.findings.filter((f) => f.unknown)).toEqual([]);
  });

  it('only a collection depending on an unknown value is unknown; such pools do not count as existing', async () => {
    const dir = tfFolder({
      'main.tf': `${tfCluster('aks')}
variable "pools" {
  type = map(object({ vm_size = string }))
}
resource "azurerm_kubernetes_cluster_node_pool" "user" {
  for_each              = var.pools
  name                  = each.key
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
  vm_size               = each.value.vm_size
}
`,
    });
    const { snapshot } = await loadTf(dir);
    const [system, user] = snapshot.clusters[0]?.pools ?? [];
    expect(system?.unknownExistence).toBeUndefined();
    expect(user?.unknownExistence?.expression).toBe('var.pools');
    const { report } = await scanTf([dir]);
    expect(fired(report as never).filter((id) => id.startsWith('node-access/system-pool-not-isolated'))).toEqual([]);
    // Known pools alongside make the rule fire, and name only the pools that exist.
    const known = tfFolder({
      'main.tf': `${tfCluster('aks')}
resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  count                 = 1
  name                  = "apps"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
}
`,
    });
    const isolated = (await scanTf([known])).report?.findings.find(
      (f) => f.ruleId === 'node-access/system-pool-not-isolated',
    );
    expect(isolated?.message).toContain('user pools (apps) exist');
  });
});

describe('module inputs and outputs', () => {
  it('a pool module attached through a variable joins the cluster the caller passes, and its inputs are judged', async () => {
    const dir = tfFolder({
      'main.tf': `${tfCluster('aks', '  kubernetes_version = "1.33.1"')}
module "pools" {
  source                = "./modules/pools"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
  orchestrator_version  = "1.25.6"
  node_pools = {
    apps = { name = "apps", host_encryption_enabled = true }
  }
}
`,
      'modules/pools/main.tf': POOL_MODULE,
    });
    const { snapshot } = await loadTf(dir);
    expect(snapshot.targets.map((t) => t.name)).toEqual(['aks']);
    expect(snapshot.clusters[0]?.pools.map((p) => p.name)).toEqual(['system', 'apps']);
    const { report } = await scanTf([dir]);
    const ids = fired(report as never);
    expect(ids).toContain('control-plane/kubernetes-version-unsupported apps');
    expect(ids).toContain('patching/pool-version-skew apps');
    expect(ids.some((id) => id.includes('var.'))).toBe(false);
  });

  it('a cluster module named by its caller, its id reaching a pool module through an output; references count as set', async () => {
    const dir = tfFolder({
      'main.tf': `resource "azurerm_disk_encryption_set" "des" {
  name = "des"
}
module "aks" {
  source                 = "./modules/aks"
  cluster_name           = "test-cluster"
  disk_encryption_set_id = azurerm_disk_encryption_set.des.id
}
module "pools" {
  source                = "./modules/pools"
  kubernetes_cluster_id = module.aks.cluster_id
  node_pools            = { batch = { name = "batch" } }
}
`,
      'modules/aks/main.tf': `variable "cluster_name" {}
variable "disk_encryption_set_id" {
  default = null
}
resource "azurerm_kubernetes_cluster" "main" {
  name                   = var.cluster_name
  disk_encryption_set_id = var.disk_encryption_set_id
  default_node_pool {
    name = "system"
  }
}
output "cluster_id" {
  value = azurerm_kubernetes_cluster.main.id
}
`,
      'modules/pools/main.tf': POOL_MODULE,
    });
    const { snapshot } = await loadTf(dir);
    expect(snapshot.clusters.map((c) => [c.name, c.pools.map((p) => p.name)])).toEqual([
      ['test-cluster', ['system', 'batch']],
    ]);
    const { report } = await scanTf([dir]);
    const ids = fired(report as never);
    expect(ids.filter((id) => id.startsWith('encryption/customer-managed-keys-missing'))).toEqual([]);
    expect(ids).toContain('control-plane/api-server-unrestricted test-cluster');
    const remediation = report?.findings.find((f) => f.ruleId === 'control-plane/api-server-unrestricted')?.remediation;
    expect(remediation).toContain('-n test-cluster');
  });

  it('a pool whose cluster is outside the input is judged alone, named by its address, never by a variable', async () => {
    const dir = tfFolder({ 'main.tf': POOL_MODULE.replace('default = {}', 'default = { a = { name = "apps" } }') });
    const { snapshot } = await loadTf(dir);
    expect(snapshot.targets.map((t) => t.name)).toEqual(['azurerm_kubernetes_cluster_node_pool.this["a"]']);
    expect(snapshot.clusters[0]?.settings).toBeUndefined();
    expect(snapshot.clusters[0]?.pools.map((p) => p.name)).toEqual(['apps']);
  });
});

describe('names and paths', () => {
  it('findings name the resolved cluster and pool; paths are Terraform attributes; unresolved names are addresses', async () => {
    const dir = tfFolder({
      'main.tf': `variable "prefix" {}
variable "env" {
  default = "prod"
}
resource "azurerm_kubernetes_cluster" "named" {
  name = "\${var.env}-aks"
  default_node_pool {
    name = "system"
  }
}
resource "azurerm_kubernetes_cluster" "unnamed" {
  name = "\${var.prefix}-aks"
  default_node_pool {
    name = "system"
  }
}
resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                  = "user"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.named.id
}
resource "azurerm_kubernetes_cluster_node_pool" "batch" {
  name                  = "batch"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.unnamed.id
}
`,
    });
    const { report } = await scanTf([dir]);
    expect(report?.targets.map((t) => t.name).sort()).toEqual(['azurerm_kubernetes_cluster.unnamed', 'prod-aks']);
    const ssh = report?.findings.filter((f) => f.ruleId === 'node-access/ssh-enabled');
    expect(ssh?.map((f) => [f.resource.name, f.path])).toEqual(
      expect.arrayContaining([
        ['system', 'default_node_pool'],
        ['user', 'azurerm_kubernetes_cluster_node_pool.user'],
      ]),
    );
    for (const finding of report?.findings ?? []) {
      expect(finding.path).not.toMatch(/properties\.|agentPoolProfiles/);
      expect(finding.message).not.toContain('${');
      expect(finding.resource.name).not.toContain('${');
    }
    const local = report?.findings.find(
      (f) => f.ruleId === 'identity/local-accounts-enabled' && f.resource.name === 'prod-aks',
    );
    expect(local?.remediation).toContain('-n prod-aks');
    expect(local?.location).toMatchObject({ file: join(dir, 'main.tf'), line: 5 });
    // An address stands in for the name in the report, never in a command; its pools still join it.
    const unnamed = report?.findings.filter((f) => f.target.endsWith('azurerm_kubernetes_cluster.unnamed'));
    const local2 = unnamed?.find((f) => f.ruleId === 'identity/local-accounts-enabled');
    expect(local2?.remediation).toContain('-n <cluster>');
    expect(unnamed?.find((f) => f.ruleId === 'node-access/ssh-enabled' && f.resource.name === 'batch')).toBeDefined();
  });
});

describe('legacy pools and the Cilium dataplane', () => {
  it('azurerm 1.x/2.x agent_pool_profile blocks are pools, the first the System pool', async () => {
    const dir = tfFolder({
      'main.tf': `resource "azurerm_kubernetes_cluster" "old" {
  name = "old"
  agent_pool_profile {
    name  = "default"
    count = 3
  }
  agent_pool_profile {
    name                  = "public"
    enable_node_public_ip = true
  }
}
`,
    });
    const { snapshot } = await loadTf(dir);
    const pools = snapshot.clusters[0]?.pools ?? [];
    expect(pools.map((p) => [p.name, p.settings.get('mode').value])).toEqual([
      ['default', 'System'],
      ['public', 'User'],
    ]);
    const { report } = await scanTf([dir]);
    const publicIp = report?.findings.find((f) => f.ruleId === 'node-access/node-public-ip');
    expect(publicIp).toMatchObject({ resource: { name: 'public' }, path: 'agent_pool_profile.enable_node_public_ip' });
    expect(publicIp?.location?.line).toBe(9);
  });

  it('Cilium (4.x network_data_plane, 3.x ebpf_data_plane) without network_policy passes network-policy-disabled', async () => {
    const network = (lines: string) => `  network_profile {\n    network_plugin = "azure"\n${lines}\n  }`;
    const dir = tfFolder({
      'main.tf': [
        tfCluster('cilium4', network('    network_data_plane = "cilium"')),
        tfCluster('cilium3', network('    ebpf_data_plane = "cilium"')),
        tfCluster('nopolicy', network('')),
      ].join('\n'),
    });
    const { report } = await scanTf([dir]);
    const failing = report?.findings.filter((f) => f.ruleId === 'isolation/network-policy-disabled');
    expect(failing?.map((f) => [f.resource.name, f.unknown])).toEqual([['nopolicy', false]]);
  });
});

/** An azapi cluster whose body is built as the Azure Verified Module for AKS builds it: typed variables, null guards, filters. */
const AVM_LIKE = `
variable "name" {
  type = string
}
variable "parent_id" {
  type = string
}
variable "auto_upgrade_profile" {
  type = object({
    upgrade_channel         = optional(string)
    node_os_upgrade_channel = optional(string, "NodeImage")
  })
  default = null
}
variable "api_server_access_profile" {
  type = object({
    authorized_ip_ranges   = optional(list(string))
    enable_private_cluster = optional(bool)
  })
  default = null
}
variable "disable_local_accounts" {
  type    = bool
  default = true
}
variable "dns_prefix" {
  type    = string
  default = null
}
variable "network_profile" {
  type = object({
    network_plugin = optional(string, "azure")
    network_policy = optional(string)
  })
  default = {}
}
variable "sku" {
  type    = object({ name = string, tier = string })
  default = { name = "Base", tier = "Standard" }
}
locals {
  is_automatic = var.sku.name == "Automatic"
  body_full = {
    properties = {
      apiServerAccessProfile = var.api_server_access_profile == null ? null : {
        authorizedIPRanges   = var.api_server_access_profile.authorized_ip_ranges == null ? null : [for item in var.api_server_access_profile.authorized_ip_ranges : item]
        enablePrivateCluster = var.api_server_access_profile.enable_private_cluster
      }
      autoUpgradeProfile = var.auto_upgrade_profile == null ? null : {
        upgradeChannel       = var.auto_upgrade_profile.upgrade_channel
        nodeOSUpgradeChannel = var.auto_upgrade_profile.node_os_upgrade_channel
      }
      disableLocalAccounts = var.disable_local_accounts
      dnsPrefix            = coalesce(var.dns_prefix, random_string.dns_prefix.result)
      agentPoolProfiles = [merge({
        for k, v in { count = 3, vmSize = "Standard_D4ds_v5", enableEncryptionAtHost = null } : k => v if v != null
      }, { name = "system", mode = "System" })]
      networkProfile = lookup(var.network_profile, "network_plugin", null) == null ? null : {
        networkPlugin = var.network_profile.network_plugin
        networkPolicy = try(var.network_profile.network_policy, null)
      }
    }
  }
  properties_regex = local.is_automatic ? "^(apiServerAccessProfile|autoUpgradeProfile)$" : "^(.*)$"
  body = merge(local.body_full, {
    properties = {
      for k, v in local.body_full.properties : k => v if can(regex(local.properties_regex, k)) && v != null
    }
  })
}
resource "random_string" "dns_prefix" {
  length = 10
}
resource "azapi_resource" "this" {
  type      = var.network_profile == null ? "Microsoft.ContainerService/managedClusters@2025-01-01" : "Microsoft.ContainerService/managedClusters@2024-05-01"
  name      = var.name
  parent_id = var.parent_id
  body      = local.body
}
output "resource_id" {
  value = azapi_resource.this.id
}
`;

describe('azapi bodies built with expressions', () => {
  it('an AVM-style body is decided like a literal one: upgrade_channel = "none" fails', async () => {
    const dir = tfFolder({
      'main.tf': `module "aks" {
  source    = "./modules/avm"
  name      = "avm-aks"
  parent_id = "/subscriptions/0000/resourceGroups/rg"
  auto_upgrade_profile = {
    upgrade_channel = "none"
  }
  api_server_access_profile = {
    authorized_ip_ranges = ["0.0.0.0/0"]
  }
}
module "pool" {
  source    = "./modules/pool"
  parent_id = module.aks.resource_id
}
`,
      'modules/avm/main.tf': AVM_LIKE,
      'modules/pool/main.tf': `variable "parent_id" {}
resource "azapi_resource" "this" {
  type      = "Microsoft.ContainerService/managedClusters/agentPools@2024-05-01"
  name      = "apps"
  parent_id = var.parent_id
  body = {
    properties = merge({ mode = "User" }, { enableNodePublicIP = true })
  }
}
`,
    });
    const { snapshot } = await loadTf(dir);
    expect(snapshot.clusters.map((c) => [c.name, c.apiVersion, c.pools.map((p) => p.name)])).toEqual([
      ['avm-aks', '2024-05-01', ['system', 'apps']],
    ]);
    const { report } = await scanTf([dir]);
    const ids = fired(report as never);
    expect(ids).toContain('control-plane/cluster-auto-upgrade-disabled avm-aks');
    expect(ids).toContain('control-plane/authorized-ranges-too-broad avm-aks');
    expect(ids).toContain('isolation/network-policy-disabled avm-aks');
    expect(ids).toContain('node-access/node-public-ip apps');
    expect(ids).toContain('encryption/host-encryption-disabled system');
    expect(ids.filter((id) => id.startsWith('identity/local-accounts-enabled'))).toEqual([]);
    expect(report?.findings.filter((f) => f.unknown)).toEqual([]);
    const upgrade = report?.findings.find((f) => f.ruleId === 'control-plane/cluster-auto-upgrade-disabled');
    expect(upgrade?.path).toBe('body.properties.autoUpgradeProfile.upgradeChannel');
    expect(upgrade?.message).toContain('"none"');
  });

  it('an undecided finding names the unknown input in one short sentence', async () => {
    const dir = tfFolder({
      'main.tf': `variable "channel" {
  type = string
}
resource "azapi_resource" "aks" {
  type = "Microsoft.ContainerService/managedClusters@2024-05-01"
  name = "aks"
  body = {
    properties = {
      autoUpgradeProfile = {
        upgradeChannel = lower(format("%s", var.channel)) == "none" ? null : {
          for k, v in { a = 1 } : k => v
        }
      }
    }
  }
}
`,
    });
    const { report } = await scanTf([dir]);
    const upgrade = report?.findings.find((f) => f.ruleId === 'control-plane/cluster-auto-upgrade-disabled');
    expect(upgrade?.unknown).toBe(true);
    expect(upgrade?.message).toMatch(/^cannot tell: var\.channel \(no default and no value given\)\. If it fails: /);
    for (const finding of report?.findings ?? []) expect(finding.message).not.toContain('\n');
  });
});
