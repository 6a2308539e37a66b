variable "name" {
  type        = string
  description = "Cluster name; also names its resource group (rg-<name>)."
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "kubernetes_version" {
  type    = string
  default = "1.33"
}

variable "api_server_authorized_ranges" {
  type        = list(string)
  description = "CIDRs allowed to reach the API server."
  default     = ["0.0.0.0/0"]
}

variable "batch_nodes" {
  type    = number
  default = 2
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Workspace for Container Insights; unknown until the workspace exists."
}
