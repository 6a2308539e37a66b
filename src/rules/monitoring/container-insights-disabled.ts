import { and, not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { verdict } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'monitoring/container-insights-disabled',
    title: 'No container monitoring',
    severity: 'low',
    seed: 'Logs and metrics are how drift and attacks get noticed.',
    refs: { checkov: ['CKV_AZURE_4'], psrule: ['Azure.AKS.ContainerInsights'] },
    remediation: {
      az: 'az aks enable-addons -g <rg> -n <cluster> --addons monitoring',
      terraform:
        'oms_agent { log_analytics_workspace_id = azurerm_log_analytics_workspace.<name>.id } or monitor_metrics {}',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const omsAgent = settings.get('addonProfiles.omsagent.enabled');
      const metrics = settings.get('azureMonitorProfile.metrics.enabled');
      return verdict(
        and(not(omsAgent.isTrue()), not(metrics.isTrue())),
        omsAgent,
        'neither Container Insights (addonProfiles.omsagent) nor Azure Monitor managed Prometheus (azureMonitorProfile.metrics) is enabled',
        [omsAgent, metrics],
      );
    });
  },
});
