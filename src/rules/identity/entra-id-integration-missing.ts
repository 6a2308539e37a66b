import { isDefaultValue, not, or } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { verdict } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'identity/entra-id-integration-missing',
    title: 'API server users are not authenticated with Microsoft Entra ID',
    severity: 'high',
    seed: 'Use Microsoft Entra ID for user authentication to the API server, so access follows your directory.',
    refs: { psrule: ['Azure.AKS.ManagedAAD'] },
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --enable-aad --aad-admin-group-object-ids <group-id>',
      terraform:
        'azure_active_directory_role_based_access_control { admin_group_object_ids = ["<group-id>"] } (3.x: managed = true)',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const aad = settings.get('aadProfile');
      const managed = settings.get('aadProfile.managed');
      const message = aad.isDefault
        ? 'no Microsoft Entra ID integration (aadProfile not set): access relies on cluster certificates and tokens'
        : `legacy Entra ID integration (aadProfile.managed: ${managed.shown}): the server app secret is yours to rotate; migrate to AKS-managed Entra ID`;
      return verdict(or(aad.test(isDefaultValue), not(managed.isTrue())), managed, message, [aad, managed]);
    });
  },
});
