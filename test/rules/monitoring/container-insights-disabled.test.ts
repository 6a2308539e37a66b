import rule from '../../../src/rules/monitoring/container-insights-disabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const OMS = 'properties.addonProfiles.omsagent.enabled';
const WORKSPACE = '/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.OperationalInsights/workspaces/law1';
const omsagent = (enabled: unknown) =>
  aks({ addonProfiles: { omsagent: { enabled, config: { logAnalyticsWorkspaceResourceID: WORKSPACE } } } });
const prometheus = (enabled: unknown) => aks({ azureMonitorProfile: { metrics: { enabled } } });

testRule(rule, {
  valid: [
    { name: 'Container Insights on', input: omsagent(true) },
    { name: 'on as an ARM string boolean', input: omsagent('true') },
    { name: 'managed Prometheus on (the other branch of the or)', input: prometheus(true) },
    { name: 'Prometheus as an ARM string boolean', input: prometheus('true') },
    {
      name: 'both on',
      input: aks({
        addonProfiles: { omsagent: { enabled: true } },
        azureMonitorProfile: { metrics: { enabled: true } },
      }),
    },
    { name: 'az casing (omsAgent)', input: azShow({ addonProfiles: { omsAgent: { enabled: true } } }) },
  ],
  invalid: [
    {
      name: 'neither is configured',
      input: aks({}),
      errors: [{ resource: CLUSTER, path: OMS, message: /neither Container Insights/ }],
    },
    { name: 'omsagent null', input: omsagent(null), errors: [{ resource: CLUSTER, path: OMS }] },
    { name: 'omsagent empty string', input: omsagent(''), errors: [{ resource: CLUSTER, path: OMS }] },
    {
      name: 'both off',
      input: aks({
        addonProfiles: { omsagent: { enabled: false } },
        azureMonitorProfile: { metrics: { enabled: false } },
      }),
      errors: [{ resource: CLUSTER, path: OMS }],
    },
    {
      name: 'Prometheus explicitly off, no omsagent',
      input: prometheus('false'),
      errors: [{ resource: CLUSTER, path: OMS }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ addonProfiles: { omsagent: { enabled: false } }, azureMonitorProfile: null }),
      errors: [{ resource: CLUSTER, path: 'addonProfiles.omsagent.enabled' }],
    },
    {
      name: 'omsagent from a parameter without default, Prometheus not set: unknown',
      input: template({ addonProfiles: { omsagent: { enabled: param('insights') } } }, { parameters: ['insights'] }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.addonProfiles.omsagent.enabled',
          unknown: true,
          severity: 'info',
        },
      ],
    },
    {
      name: 'Prometheus from a parameter without default, omsagent not set: unknown',
      input: template({ azureMonitorProfile: { metrics: { enabled: param('prom') } } }, { parameters: ['prom'] }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.azureMonitorProfile.metrics.enabled',
          unknown: true,
        },
      ],
    },
  ],
});
