import rule from '../../../src/rules/control-plane/run-command-enabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const DISABLE = 'properties.apiServerAccessProfile.disableRunCommand';
const disable = (disableRunCommand: unknown) => aks({ apiServerAccessProfile: { disableRunCommand } });

testRule(rule, {
  valid: [
    { name: 'disabled', input: disable(true) },
    { name: 'disabled as an ARM string boolean', input: disable('true') },
    { name: 'az casing', input: azShow({ apiServerAccessProfile: { disableRunCommand: true } }) },
  ],
  invalid: [
    {
      name: 'missing: run command is on by default',
      input: aks({}),
      errors: [{ resource: CLUSTER, path: DISABLE, message: /disableRunCommand: not set/ }],
    },
    { name: 'null', input: disable(null), errors: [{ resource: CLUSTER, path: DISABLE }] },
    { name: 'empty string', input: disable(''), errors: [{ resource: CLUSTER, path: DISABLE }] },
    { name: 'false', input: disable(false), errors: [{ resource: CLUSTER, path: DISABLE, message: /false/ }] },
    { name: 'ARM string "false"', input: disable('false'), errors: [{ resource: CLUSTER, path: DISABLE }] },
    {
      name: 'private clusters too: run command is the way around the private endpoint',
      input: aks({ apiServerAccessProfile: { enablePrivateCluster: true } }),
      errors: [{ resource: CLUSTER, path: DISABLE }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ apiServerAccessProfile: { disableRunCommand: false } }),
      errors: [{ resource: CLUSTER, path: 'apiServerAccessProfile.disableRunCommand' }],
    },
    {
      name: 'switch from a parameter without default: unknown',
      input: template({ apiServerAccessProfile: { disableRunCommand: param('noRun') } }, { parameters: ['noRun'] }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.apiServerAccessProfile.disableRunCommand',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
