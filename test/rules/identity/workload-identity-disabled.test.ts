import rule from '../../../src/rules/identity/workload-identity-disabled.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const WORKLOAD = 'properties.securityProfile.workloadIdentity.enabled';
const POD_IDENTITY = 'properties.podIdentityProfile.enabled';
const workloadIdentity = (enabled: unknown, extra: Record<string, unknown> = {}) =>
  aks({ oidcIssuerProfile: { enabled: true }, securityProfile: { workloadIdentity: { enabled } }, ...extra });

testRule(rule, {
  valid: [
    { name: 'workload identity on', input: workloadIdentity(true) },
    { name: 'on as an ARM string boolean', input: workloadIdentity('true') },
    {
      name: 'on, pod identity explicitly off',
      input: workloadIdentity(true, { podIdentityProfile: { enabled: false } }),
    },
    {
      name: 'az casing',
      input: azShow({ securityProfile: { workloadIdentity: { enabled: true } }, podIdentityProfile: null }),
    },
  ],
  invalid: [
    {
      name: 'missing securityProfile: off by default',
      input: aks({}),
      errors: [{ resource: CLUSTER, path: WORKLOAD, message: /workloadIdentity\.enabled: not set/ }],
    },
    { name: 'null', input: workloadIdentity(null), errors: [{ resource: CLUSTER, path: WORKLOAD }] },
    { name: 'empty string', input: workloadIdentity(''), errors: [{ resource: CLUSTER, path: WORKLOAD }] },
    { name: 'false', input: workloadIdentity(false), errors: [{ resource: CLUSTER, path: WORKLOAD }] },
    {
      name: 'deprecated pod identity on, even with workload identity on',
      input: workloadIdentity(true, { podIdentityProfile: { enabled: true } }),
      errors: [{ resource: CLUSTER, path: POD_IDENTITY, message: /pod-managed identity/ }],
    },
    {
      name: 'pod identity as an ARM string boolean, workload identity missing: one finding, for pod identity',
      input: aks({ podIdentityProfile: { enabled: 'true', allowNetworkPluginKubenet: true } }),
      errors: [{ resource: CLUSTER, path: POD_IDENTITY }],
    },
    {
      name: 'az output without the properties wrapper',
      input: azShow({ securityProfile: { workloadIdentity: null } }),
      errors: [{ resource: CLUSTER, path: 'securityProfile.workloadIdentity.enabled' }],
    },
    {
      name: 'workload identity from a parameter without default: unknown',
      input: template({ securityProfile: { workloadIdentity: { enabled: param('wi') } } }, { parameters: ['wi'] }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.securityProfile.workloadIdentity.enabled',
          unknown: true,
          severity: 'info',
        },
      ],
    },
    {
      name: 'pod identity from a parameter without default: unknown although workload identity is on',
      input: template(
        { securityProfile: { workloadIdentity: { enabled: true } }, podIdentityProfile: { enabled: param('pi') } },
        { parameters: ['pi'] },
      ),
      errors: [
        { resource: TEMPLATE_CLUSTER, path: 'resources[0].properties.podIdentityProfile.enabled', unknown: true },
      ],
    },
  ],
});
