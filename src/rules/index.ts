import type { Rule } from '../model/rule.js';
import controlPlaneApiServerUnrestricted from './control-plane/api-server-unrestricted.js';
import controlPlaneAuthorizedRangesTooBroad from './control-plane/authorized-ranges-too-broad.js';
import controlPlaneClusterAutoUpgradeDisabled from './control-plane/cluster-auto-upgrade-disabled.js';
import controlPlaneInsecureAddonsEnabled from './control-plane/insecure-addons-enabled.js';
import controlPlaneKubernetesVersionUnsupported from './control-plane/kubernetes-version-unsupported.js';
import controlPlanePrivateClusterPublicFqdn from './control-plane/private-cluster-public-fqdn.js';
import controlPlaneRunCommandEnabled from './control-plane/run-command-enabled.js';
import encryptionCustomerManagedKeysMissing from './encryption/customer-managed-keys-missing.js';
import encryptionHostEncryptionDisabled from './encryption/host-encryption-disabled.js';
import encryptionSecretsKmsDisabled from './encryption/secrets-kms-disabled.js';
import identityAzureRbacDisabled from './identity/azure-rbac-disabled.js';
import identityEntraIdIntegrationMissing from './identity/entra-id-integration-missing.js';
import identityKubernetesRbacDisabled from './identity/kubernetes-rbac-disabled.js';
import identityLocalAccountsEnabled from './identity/local-accounts-enabled.js';
import identityServicePrincipalCredentials from './identity/service-principal-credentials.js';
import identityWorkloadIdentityDisabled from './identity/workload-identity-disabled.js';
import isolationNamespaceWithoutNetworkPolicy from './isolation/namespace-without-network-policy.js';
import isolationNamespaceWithoutPodSecurity from './isolation/namespace-without-pod-security.js';
import isolationNetworkPolicyDisabled from './isolation/network-policy-disabled.js';
import isolationPolicyAddonDisabled from './isolation/policy-addon-disabled.js';
import isolationUntrustedWorkloadsNotSandboxed from './isolation/untrusted-workloads-not-sandboxed.js';
import monitoringContainerInsightsDisabled from './monitoring/container-insights-disabled.js';
import monitoringDefenderDisabled from './monitoring/defender-disabled.js';
import monitoringImageCleanerDisabled from './monitoring/image-cleaner-disabled.js';
import nodeAccessNodePublicIp from './node-access/node-public-ip.js';
import nodeAccessSshEnabled from './node-access/ssh-enabled.js';
import nodeAccessSystemPoolNotIsolated from './node-access/system-pool-not-isolated.js';
import patchingMaintenanceWindowMissing from './patching/maintenance-window-missing.js';
import patchingNodeImageOutdated from './patching/node-image-outdated.js';
import patchingNodeOsUpgradeDisabled from './patching/node-os-upgrade-disabled.js';
import patchingNodesPendingReboot from './patching/nodes-pending-reboot.js';
import patchingPoolVersionSkew from './patching/pool-version-skew.js';
import patchingRebootCoordinatorMissing from './patching/reboot-coordinator-missing.js';
import patchingWindowsNodeImageOutdated from './patching/windows-node-image-outdated.js';
import patchingWindowsPoolNotAutoPatched from './patching/windows-pool-not-auto-patched.js';
import rbacAnonymousBinding from './rbac/anonymous-binding.js';
import rbacClusterAdminBinding from './rbac/cluster-admin-binding.js';
import rbacEscalationVerbs from './rbac/escalation-verbs.js';
import rbacPodExec from './rbac/pod-exec.js';
import rbacSecretsAccess from './rbac/secrets-access.js';
import rbacWildcardPermissions from './rbac/wildcard-permissions.js';
import workloadDangerousCapabilities from './workload/dangerous-capabilities.js';
import workloadHostNamespaces from './workload/host-namespaces.js';
import workloadHostPathVolume from './workload/host-path-volume.js';
import workloadHostPorts from './workload/host-ports.js';
import workloadPrivilegeEscalationAllowed from './workload/privilege-escalation-allowed.js';
import workloadPrivilegedContainer from './workload/privileged-container.js';
import workloadRunsAsRoot from './workload/runs-as-root.js';
import workloadSeccompUnconfined from './workload/seccomp-unconfined.js';
import workloadServiceAccountTokenAutomount from './workload/service-account-token-automount.js';

/** Every rule, sorted by id. Explicit on purpose: a rule exists when it is listed here (a test checks both ways). */
export const RULES: readonly Rule[] = [
  controlPlaneApiServerUnrestricted,
  controlPlaneAuthorizedRangesTooBroad,
  controlPlaneClusterAutoUpgradeDisabled,
  controlPlaneInsecureAddonsEnabled,
  controlPlaneKubernetesVersionUnsupported,
  controlPlanePrivateClusterPublicFqdn,
  controlPlaneRunCommandEnabled,
  encryptionCustomerManagedKeysMissing,
  encryptionHostEncryptionDisabled,
  encryptionSecretsKmsDisabled,
  identityAzureRbacDisabled,
  identityEntraIdIntegrationMissing,
  identityKubernetesRbacDisabled,
  identityLocalAccountsEnabled,
  identityServicePrincipalCredentials,
  identityWorkloadIdentityDisabled,
  isolationNamespaceWithoutNetworkPolicy,
  isolationNamespaceWithoutPodSecurity,
  isolationNetworkPolicyDisabled,
  isolationPolicyAddonDisabled,
  isolationUntrustedWorkloadsNotSandboxed,
  monitoringContainerInsightsDisabled,
  monitoringDefenderDisabled,
  monitoringImageCleanerDisabled,
  nodeAccessNodePublicIp,
  nodeAccessSshEnabled,
  nodeAccessSystemPoolNotIsolated,
  patchingMaintenanceWindowMissing,
  patchingNodeImageOutdated,
  patchingNodeOsUpgradeDisabled,
  patchingNodesPendingReboot,
  patchingPoolVersionSkew,
  patchingRebootCoordinatorMissing,
  patchingWindowsNodeImageOutdated,
  patchingWindowsPoolNotAutoPatched,
  rbacAnonymousBinding,
  rbacClusterAdminBinding,
  rbacEscalationVerbs,
  rbacPodExec,
  rbacSecretsAccess,
  rbacWildcardPermissions,
  workloadDangerousCapabilities,
  workloadHostNamespaces,
  workloadHostPathVolume,
  workloadHostPorts,
  workloadPrivilegeEscalationAllowed,
  workloadPrivilegedContainer,
  workloadRunsAsRoot,
  workloadSeccompUnconfined,
  workloadServiceAccountTokenAutomount,
];
