import rule from '../../../src/rules/encryption/secrets-kms-disabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const KMS = 'properties.securityProfile.azureKeyVaultKms.enabled';
const KEY_ID = 'https://kv1.vault.azure.net/keys/etcd/0123456789abcdef0123456789abcdef';
const kms = (enabled: unknown) =>
  aks({ securityProfile: { azureKeyVaultKms: { enabled, keyId: KEY_ID, keyVaultNetworkAccess: 'Private' } } });

testRule(rule, {
  valid: [
    { name: 'KMS on', input: kms(true) },
    { name: 'on as an ARM string boolean', input: kms('true') },
    { name: 'az casing', input: azShow({ securityProfile: { azureKeyVaultKms: { enabled: true, keyId: KEY_ID } } }) },
  ],
  invalid: [
    {
      name: 'no securityProfile: off by default',
      input: aks({}),
      errors: [{ resource: CLUSTER, path: KMS, message: /enabled: not set/ }],
    },
    {
      name: 'an empty securityProfile block',
      input: aks({ securityProfile: {} }),
      errors: [{ resource: CLUSTER, path: KMS }],
    },
    { name: 'null', input: kms(null), errors: [{ resource: CLUSTER, path: KMS }] },
    { name: 'empty string', input: kms(''), errors: [{ resource: CLUSTER, path: KMS }] },
    { name: 'false', input: kms(false), errors: [{ resource: CLUSTER, path: KMS }] },
    {
      name: 'a key id without enabled is not enough',
      input: aks({ securityProfile: { azureKeyVaultKms: { keyId: KEY_ID } } }),
      errors: [{ resource: CLUSTER, path: KMS }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ securityProfile: { azureKeyVaultKms: null, defender: null } }),
      errors: [{ resource: CLUSTER, path: 'securityProfile.azureKeyVaultKms.enabled' }],
    },
    {
      name: 'switch from a parameter without default: unknown',
      input: template(
        { securityProfile: { azureKeyVaultKms: { enabled: param('kms'), keyId: KEY_ID } } },
        { parameters: ['kms'] },
      ),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.securityProfile.azureKeyVaultKms.enabled',
          unknown: true,
          severity: 'info',
        },
      ],
    },
  ],
});
