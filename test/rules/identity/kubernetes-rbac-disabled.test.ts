import rule from '../../../src/rules/identity/kubernetes-rbac-disabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const RBAC = 'properties.enableRBAC';

testRule(rule, {
  valid: [
    { name: 'enabled', input: aks({ enableRBAC: true }) },
    { name: 'enabled as an ARM string boolean', input: aks({ enableRBAC: 'true' }) },
    { name: 'missing: the platform default is enabled', input: aks({}) },
    { name: 'null is the default', input: aks({ enableRBAC: null }) },
    { name: 'an empty string is the default', input: aks({ enableRBAC: '' }) },
    { name: 'az casing', input: azShow({ enableRbac: true }) },
  ],
  invalid: [
    {
      name: 'disabled',
      input: aks({ enableRBAC: false }),
      errors: [{ resource: CLUSTER, path: RBAC, message: /enableRBAC: false/ }],
    },
    {
      name: 'disabled as an ARM string boolean',
      input: aks({ enableRBAC: 'false' }),
      errors: [{ resource: CLUSTER, path: RBAC }],
    },
    {
      name: 'az casing (enableRbac, no properties wrapper)',
      input: azShow({ enableRbac: false, aadProfile: { managed: true, enableAzureRbac: true } }),
      errors: [{ resource: CLUSTER, path: 'enableRbac' }],
    },
    {
      name: 'switch from a parameter without default: unknown',
      input: template({ enableRBAC: param('rbac') }, { parameters: ['rbac'] }),
      errors: [
        { resource: TEMPLATE_CLUSTER, path: 'resources[0].properties.enableRBAC', unknown: true, severity: 'info' },
      ],
    },
  ],
});
