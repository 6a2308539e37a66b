# A production AKS cluster as teams often first write it: it works, and it leaves the API server open to the
# internet, local accounts on, nodes that never reboot after patches, and a user pool with public IPs and SSH.
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "shop" {
  name     = "rg-${var.name}"
  location = var.location
}

resource "azurerm_kubernetes_cluster" "shop" {
  name                = var.name
  location            = azurerm_resource_group.shop.location
  resource_group_name = azurerm_resource_group.shop.name
  dns_prefix          = var.name
  kubernetes_version  = var.kubernetes_version
  sku_tier            = "Standard"

  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "Unmanaged"

  default_node_pool {
    name                    = "system"
    vm_size                 = "Standard_D4s_v5"
    node_count              = 3
    zones                   = ["1", "2", "3"]
    host_encryption_enabled = true
  }

  identity {
    type = "SystemAssigned"
  }

  api_server_access_profile {
    authorized_ip_ranges = var.api_server_authorized_ranges
  }

  network_profile {
    network_plugin = "azure"
    network_policy = "azure"
  }

  oms_agent {
    log_analytics_workspace_id = var.log_analytics_workspace_id
  }

  tags = local.tags
}

resource "azurerm_kubernetes_cluster_node_pool" "batch" {
  name                   = "batch"
  kubernetes_cluster_id  = azurerm_kubernetes_cluster.shop.id
  vm_size                = "Standard_D8s_v5"
  node_count             = var.batch_nodes
  node_public_ip_enabled = true
  tags                   = local.tags
}

locals {
  tags = {
    team        = "shop"
    environment = "production"
  }
}
