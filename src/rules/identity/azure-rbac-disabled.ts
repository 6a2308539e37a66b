import { and, isDefaultValue, not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { verdict } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'identity/azure-rbac-disabled',
    title: 'Azure RBAC for Kubernetes authorization is off',
    severity: 'medium',
    seed: 'With Entra ID, Azure RBAC lets access to the cluster be granted, reviewed and revoked like any Azure access.',
    refs: { kubescape: ['C-0241'], psrule: ['Azure.AKS.AzureRBAC'] },
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --enable-azure-rbac',
      terraform: 'azure_active_directory_role_based_access_control { azure_rbac_enabled = true }',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const aad = settings.get('aadProfile');
      const azureRbac = settings.get('aadProfile.enableAzureRBAC');
      return verdict(
        and(
          aad.test((v) => !isDefaultValue(v)),
          not(azureRbac.isTrue()),
        ),
        azureRbac,
        `Entra ID is integrated but Azure RBAC is off (enableAzureRBAC: ${azureRbac.shown}): Kubernetes access is managed in per-cluster role bindings`,
        [aad, azureRbac],
      );
    });
  },
});
