import { not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { pools } from '../util/cluster.js';
import { judge } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'encryption/host-encryption-disabled',
    title: 'Node temp disks and caches are not encrypted',
    severity: 'medium',
    seed: 'Node disks are encrypted at rest by the platform; encryption at host also covers temp disks and disk caches.',
    refs: { checkov: ['CKV_AZURE_227'] },
    remediation: {
      az: 'az aks nodepool add -g <rg> --cluster-name <cluster> -n <new-pool> --enable-encryption-at-host (then move workloads off <pool>)',
      terraform: 'host_encryption_enabled = true (3.x: enable_host_encryption)',
    },
  },
  check(snapshot) {
    return pools(snapshot).flatMap(({ pool }) => {
      const enabled = pool.settings.get('enableEncryptionAtHost');
      return judge(
        enabled,
        not(enabled.isTrue()),
        `pool ${pool.name} does not encrypt at host (enableEncryptionAtHost: ${enabled.shown}): temp disks and OS disk caches are stored unencrypted`,
      );
    });
  },
});
