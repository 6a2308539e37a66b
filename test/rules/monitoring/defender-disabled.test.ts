import rule from '../../../src/rules/monitoring/defender-disabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const DEFENDER = 'properties.securityProfile.defender.securityMonitoring.enabled';
const WORKSPACE = '/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/law1';
const defender = (enabled: unknown) =>
  aks({
    securityProfile: { defender: { logAnalyticsWorkspaceResourceId: WORKSPACE, securityMonitoring: { enabled } } },
  });

testRule(rule, {
  valid: [
    { name: 'security monitoring on', input: defender(true) },
    { name: 'on as an ARM string boolean', input: defender('true') },
    { name: 'az casing', input: azShow({ securityProfile: { defender: { securityMonitoring: { enabled: true } } } }) },
  ],
  invalid: [
    {
      name: 'no securityProfile: off by default',
      input: aks({}),
      errors: [{ resource: CLUSTER, path: DEFENDER, message: /enabled: not set/ }],
    },
    {
      name: 'an empty securityProfile block (kubescape failed case)',
      input: aks({ securityProfile: {} }),
      errors: [{ resource: CLUSTER, path: DEFENDER }],
    },
    { name: 'null', input: defender(null), errors: [{ resource: CLUSTER, path: DEFENDER }] },
    { name: 'empty string', input: defender(''), errors: [{ resource: CLUSTER, path: DEFENDER }] },
    { name: 'false', input: defender(false), errors: [{ resource: CLUSTER, path: DEFENDER }] },
    {
      name: 'a workspace without securityMonitoring is not enough',
      input: aks({ securityProfile: { defender: { logAnalyticsWorkspaceResourceId: WORKSPACE } } }),
      errors: [{ resource: CLUSTER, path: DEFENDER }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ securityProfile: { defender: null } }),
      errors: [{ resource: CLUSTER, path: 'securityProfile.defender.securityMonitoring.enabled' }],
    },
    {
      name: 'switch from a parameter without default: unknown',
      input: template(
        { securityProfile: { defender: { securityMonitoring: { enabled: param('defender') } } } },
        { parameters: ['defender'] },
      ),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.securityProfile.defender.securityMonitoring.enabled',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
