import { not, or } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { verdict } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'identity/workload-identity-disabled',
    title: 'Workloads cannot use Entra Workload ID',
    severity: 'low',
    seed: 'Pods should reach Azure with federated identities, not with secrets or the deprecated pod identity.',
    refs: {},
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --enable-oidc-issuer --enable-workload-identity',
      terraform: 'oidc_issuer_enabled = true; workload_identity_enabled = true',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const podIdentity = settings.get('podIdentityProfile.enabled');
      const workloadIdentity = settings.get('securityProfile.workloadIdentity.enabled');
      const deprecated = podIdentity.isTrue() === true;
      return verdict(
        or(not(workloadIdentity.isTrue()), podIdentity.isTrue()),
        deprecated ? podIdentity : workloadIdentity,
        deprecated
          ? 'the deprecated pod-managed identity is enabled (podIdentityProfile.enabled: true): its NMI daemon intercepts node metadata traffic; move to workload identity'
          : `workload identity is off (securityProfile.workloadIdentity.enabled: ${workloadIdentity.shown}): pods need stored secrets to reach Azure`,
        [podIdentity, workloadIdentity],
      );
    });
  },
});
