import { isDefaultValue } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'control-plane/cluster-auto-upgrade-disabled',
    title: 'Cluster auto-upgrade is off',
    severity: 'medium',
    seed: 'Kubernetes patch releases fix vulnerabilities; an auto-upgrade channel applies them without waiting for a person.',
    refs: { checkov: ['CKV_AZURE_171'], psrule: ['Azure.AKS.AutoUpgrade'] },
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --auto-upgrade-channel patch',
      terraform: 'automatic_upgrade_channel = "patch" (3.x: automatic_channel_upgrade)',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const channel = settings.get('autoUpgradeProfile.upgradeChannel');
      return judge(
        channel,
        channel.test((v) => isDefaultValue(v) || String(v).toLowerCase() === 'none'),
        `no cluster auto-upgrade channel (upgradeChannel: ${channel.shown}): Kubernetes patches wait for a manual upgrade`,
      );
    });
  },
});
