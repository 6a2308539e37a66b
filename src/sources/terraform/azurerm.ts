import { Unresolved } from '../../model/unresolved.js';
import { ArmBuilder, type TfBody } from './arm-shape.js';

/**
 * `azurerm_kubernetes_cluster` and `azurerm_kubernetes_cluster_node_pool` in the ARM REST shape the rules read.
 * Each attribute lists its azurerm 4.x name first, then its 3.x (and 2.x) names. Where an attribute is absent the
 * azurerm provider's own default applies; it is written out only where it differs from what ARM assumes when the
 * property is missing (README: "Terraform inputs" lists them):
 * - `private_cluster_public_fqdn_enabled` false (ARM: the public FQDN exists for a private cluster),
 * - `node_os_upgrade_channel` NodeImage (azurerm 4.x default; ARM's depends on the API version),
 * - `role_based_access_control_enabled` true, `local_account_disabled` false, `run_command_enabled` true,
 *   `workload_identity_enabled` false, `image_cleaner_enabled` false, `node_public_ip_enabled` false,
 *   `host_encryption_enabled` false (same as ARM's, written so findings point at the attribute to set),
 * - the default node pool is a Linux System pool; a separate node pool is a Linux User pool unless it says.
 */
export function mapCluster(body: TfBody, file: string, label = ''): ArmBuilder {
  const b = new ArmBuilder(file, body.where(), label);
  b.map('name', body, ['name']);
  b.set('type', 'Microsoft.ContainerService/managedClusters', '', undefined);
  b.map('properties.kubernetesVersion', body, ['kubernetes_version']);
  b.map('properties.supportPlan', body, ['support_plan']);
  b.map('sku.tier', body, ['sku_tier']);
  b.map('properties.dnsPrefix', body, ['dns_prefix']);
  b.map('properties.enableRBAC', body, ['role_based_access_control_enabled'], { default: true });
  legacyRbac(b, body);
  b.map('properties.disableLocalAccounts', body, ['local_account_disabled'], { default: false });
  b.map('properties.diskEncryptionSetID', body, ['disk_encryption_set_id']);
  b.map('properties.oidcIssuerProfile.enabled', body, ['oidc_issuer_enabled']);
  apiServer(b, body);
  upgrades(b, body);
  security(b, body);
  addons(b, body);
  identity(b, body);
  network(b, body);
  const pool = body.blocks('default_node_pool')[0];
  // azurerm 1.x/2.x declared every pool as an `agent_pool_profile` block; the first is the System pool.
  const pools: [TfBody, string][] = pool
    ? [[pool, 'default_node_pool']]
    : body.blocks('agent_pool_profile').map((p) => [p, 'agent_pool_profile']);
  for (const [i, [found, block]] of pools.entries()) {
    const profile = mapPool(found, file, i === 0 ? 'System' : 'User', `${block}.`);
    profile.map('name', found, ['name']);
    b.nest('properties.agentPoolProfiles', i, profile, block);
  }
  return b;
}

/** One node pool's ARM properties (an `agentPoolProfiles[]` entry or an agentPools resource's `properties`). */
export function mapPool(body: TfBody, file: string, mode: 'System' | 'User', prefix = '', label = ''): ArmBuilder {
  const b = new ArmBuilder(file, body.where(), label);
  const o = { prefix };
  b.map('vmSize', body, ['vm_size'], o);
  b.map('count', body, ['node_count', 'count'], o);
  b.map('osType', body, ['os_type'], { ...o, default: 'Linux' });
  b.map('osSKU', body, ['os_sku'], o);
  b.map('mode', body, ['mode'], { ...o, default: mode });
  b.map('orchestratorVersion', body, ['orchestrator_version'], o);
  b.map('enableNodePublicIP', body, ['node_public_ip_enabled', 'enable_node_public_ip'], { ...o, default: false });
  b.map('nodePublicIPPrefixID', body, ['node_public_ip_prefix_id'], o);
  b.map('enableEncryptionAtHost', body, ['host_encryption_enabled', 'enable_host_encryption'], {
    ...o,
    default: false,
  });
  b.map('enableAutoScaling', body, ['auto_scaling_enabled', 'enable_auto_scaling'], o);
  b.map('vnetSubnetID', body, ['vnet_subnet_id'], o);
  b.map('maxPods', body, ['max_pods'], o);
  b.map('availabilityZones', body, ['zones', 'availability_zones'], o);
  b.map('nodeLabels', body, ['node_labels'], o);
  b.map('nodeTaints', body, ['node_taints'], o);
  const critical = body.attr('only_critical_addons_enabled');
  if (critical !== undefined) {
    const taint = 'CriticalAddonsOnly=true:NoSchedule';
    const taints = critical instanceof Unresolved ? critical : critical === true ? [taint] : undefined;
    if (taints !== undefined)
      b.set('nodeTaints', taints, `${prefix}only_critical_addons_enabled`, body.where('only_critical_addons_enabled'));
  }
  return b;
}

/**
 * The first block named `name`, described at `arm`. When only `dynamic` blocks with an unknown `for_each` could
 * create it, `arm` is set to that unknown value (its settings are unknown, not absent) and undefined returned.
 */
function section(b: ArmBuilder, body: TfBody | undefined, name: string, arm: string, prefix = ''): TfBody | undefined {
  const found = body?.blocks(name)[0];
  b.describe(arm, `${prefix}${name}`, found?.where() ?? body?.where(name));
  if (found) return found;
  const unknown = body?.unknownBlock?.(name);
  if (unknown) b.set(arm, unknown, `${prefix}${name}`, body?.where(name));
  return undefined;
}

function apiServer(b: ArmBuilder, body: TfBody): void {
  const profile = section(b, body, 'api_server_access_profile', 'properties.apiServerAccessProfile.authorizedIPRanges');
  b.map('properties.apiServerAccessProfile.enablePrivateCluster', body, ['private_cluster_enabled'], {
    default: false,
  });
  b.map(
    'properties.apiServerAccessProfile.enablePrivateClusterPublicFQDN',
    body,
    ['private_cluster_public_fqdn_enabled'],
    { default: false },
  );
  b.map('properties.apiServerAccessProfile.privateDNSZone', body, ['private_dns_zone_id']);
  b.map('properties.apiServerAccessProfile.disableRunCommand', body, ['run_command_enabled'], {
    default: false,
    convert: negate,
  });
  if (body.unknownBlock?.('api_server_access_profile')) return;
  if (profile || body.attr('api_server_authorized_ip_ranges') === undefined) {
    b.map('properties.apiServerAccessProfile.authorizedIPRanges', profile, ['authorized_ip_ranges'], {
      prefix: 'api_server_access_profile.',
    });
  } else {
    b.map('properties.apiServerAccessProfile.authorizedIPRanges', body, ['api_server_authorized_ip_ranges']);
  }
}

function upgrades(b: ArmBuilder, body: TfBody): void {
  b.map('properties.autoUpgradeProfile.upgradeChannel', body, [
    'automatic_upgrade_channel',
    'automatic_channel_upgrade',
  ]);
  b.map(
    'properties.autoUpgradeProfile.nodeOSUpgradeChannel',
    body,
    ['node_os_upgrade_channel', 'node_os_channel_upgrade'],
    { default: 'NodeImage' },
  );
}

function security(b: ArmBuilder, body: TfBody): void {
  b.map('properties.securityProfile.workloadIdentity.enabled', body, ['workload_identity_enabled'], { default: false });
  b.map('properties.securityProfile.imageCleaner.enabled', body, ['image_cleaner_enabled'], { default: false });
  b.map('properties.securityProfile.imageCleaner.intervalHours', body, ['image_cleaner_interval_hours']);
  const defender = section(b, body, 'microsoft_defender', 'properties.securityProfile.defender');
  if (defender) {
    b.set(
      'properties.securityProfile.defender.securityMonitoring.enabled',
      true,
      'microsoft_defender',
      defender.where(),
    );
    b.map(
      'properties.securityProfile.defender.logAnalyticsWorkspaceResourceId',
      defender,
      ['log_analytics_workspace_id'],
      {
        prefix: 'microsoft_defender.',
      },
    );
  }
  const kms = section(b, body, 'key_management_service', 'properties.securityProfile.azureKeyVaultKms');
  if (kms) {
    b.set('properties.securityProfile.azureKeyVaultKms.enabled', true, 'key_management_service', kms.where());
    b.map('properties.securityProfile.azureKeyVaultKms.keyId', kms, ['key_vault_key_id'], {
      prefix: 'key_management_service.',
    });
    b.map('properties.securityProfile.azureKeyVaultKms.keyVaultNetworkAccess', kms, ['key_vault_network_access'], {
      prefix: 'key_management_service.',
    });
  }
  const aad = section(b, body, 'azure_active_directory_role_based_access_control', 'properties.aadProfile');
  if (aad) {
    const prefix = 'azure_active_directory_role_based_access_control.';
    b.map('properties.aadProfile.managed', aad, ['managed'], { prefix, default: true });
    b.map('properties.aadProfile.enableAzureRBAC', aad, ['azure_rbac_enabled'], { prefix });
    b.map('properties.aadProfile.adminGroupObjectIDs', aad, ['admin_group_object_ids'], { prefix });
    b.map('properties.aadProfile.tenantID', aad, ['tenant_id'], { prefix });
  }
}

/** azurerm 2.x: `role_based_access_control { enabled, azure_active_directory { managed, … } }`. */
function legacyRbac(b: ArmBuilder, body: TfBody): void {
  const rbac = body.blocks('role_based_access_control')[0];
  if (!rbac) return;
  b.map('properties.enableRBAC', rbac, ['enabled'], { prefix: 'role_based_access_control.', default: true });
  const aad = rbac.blocks('azure_active_directory')[0];
  if (!aad) return;
  const prefix = 'role_based_access_control.azure_active_directory.';
  b.map('properties.aadProfile.managed', aad, ['managed'], { prefix, default: false });
  b.map('properties.aadProfile.enableAzureRBAC', aad, ['azure_rbac_enabled'], { prefix });
}

function addons(b: ArmBuilder, body: TfBody): void {
  b.map('properties.addonProfiles.azurepolicy.enabled', body, ['azure_policy_enabled']);
  b.map('properties.addonProfiles.httpApplicationRouting.enabled', body, ['http_application_routing_enabled']);
  const blockAddons: [string, string][] = [
    ['oms_agent', 'omsagent'],
    ['key_vault_secrets_provider', 'azureKeyvaultSecretsProvider'],
    ['ingress_application_gateway', 'ingressApplicationGateway'],
    ['aci_connector_linux', 'aciConnectorLinux'],
  ];
  for (const [block, addon] of blockAddons) {
    const found = section(b, body, block, `properties.addonProfiles.${addon}`);
    if (!found) continue;
    b.set(`properties.addonProfiles.${addon}.enabled`, true, block, found.where());
    if (block === 'oms_agent') {
      b.map(
        `properties.addonProfiles.${addon}.config.logAnalyticsWorkspaceResourceID`,
        found,
        ['log_analytics_workspace_id'],
        {
          prefix: 'oms_agent.',
        },
      );
    }
  }
  // azurerm 2.x: addon_profile { kube_dashboard { enabled }, azure_policy { enabled }, oms_agent { enabled } }
  const legacy = body.blocks('addon_profile')[0];
  if (legacy) {
    const names: [string, string][] = [
      ['kube_dashboard', 'kubeDashboard'],
      ['azure_policy', 'azurepolicy'],
      ['oms_agent', 'omsagent'],
      ['http_application_routing', 'httpApplicationRouting'],
    ];
    for (const [block, addon] of names) {
      const found = legacy.blocks(block)[0];
      if (found)
        b.map(`properties.addonProfiles.${addon}.enabled`, found, ['enabled'], { prefix: `addon_profile.${block}.` });
    }
  }
  const metrics = section(b, body, 'monitor_metrics', 'properties.azureMonitorProfile.metrics');
  if (metrics) b.set('properties.azureMonitorProfile.metrics.enabled', true, 'monitor_metrics', metrics.where());
}

function identity(b: ArmBuilder, body: TfBody): void {
  const managed = section(b, body, 'identity', 'identity');
  if (managed) {
    b.map('identity.type', managed, ['type'], { prefix: 'identity.' });
    const ids = managed.attr('identity_ids');
    if (Array.isArray(ids)) {
      const assigned = Object.fromEntries(ids.map((id) => [String(id), {}]));
      b.set('identity.userAssignedIdentities', assigned, 'identity.identity_ids', managed.where('identity_ids'));
    }
  }
  const principal = section(b, body, 'service_principal', 'properties.servicePrincipalProfile');
  if (principal) {
    // The client secret is never copied: only whether the cluster uses a service principal matters.
    b.map('properties.servicePrincipalProfile.clientId', principal, ['client_id'], { prefix: 'service_principal.' });
  } else if (managed && !body.unknownBlock?.('service_principal')) {
    b.put('properties.servicePrincipalProfile.clientId', 'msi');
  }
  const windows = body.blocks('windows_profile')[0];
  if (windows)
    b.map('properties.windowsProfile.adminUsername', windows, ['admin_username'], { prefix: 'windows_profile.' });
  const linux = body.blocks('linux_profile')[0];
  if (linux) b.map('properties.linuxProfile.adminUsername', linux, ['admin_username'], { prefix: 'linux_profile.' });
}

function network(b: ArmBuilder, body: TfBody): void {
  const profile = section(b, body, 'network_profile', 'properties.networkProfile');
  if (!profile && body.unknownBlock?.('network_profile')) return;
  const o = { prefix: 'network_profile.' };
  b.map('properties.networkProfile.networkPlugin', profile, ['network_plugin'], o);
  b.map('properties.networkProfile.networkPluginMode', profile, ['network_plugin_mode'], o);
  b.map('properties.networkProfile.networkPolicy', profile, ['network_policy'], o);
  b.map('properties.networkProfile.networkDataplane', profile, ['network_data_plane', 'ebpf_data_plane'], o);
  b.map('properties.networkProfile.outboundType', profile, ['outbound_type'], o);
  b.map('properties.networkProfile.loadBalancerSku', profile, ['load_balancer_sku'], o);
}

const negate = (value: unknown): unknown => (typeof value === 'boolean' ? !value : value);

/** `maintenance_window*` blocks as the maintenance configurations ARM would hold. */
export const MAINTENANCE_BLOCKS: readonly [string, string][] = [
  ['maintenance_window', 'default'],
  ['maintenance_window_auto_upgrade', 'aksManagedAutoUpgradeSchedule'],
  ['maintenance_window_node_os', 'aksManagedNodeOSUpgradeSchedule'],
];

export function mapMaintenance(body: TfBody, file: string, block: string): ArmBuilder {
  const b = new ArmBuilder(file, body.where());
  const o = { prefix: `${block}.` };
  b.map('maintenanceWindow.schedule.frequency', body, ['frequency'], o);
  b.map('maintenanceWindow.intervalWeeks', body, ['interval'], o);
  b.map('maintenanceWindow.durationHours', body, ['duration'], o);
  b.map('maintenanceWindow.dayOfWeek', body, ['day_of_week'], o);
  b.map('maintenanceWindow.startTime', body, ['start_time'], o);
  b.map('maintenanceWindow.utcOffset', body, ['utc_offset'], o);
  b.map('timeInWeek', body, ['allowed'], o);
  return b;
}
