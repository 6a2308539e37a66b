import { not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'encryption/secrets-kms-disabled',
    title: 'Kubernetes secrets in etcd are not encrypted with your key',
    severity: 'medium',
    seed: 'Encrypt Kubernetes secrets at rest with a Key Vault key you hold (KMS).',
    refs: { kubescape: ['C-0066', 'C-0244'] },
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --enable-azure-keyvault-kms --azure-keyvault-kms-key-id <key-id>',
      terraform: 'key_management_service { key_vault_key_id = azurerm_key_vault_key.<name>.id }',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const enabled = settings.get('securityProfile.azureKeyVaultKms.enabled');
      return judge(
        enabled,
        not(enabled.isTrue()),
        `KMS encryption of secrets is off (securityProfile.azureKeyVaultKms.enabled: ${enabled.shown})`,
      );
    });
  },
});
