import { not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'isolation/policy-addon-disabled',
    title: 'Azure Policy add-on is off',
    severity: 'medium',
    seed: 'Admission policy (Pod Security, allowed images) keeps tenants inside the rules you set.',
    refs: { checkov: ['CKV_AZURE_116'], psrule: ['Azure.AKS.AzurePolicyAddOn'] },
    remediation: {
      az: 'az aks enable-addons -g <rg> -n <cluster> --addons azure-policy',
      terraform: 'azure_policy_enabled = true',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const enabled = settings.get('addonProfiles.azurepolicy.enabled');
      return judge(
        enabled,
        not(enabled.isTrue()),
        `the Azure Policy add-on is off (addonProfiles.azurepolicy.enabled: ${enabled.shown}): nothing enforces policy at admission`,
      );
    });
  },
});
