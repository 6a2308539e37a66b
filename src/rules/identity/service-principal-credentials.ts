import { and, isDefaultValue } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { verdict } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'identity/service-principal-credentials',
    title: 'Cluster identity is a service principal with a secret',
    severity: 'medium',
    seed: 'Managed identities have no secret to leak or rotate; service principal secrets expire and get copied around.',
    refs: { psrule: ['Azure.AKS.ManagedIdentity'] },
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --enable-managed-identity',
      terraform: 'identity { type = "SystemAssigned" } instead of service_principal { … }',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ cluster, settings }) => {
      const clientId = settings.get('servicePrincipalProfile.clientId');
      const identity = (cluster.resource ?? settings).get('identity');
      const usesSecret = clientId.test((v) => typeof v === 'string' && v !== '' && v.toLowerCase() !== 'msi');
      return verdict(
        and(usesSecret, identity.test(isDefaultValue)),
        clientId,
        'the cluster authenticates to Azure as a service principal (servicePrincipalProfile.clientId set, no managed identity): its secret must be stored and rotated',
        [clientId, identity],
      );
    });
  },
});
