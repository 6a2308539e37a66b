import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Random, seeded } from './random.js';

/**
 * `folders` Terraform root modules of five `.tf` files each (variables, locals, cluster, node pools, outputs) plus
 * a `terraform.tfvars`, with settings varied so every rule has work to do; every fifth folder declares its
 * cluster through a local module. Returns the `.tf` files written.
 */
export function generateTerraformFiles(dir: string, folders: number, seed = 1): string[] {
  const random = seeded(seed);
  const written: string[] = [];
  const write = (path: string, text: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    if (path.endsWith('.tf')) written.push(path);
  };
  for (let i = 0; i < folders; i++) {
    const folder = join(dir, `stack-${String(i).padStart(3, '0')}`);
    const viaModule = i % 5 === 4;
    write(join(folder, 'variables.tf'), variables(random));
    write(join(folder, 'terraform.tfvars'), `name = "aks-${i}"\nprivate = ${random.chance(0.3)}\n`);
    write(join(folder, 'locals.tf'), locals(random));
    if (viaModule) {
      write(join(folder, 'main.tf'), moduleCall());
      write(join(folder, 'modules', 'aks', 'main.tf'), cluster(random, 'module'));
      write(join(folder, 'modules', 'aks', 'variables.tf'), variables(random));
    } else {
      write(join(folder, 'main.tf'), cluster(random, 'root'));
      write(join(folder, 'pools.tf'), pools(random));
    }
    write(join(folder, 'outputs.tf'), 'output "id" {\n  value = azurerm_kubernetes_cluster.this.id\n}\n');
  }
  return written;
}

function variables(random: Random): string {
  return `variable "name" {
  type = string
}

variable "private" {
  type    = bool
  default = false
}

variable "kubernetes_version" {
  type    = string
  default = "1.${random.int(30, 37)}"
}

variable "authorized_ranges" {
  type    = list(string)
  default = ${random.pick(['["0.0.0.0/0"]', '["203.0.113.0/24"]', '[]', '["10.0.0.0/8", "198.51.100.7/32"]'])}
}
`;
}

function locals(random: Random): string {
  return `locals {
  tags = {
    env   = "${random.pick(['prod', 'staging', 'dev'])}"
    owner = "team-${random.int(1, 40)}"
  }
  dns_prefix = "\${var.name}-dns"
  windows    = ${random.chance(0.3)}
}
`;
}

function moduleCall(): string {
  return `module "aks" {
  source             = "./modules/aks"
  name               = var.name
  private            = var.private
  kubernetes_version = var.kubernetes_version
  authorized_ranges  = var.authorized_ranges
}
`;
}

function cluster(random: Random, where: 'root' | 'module'): string {
  const tags = where === 'root' ? 'local.tags' : '{ env = "module" }';
  const prefix = where === 'root' ? 'local.dns_prefix' : 'format("%s-dns", var.name)';
  return `resource "azurerm_kubernetes_cluster" "this" {
  name                      = var.name
  location                  = "${random.pick(['westeurope', 'northeurope', 'eastus2', 'swedencentral'])}"
  resource_group_name       = "rg-\${var.name}"
  dns_prefix                = ${prefix}
  kubernetes_version        = var.kubernetes_version
  private_cluster_enabled   = var.private
  local_account_disabled    = ${random.chance(0.4)}
  azure_policy_enabled      = ${random.chance(0.6)}
  workload_identity_enabled = ${random.chance(0.6)}
  oidc_issuer_enabled       = true
  automatic_upgrade_channel = ${random.pick(['"patch"', '"stable"', 'null'])}
  node_os_upgrade_channel   = "${random.pick(['NodeImage', 'SecurityPatch', 'Unmanaged', 'None'])}"
  tags                      = ${tags}

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4ds_v5"
    node_count                   = ${random.int(1, 5)}
    only_critical_addons_enabled = ${random.chance(0.5)}
    host_encryption_enabled      = ${random.chance(0.5)}
    zones                        = ["1", "2", "3"]
  }

  api_server_access_profile {
    authorized_ip_ranges = var.authorized_ranges
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin = "azure"
    network_policy = ${random.pick(['"azure"', '"calico"', '"cilium"', 'null'])}
  }
${random.chance(0.5) ? '\n  microsoft_defender {\n    log_analytics_workspace_id = azurerm_log_analytics_workspace.law.id\n  }\n' : ''}${random.chance(0.6) ? '\n  oms_agent {\n    log_analytics_workspace_id = azurerm_log_analytics_workspace.law.id\n  }\n' : ''}${random.chance(0.5) ? '\n  maintenance_window_node_os {\n    frequency   = "Weekly"\n    interval    = 1\n    duration    = 4\n    day_of_week = "Sunday"\n    start_time  = "01:00"\n  }\n' : ''}}
`;
}

function pools(random: Random): string {
  return `resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  name                   = "apps"
  kubernetes_cluster_id  = azurerm_kubernetes_cluster.this.id
  vm_size                = "Standard_D8ds_v5"
  node_count             = ${random.int(1, 10)}
  node_public_ip_enabled = ${random.chance(0.1)}
}

resource "azurerm_kubernetes_cluster_node_pool" "win" {
  count                 = local.windows ? 1 : 0
  name                  = "win\${count.index}"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.this.id
  vm_size               = "Standard_D4ds_v5"
  os_type               = "Windows"
}
`;
}
