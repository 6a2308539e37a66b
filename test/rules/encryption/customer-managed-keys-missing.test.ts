import rule from '../../../src/rules/encryption/customer-managed-keys-missing.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const DES = 'properties.diskEncryptionSetID';
const DES_ID = '/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.Compute/diskEncryptionSets/des1';

testRule(rule, {
  valid: [
    { name: 'a disk encryption set', input: aks({ diskEncryptionSetID: DES_ID }) },
    { name: 'az casing (diskEncryptionSetId)', input: azShow({ diskEncryptionSetId: DES_ID }) },
  ],
  invalid: [
    {
      name: 'missing: platform-managed keys',
      input: aks({}),
      errors: [{ resource: CLUSTER, path: DES, message: /no diskEncryptionSetID/ }],
    },
    { name: 'null', input: aks({ diskEncryptionSetID: null }), errors: [{ resource: CLUSTER, path: DES }] },
    { name: 'empty string', input: aks({ diskEncryptionSetID: '' }), errors: [{ resource: CLUSTER, path: DES }] },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ diskEncryptionSetId: null }),
      errors: [{ resource: CLUSTER, path: 'diskEncryptionSetId' }],
    },
    {
      name: 'set id from a parameter without default: unknown',
      input: template({ diskEncryptionSetID: param('desId') }, { parameters: ['desId'] }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.diskEncryptionSetID',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
