import { not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'monitoring/defender-disabled',
    title: 'Microsoft Defender for Containers is off',
    severity: 'medium',
    seed: 'Runtime threat detection shows attacks that configuration checks cannot.',
    refs: { kubescape: ['C-0243'], psrule: ['Azure.AKS.DefenderProfile'] },
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --enable-defender',
      terraform: 'microsoft_defender { log_analytics_workspace_id = azurerm_log_analytics_workspace.<name>.id }',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const enabled = settings.get('securityProfile.defender.securityMonitoring.enabled');
      return judge(
        enabled,
        not(enabled.isTrue()),
        `Defender security monitoring is off (securityProfile.defender.securityMonitoring.enabled: ${enabled.shown})`,
      );
    });
  },
});
