import rule from '../../../src/rules/control-plane/private-cluster-public-fqdn.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const FQDN = 'properties.apiServerAccessProfile.enablePrivateClusterPublicFQDN';
const privateWith = (publicFqdn: unknown) =>
  aks({ apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: publicFqdn } });

testRule(rule, {
  valid: [
    { name: 'private cluster without public FQDN', input: privateWith(false) },
    { name: 'without public FQDN as an ARM string boolean', input: privateWith('false') },
    {
      name: 'public cluster (the FQDN is public anyway; other rules judge it)',
      input: aks({ apiServerAccessProfile: { enablePrivateClusterPublicFQDN: true } }),
    },
    { name: 'public cluster, nothing set', input: aks({}) },
    {
      name: 'private explicitly false',
      input: aks({ apiServerAccessProfile: { enablePrivateCluster: 'false', enablePrivateClusterPublicFQDN: true } }),
    },
    {
      name: 'az casing',
      input: azShow({ apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFqdn: false } }),
    },
  ],
  invalid: [
    {
      name: 'private cluster with public FQDN',
      input: privateWith(true),
      errors: [{ resource: CLUSTER, path: FQDN, message: /enablePrivateClusterPublicFQDN: true/ }],
    },
    { name: 'as an ARM string boolean', input: privateWith('true'), errors: [{ resource: CLUSTER, path: FQDN }] },
    {
      name: 'missing: AKS creates the public FQDN by default',
      input: aks({ apiServerAccessProfile: { enablePrivateCluster: true } }),
      errors: [{ resource: CLUSTER, path: FQDN, message: /not set.*default/ }],
    },
    { name: 'null is the default', input: privateWith(null), errors: [{ resource: CLUSTER, path: FQDN }] },
    { name: 'an empty string is the default', input: privateWith(''), errors: [{ resource: CLUSTER, path: FQDN }] },
    {
      name: 'az casing',
      input: azShow({ apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFqdn: true } }),
      errors: [{ resource: CLUSTER, path: 'apiServerAccessProfile.enablePrivateClusterPublicFqdn' }],
    },
    {
      name: 'public FQDN from a parameter without default: unknown',
      input: template(
        { apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: param('publicFqdn') } },
        { parameters: ['publicFqdn'] },
      ),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.apiServerAccessProfile.enablePrivateClusterPublicFQDN',
          unknown: true,
          severity: 'info',
        },
      ],
    },
    {
      name: 'private switch from a parameter without default: unknown',
      input: template(
        { apiServerAccessProfile: { enablePrivateCluster: param('private'), enablePrivateClusterPublicFQDN: true } },
        { parameters: ['private'] },
      ),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.apiServerAccessProfile.enablePrivateCluster',
          unknown: true,
        },
      ],
    },
  ],
});
