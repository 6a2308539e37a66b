import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import {
  tfCluster as cluster,
  tfFolder as folder,
  loadTf as load,
  tfPlan as plan,
  scanTf as scan,
} from '../support/terraform.js';

describe('terraform source: errors and what is ignored', () => {
  it('a syntax error exits 2 with file:line:column and hcl2json’s message, on one line', async () => {
    const dir = folder({ 'main.tf': 'resource "azurerm_kubernetes_cluster" "k" {\n  name = \n}\n' });
    const run = await runMain(['scan', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`${join(dir, 'main.tf')}:2:`);
    expect(run.stderr).toMatch(/Invalid expression/);
  });

  it('ignores providers, data sources and resources it does not know', async () => {
    const dir = folder({
      'main.tf': `provider "google" {
  project = "p"
}
resource "google_container_cluster" "gke" {
  name = "gke"
}
data "azurerm_client_config" "current" {}
${cluster('aks')}`,
    });
    const { snapshot } = await load(dir);
    expect(snapshot.targets.map((t) => t.name)).toEqual(['aks']);
    const only = folder({ 'main.tf': 'resource "aws_eks_cluster" "x" {\n  name = "x"\n}\n' });
    const run = await scan([only, '--allow-empty']);
    expect(run.code).toBe(0);
    expect(run.report?.targets).toEqual([]);
  });
});

describe('terraform source: values', () => {
  it('resolves variables from defaults, terraform.tfvars and *.auto.tfvars (later wins), and locals', async () => {
    const dir = folder({
      'variables.tf': `variable "name" {
  default = "from-default"
}
variable "private" {
  default = false
}
variable "ranges" {}
`,
      'main.tf': `locals {
  cluster = "\${var.name}-aks"
}
resource "azurerm_kubernetes_cluster" "k" {
  name                    = local.cluster
  private_cluster_enabled = var.private
  api_server_access_profile {
    authorized_ip_ranges = var.ranges
  }
}
`,
      'terraform.tfvars': 'name = "from-tfvars"\nprivate = true\n',
      'z.auto.tfvars': 'name = "from-auto"\n',
    });
    const { snapshot } = await load(dir);
    const [c] = snapshot.clusters;
    expect(c?.name).toBe('from-auto-aks');
    expect(c?.settings?.get('apiServerAccessProfile.enablePrivateCluster').value).toBe(true);
    // A variable without default or value is unknown, never guessed.
    expect(c?.settings?.get('apiServerAccessProfile.authorizedIPRanges').unresolved?.expression).toBe('var.ranges');
  });

  it('an unknown value gives an unknown finding, not a pass or a fail', async () => {
    const dir = folder({
      'main.tf': `variable "private" {}
${cluster('k', '  private_cluster_enabled = var.private')}`,
    });
    const { report } = await scan([dir]);
    const finding = report?.findings.find((f) => f.ruleId === 'control-plane/api-server-unrestricted');
    expect(finding?.unknown).toBe(true);
    expect(finding?.message).toContain('var.private');
  });

  it('applies the azurerm defaults where attributes are absent', async () => {
    const { snapshot } = await load(folder({ 'main.tf': cluster('k') }));
    const [c] = snapshot.clusters;
    const get = (path: string) => c?.settings?.get(path).value;
    expect(get('enableRBAC')).toBe(true);
    expect(get('disableLocalAccounts')).toBe(false);
    expect(get('apiServerAccessProfile.enablePrivateCluster')).toBe(false);
    expect(get('apiServerAccessProfile.enablePrivateClusterPublicFQDN')).toBe(false);
    expect(get('autoUpgradeProfile.nodeOSUpgradeChannel')).toBe('NodeImage');
    expect(get('autoUpgradeProfile.upgradeChannel')).toBeUndefined();
    expect(c?.pools[0]?.settings.get('mode').value).toBe('System');
    expect(c?.pools[0]?.settings.get('enableNodePublicIP').value).toBe(false);
    expect(c?.maintenanceConfigurations).toEqual([]);
  });

  it('reads azurerm 3.x names', async () => {
    const dir = folder({
      'main.tf': `resource "azurerm_kubernetes_cluster" "k" {
  name                            = "k"
  automatic_channel_upgrade       = "stable"
  node_os_channel_upgrade         = "Unmanaged"
  api_server_authorized_ip_ranges = ["0.0.0.0/0"]
  default_node_pool {
    name                   = "default"
    enable_node_public_ip  = true
    enable_host_encryption = true
  }
}
`,
    });
    const [c] = (await load(dir)).snapshot.clusters;
    expect(c?.settings?.get('autoUpgradeProfile.upgradeChannel').value).toBe('stable');
    expect(c?.settings?.get('autoUpgradeProfile.nodeOSUpgradeChannel').value).toBe('Unmanaged');
    expect(c?.settings?.get('apiServerAccessProfile.authorizedIPRanges').value).toEqual(['0.0.0.0/0']);
    expect(c?.pools[0]?.settings.get('enableNodePublicIP').value).toBe(true);
    expect(c?.pools[0]?.settings.get('enableEncryptionAtHost').value).toBe(true);
  });

  it('never copies secrets into the report', async () => {
    const dir = folder({
      'main.tf': `variable "secret" {}
${cluster('k', '  service_principal {\n    client_id     = "app-id"\n    client_secret = var.secret\n  }')}`,
      'terraform.tfvars': 'secret = "hunter2-super-secret"\n',
    });
    const run = await runMain(['scan', dir, '--format', 'json']);
    expect(run.stdout).toContain('identity/service-principal-credentials');
    expect(run.stdout).not.toContain('hunter2');
  });
});

describe('terraform source: instances, pools and modules', () => {
  it('count and for_each with known values give one target per instance', async () => {
    const dir = folder({
      'main.tf': `resource "azurerm_kubernetes_cluster" "counted" {
  count = 2
  name  = "counted-\${count.index}"
}
resource "azurerm_kubernetes_cluster" "each" {
  for_each = { weu = "westeurope", neu = "northeurope" }
  name     = "each-\${each.key}"
  location = each.value
}
variable "n" {}
resource "azurerm_kubernetes_cluster" "unknown" {
  count = var.n
  name  = "unknown-count"
}
resource "azurerm_kubernetes_cluster" "none" {
  count = 0
  name  = "none"
}
`,
    });
    const { snapshot } = await load(dir);
    expect(snapshot.targets.map((t) => t.name).sort()).toEqual([
      'counted-0',
      'counted-1',
      'each-neu',
      'each-weu',
      'unknown-count',
    ]);
  });

  it('joins node pools to their cluster through kubernetes_cluster_id, across files, per count index', async () => {
    const dir = folder({
      'aks.tf': `resource "azurerm_kubernetes_cluster" "k" {
  count = 2
  name  = "k\${count.index}"
  default_node_pool {
    name = "system"
  }
}
`,
      'pools.tf': `resource "azurerm_kubernetes_cluster_node_pool" "win" {
  count                 = 2
  name                  = "win\${count.index}"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.k[count.index].id
  os_type               = "Windows"
}
`,
    });
    const { snapshot } = await load(dir);
    const pools = Object.fromEntries(snapshot.clusters.map((c) => [c.name, c.pools.map((p) => p.name)]));
    expect(pools).toEqual({ k0: ['system', 'win0'], k1: ['system', 'win1'] });
    const win = snapshot.clusters[0]?.pools[1];
    expect(win?.settings.get('osType').value).toBe('Windows');
    expect(win?.settings.get('mode').value).toBe('User');
  });

  it('follows local modules with their inputs; a called folder is not read again on its own', async () => {
    const dir = folder({
      'main.tf': `module "prod" {
  source  = "./modules/aks"
  name    = "prod"
  private = true
}
module "dev" {
  source  = "./modules/aks"
  name    = "dev"
  private = false
}
module "net" {
  source  = "Azure/network/azurerm"
  version = "5.0.0"
}
`,
      'modules/aks/main.tf': `variable "name" {}
variable "private" {
  default = false
}
resource "azurerm_kubernetes_cluster" "this" {
  name                    = var.name
  private_cluster_enabled = var.private
}
`,
    });
    const loaded = await load(dir);
    const privacy = Object.fromEntries(
      loaded.snapshot.clusters.map((c) => [
        c.name,
        c.settings?.get('apiServerAccessProfile.enablePrivateCluster').value,
      ]),
    );
    expect(privacy).toEqual({ prod: true, dev: false });
    expect(loaded.skipped).toHaveLength(1);
    expect(loaded.skipped[0]?.reason).toMatch(/module "net" .*is not followed/);
    const run = await runMain(['scan', dir]);
    expect(run.stdout).toMatch(/skipped .*module "net"/);
  });

  it('reads azapi_resource clusters (jsonencode or HCL body) and agent pools joined through parent_id', async () => {
    const dir = folder({
      'main.tf': `resource "azapi_resource" "aks" {
  type      = "Microsoft.ContainerService/managedClusters@2024-05-01"
  name      = "azapi-aks"
  parent_id = azurerm_resource_group.rg.id
  body = jsonencode({
    properties = {
      enableRBAC           = true
      disableLocalAccounts = true
      agentPoolProfiles = [{
        name   = "system"
        mode   = "System"
        osType = "Linux"
      }]
    }
  })
}
resource "azapi_resource" "win" {
  type      = "Microsoft.ContainerService/managedClusters/agentPools@2024-05-01"
  name      = "win"
  parent_id = azapi_resource.aks.id
  body = {
    properties = {
      osType            = "Windows"
      mode              = "User"
      enableNodePublicIP = true
    }
  }
}
`,
    });
    const { snapshot } = await load(dir);
    const [c] = snapshot.clusters;
    expect(snapshot.clusters).toHaveLength(1);
    expect(c?.name).toBe('azapi-aks');
    expect(c?.apiVersion).toBe('2024-05-01');
    expect(c?.settings?.get('disableLocalAccounts').value).toBe(true);
    expect(c?.pools.map((p) => p.name)).toEqual(['system', 'win']);
    const { report } = await scan([dir]);
    const publicIp = report?.findings.find((f) => f.ruleId === 'node-access/node-public-ip');
    expect(publicIp?.resource.name).toBe('win');
    expect(publicIp?.location).toMatchObject({ file: join(dir, 'main.tf'), line: 25 });
  });
});

describe('terraform source: locations', () => {
  it('points at the attribute, or at the resource block when the attribute is absent', async () => {
    const dir = folder({
      'main.tf': `${cluster('k', '  local_account_disabled = false\n  network_profile {\n    network_plugin = "azure"\n  }')}`,
    });
    const { report } = await scan([dir]);
    const at = (ruleId: string) => report?.findings.find((f) => f.ruleId === ruleId);
    const file = join(dir, 'main.tf');
    expect(at('identity/local-accounts-enabled')).toMatchObject({
      location: { file, line: 9, column: 3 },
      path: 'local_account_disabled',
    });
    expect(at('control-plane/api-server-unrestricted')).toMatchObject({
      location: { file, line: 2, column: 1 },
      path: 'api_server_access_profile.authorized_ip_ranges',
    });
    expect(at('isolation/network-policy-disabled')).toMatchObject({
      location: { file, line: 10 },
      path: 'network_profile.network_policy',
    });
    expect(at('encryption/host-encryption-disabled')).toMatchObject({
      location: { file, line: 5 },
      path: 'default_node_pool.host_encryption_enabled',
    });
  });

  it('reads one .tf text from stdin with --input-format terraform', async () => {
    const run = await scan(['-', '--input-format', 'terraform'], cluster('piped'));
    expect(run.code).toBe(1);
    expect(run.report?.targets.map((t) => t.name)).toEqual(['piped']);
    expect(run.report?.findings.some((f) => f.location?.file === '<stdin>')).toBe(true);
  });
});

describe('terraform plan source', () => {
  it('is detected by format_version and planned_values, and located in the JSON', async () => {
    const dir = folder({
      'plan.json': plan({ name: 'planned', private_cluster_enabled: true, default_node_pool: [{ name: 'system' }] }),
    });
    const { snapshot } = await load(dir);
    const [c] = snapshot.clusters;
    expect(c?.name).toBe('planned');
    const fact = c?.settings?.get('apiServerAccessProfile.enablePrivateCluster');
    expect(fact?.value).toBe(true);
    expect(fact?.doc.locate(fact.path)?.line).toBe(1);
    expect(fact?.doc.describe?.(fact.path)).toBe('private_cluster_enabled');
  });

  it('a value only the apply will know (after_unknown) is unknown, not the provider default', async () => {
    const text = plan(
      { name: 'k' },
      {},
      {
        resource_changes: [
          {
            address: 'azurerm_kubernetes_cluster.k',
            change: { actions: ['create'], after_unknown: { private_cluster_enabled: true, oms_agent: true } },
          },
        ],
      },
    );
    const { report } = await scan([folder({ 'plan.json': text })]);
    const verdict = (ruleId: string) => report?.findings.find((f) => f.ruleId === ruleId)?.unknown;
    expect(verdict('control-plane/api-server-unrestricted')).toBe(true);
    expect(verdict('monitoring/container-insights-disabled')).toBe(true);
    expect(verdict('identity/local-accounts-enabled')).toBe(false);
  });

  it('can be forced with --input-format terraform-plan', async () => {
    const run = await scan(['-', '--input-format', 'terraform-plan'], plan({ name: 'piped-plan' }));
    expect(run.report?.targets.map((t) => t.name)).toEqual(['piped-plan']);
  });
});
