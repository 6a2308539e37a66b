import rule from '../../../src/rules/control-plane/insecure-addons-enabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const DASHBOARD = 'properties.addonProfiles.kubeDashboard.enabled';
const ROUTING = 'properties.addonProfiles.httpApplicationRouting.enabled';
const addons = (addonProfiles: unknown) => aks({ addonProfiles });

testRule(rule, {
  valid: [
    { name: 'no addonProfiles', input: aks({}) },
    { name: 'null addonProfiles', input: addons(null) },
    {
      name: 'both off',
      input: addons({ kubeDashboard: { enabled: false }, httpApplicationRouting: { enabled: false } }),
    },
    { name: 'off as ARM string booleans', input: addons({ kubeDashboard: { enabled: 'false' } }) },
    { name: 'an add-on without enabled', input: addons({ httpApplicationRouting: {} }) },
    { name: 'other add-ons on', input: addons({ azurepolicy: { enabled: true }, omsagent: { enabled: true } }) },
  ],
  invalid: [
    {
      name: 'the Kubernetes dashboard',
      input: addons({ kubeDashboard: { enabled: true } }),
      errors: [{ resource: CLUSTER, path: DASHBOARD, message: /kubeDashboard/ }],
    },
    {
      name: 'HTTP application routing',
      input: addons({ httpApplicationRouting: { enabled: true } }),
      errors: [{ resource: CLUSTER, path: ROUTING, message: /httpApplicationRouting/ }],
    },
    {
      name: 'both: one finding each (in the report order)',
      input: addons({ kubeDashboard: { enabled: 'true' }, httpApplicationRouting: { enabled: 'true' } }),
      errors: [
        { resource: CLUSTER, path: ROUTING },
        { resource: CLUSTER, path: DASHBOARD },
      ],
    },
    {
      name: 'az casing (add-on keys as az prints them)',
      input: azShow({ addonProfiles: { KubeDashboard: { enabled: true }, httpapplicationrouting: { enabled: true } } }),
      errors: [
        { resource: CLUSTER, path: 'addonProfiles.KubeDashboard.enabled' },
        { resource: CLUSTER, path: 'addonProfiles.httpapplicationrouting.enabled' },
      ],
    },
    {
      name: 'switch from a parameter without default: unknown',
      input: template(
        { addonProfiles: { httpApplicationRouting: { enabled: param('routing') } } },
        { parameters: ['routing'] },
      ),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.addonProfiles.httpApplicationRouting.enabled',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
