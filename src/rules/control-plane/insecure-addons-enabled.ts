import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';

const INSECURE: Record<string, string> = {
  kubeDashboard: 'the Kubernetes dashboard (deprecated, a common way in)',
  httpApplicationRouting: 'HTTP application routing (not for production: public DNS and an unauthenticated ingress)',
};

export default defineRule({
  meta: {
    id: 'control-plane/insecure-addons-enabled',
    title: 'An insecure add-on is enabled',
    severity: 'medium',
    seed: 'Reduce the attack surface of the control plane: retired add-ons expose it.',
    refs: { checkov: ['CKV_AZURE_8'], psrule: ['Azure.AKS.HttpAppRouting'] },
    remediation: {
      az: 'az aks disable-addons -g <rg> -n <cluster> --addons http_application_routing (or kube-dashboard)',
      terraform: 'http_application_routing_enabled = false; remove addon_profile { kube_dashboard } (2.x)',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) =>
      Object.entries(INSECURE).flatMap(([addon, what]) => {
        const enabled = settings.get(`addonProfiles.${addon}.enabled`);
        return judge(enabled, enabled.isTrue(), `add-on ${addon} is enabled: ${what}`);
      }),
    );
  },
});
