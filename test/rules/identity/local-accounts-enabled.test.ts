import rule from '../../../src/rules/identity/local-accounts-enabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const DISABLE = 'properties.disableLocalAccounts';

testRule(rule, {
  valid: [
    { name: 'local accounts disabled', input: aks({ disableLocalAccounts: true, aadProfile: { managed: true } }) },
    { name: 'disabled as an ARM string boolean', input: aks({ disableLocalAccounts: 'true' }) },
    { name: 'az casing', input: azShow({ disableLocalAccounts: true }) },
  ],
  invalid: [
    {
      name: 'missing: local accounts are on by default',
      input: aks({}),
      errors: [{ resource: CLUSTER, path: DISABLE, message: /disableLocalAccounts: not set.*--admin/ }],
    },
    { name: 'null', input: aks({ disableLocalAccounts: null }), errors: [{ resource: CLUSTER, path: DISABLE }] },
    { name: 'empty string', input: aks({ disableLocalAccounts: '' }), errors: [{ resource: CLUSTER, path: DISABLE }] },
    {
      name: 'false',
      input: aks({ disableLocalAccounts: false }),
      errors: [{ resource: CLUSTER, path: DISABLE, message: /false/ }],
    },
    {
      name: 'ARM string "false"',
      input: aks({ disableLocalAccounts: 'false' }),
      errors: [{ resource: CLUSTER, path: DISABLE }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ disableLocalAccounts: false }),
      errors: [{ resource: CLUSTER, path: 'disableLocalAccounts' }],
    },
    {
      name: 'switch from a parameter without default: unknown',
      input: template({ disableLocalAccounts: param('noLocal') }, { parameters: ['noLocal'] }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.disableLocalAccounts',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
