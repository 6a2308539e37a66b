import rule from '../../../src/rules/monitoring/image-cleaner-disabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const CLEANER = 'properties.securityProfile.imageCleaner.enabled';
const imageCleaner = (enabled: unknown) => aks({ securityProfile: { imageCleaner: { enabled, intervalHours: 48 } } });

testRule(rule, {
  valid: [
    { name: 'Image Cleaner on', input: imageCleaner(true) },
    { name: 'on as an ARM string boolean', input: imageCleaner('true') },
    { name: 'az casing', input: azShow({ securityProfile: { imageCleaner: { enabled: true, intervalHours: 24 } } }) },
  ],
  invalid: [
    {
      name: 'no securityProfile: off by default',
      input: aks({}),
      errors: [{ resource: CLUSTER, path: CLEANER, message: /enabled: not set/ }],
    },
    { name: 'null', input: imageCleaner(null), errors: [{ resource: CLUSTER, path: CLEANER }] },
    { name: 'empty string', input: imageCleaner(''), errors: [{ resource: CLUSTER, path: CLEANER }] },
    { name: 'false', input: imageCleaner(false), errors: [{ resource: CLUSTER, path: CLEANER, message: /false/ }] },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ securityProfile: { imageCleaner: null } }),
      errors: [{ resource: CLUSTER, path: 'securityProfile.imageCleaner.enabled' }],
    },
    {
      name: 'switch from a parameter without default: unknown',
      input: template(
        { securityProfile: { imageCleaner: { enabled: param('cleaner') } } },
        { parameters: ['cleaner'] },
      ),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.securityProfile.imageCleaner.enabled',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
