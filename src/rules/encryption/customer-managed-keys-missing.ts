import { isDefaultValue } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'encryption/customer-managed-keys-missing',
    title: 'Node disks are encrypted with platform-managed keys only',
    severity: 'low',
    seed: 'Azure Managed Disks are encrypted at rest; a disk encryption set puts the key under your control.',
    refs: { checkov: ['CKV_AZURE_117'] },
    remediation: {
      az: 'az aks create … --node-osdisk-diskencryptionset-id <disk-encryption-set-id> (set at creation)',
      terraform: 'disk_encryption_set_id = azurerm_disk_encryption_set.<name>.id',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const set = settings.get('diskEncryptionSetID');
      return judge(
        set,
        set.test(isDefaultValue),
        'no diskEncryptionSetID: OS and data disks are encrypted with keys Microsoft holds, not keys you can revoke',
      );
    });
  },
});
