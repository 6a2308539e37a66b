import { not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'identity/local-accounts-enabled',
    title: 'Local accounts can bypass Entra ID',
    severity: 'high',
    seed: 'Identity belongs in Entra ID: the static cluster-admin credential of local accounts never expires with a person.',
    refs: { checkov: ['CKV_AZURE_141'], psrule: ['Azure.AKS.LocalAccounts'] },
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --disable-local-accounts',
      terraform: 'local_account_disabled = true',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const disabled = settings.get('disableLocalAccounts');
      return judge(
        disabled,
        not(disabled.isTrue()),
        `local accounts are enabled (disableLocalAccounts: ${disabled.shown}): \`az aks get-credentials --admin\` hands out a cluster-admin certificate`,
      );
    });
  },
});
