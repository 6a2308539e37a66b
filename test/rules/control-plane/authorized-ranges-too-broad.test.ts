import rule from '../../../src/rules/control-plane/authorized-ranges-too-broad.js';
import { azShow, CLUSTER, param, TEMPLATE_CLUSTER, template } from '../../support/arm-fixtures.js';
import { aks, testRule } from '../../support/rule-tester.js';

const RANGES = 'properties.apiServerAccessProfile.authorizedIPRanges';
const publicWith = (...ranges: unknown[]) => aks({ apiServerAccessProfile: { authorizedIPRanges: ranges } });

testRule(rule, {
  valid: [
    { name: 'no ranges at all (api-server-unrestricted reports that)', input: aks({}) },
    { name: 'null ranges', input: aks({ apiServerAccessProfile: { authorizedIPRanges: null } }) },
    { name: 'an empty-string range counts as empty, not as too broad', input: publicWith('') },
    { name: 'a /24', input: publicWith('203.0.113.0/24') },
    { name: 'a /16 is not shorter than /16', input: publicWith('10.1.0.0/16') },
    { name: 'a single address (a /32)', input: publicWith('203.0.113.7') },
    { name: 'an IPv6 /48', input: publicWith('2001:db8:1::/48') },
    {
      name: 'private cluster: ranges do not open it to the internet',
      input: aks({ apiServerAccessProfile: { enablePrivateCluster: true, authorizedIPRanges: ['0.0.0.0/0'] } }),
    },
    {
      name: 'private as an ARM string boolean',
      input: aks({ apiServerAccessProfile: { enablePrivateCluster: 'true', authorizedIPRanges: ['0.0.0.0/0'] } }),
    },
    {
      name: 'a configured threshold of /8 accepts a /12',
      input: publicWith('172.16.0.0/12'),
      options: { minAuthorizedPrefix: 8 },
    },
  ],
  invalid: [
    {
      name: '0.0.0.0/0 (the api-server-unrestricted rule passes it: ranges exist)',
      input: publicWith('203.0.113.0/24', '0.0.0.0/0'),
      errors: [{ resource: CLUSTER, path: `${RANGES}[1]`, message: /0\.0\.0\.0\/0 is wider than \/16/ }],
    },
    { name: '::/0', input: publicWith('::/0'), errors: [{ resource: CLUSTER, path: `${RANGES}[0]` }] },
    {
      name: 'an IPv4 prefix shorter than /16',
      input: publicWith('10.0.0.0/8'),
      errors: [{ resource: CLUSTER, path: `${RANGES}[0]`, message: /10\.0\.0\.0\/8/ }],
    },
    {
      name: 'several broad ranges: one finding naming them all',
      input: publicWith('10.0.0.0/8', '172.16.0.0/12'),
      errors: [{ resource: CLUSTER, path: `${RANGES}[0]`, message: /10\.0\.0\.0\/8, 172\.16\.0\.0\/12/ }],
    },
    {
      name: 'private explicitly false',
      input: aks({ apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ['0.0.0.0/0'] } }),
      errors: [{ resource: CLUSTER, path: `${RANGES}[0]` }],
    },
    {
      name: 'a configured threshold of /24 rejects a /20',
      input: publicWith('198.51.96.0/20'),
      options: { minAuthorizedPrefix: 24 },
      errors: [{ resource: CLUSTER, path: `${RANGES}[0]`, message: /wider than \/24/ }],
    },
    {
      name: 'az casing (authorizedIpRanges, no properties wrapper)',
      input: azShow({ apiServerAccessProfile: { authorizedIpRanges: ['0.0.0.0/0'], enablePrivateCluster: null } }),
      errors: [{ resource: CLUSTER, path: 'apiServerAccessProfile.authorizedIpRanges[0]' }],
    },
    {
      name: 'legacy 2019 preview spelling apiServerAuthorizedIPRanges',
      input: aks({ apiServerAuthorizedIPRanges: ['0.0.0.0/0'] }),
      errors: [{ resource: CLUSTER, path: 'properties.apiServerAuthorizedIPRanges[0]' }],
    },
    {
      name: 'broad range, private switch from a parameter without default: unknown',
      input: template(
        { apiServerAccessProfile: { enablePrivateCluster: param('private'), authorizedIPRanges: ['0.0.0.0/0'] } },
        { parameters: ['private'] },
      ),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.apiServerAccessProfile.enablePrivateCluster',
          unknown: true,
          severity: 'info',
        },
      ],
    },
    {
      name: 'the ranges themselves from a parameter without default: unknown',
      input: template({ apiServerAccessProfile: { authorizedIPRanges: param('ranges') } }, { parameters: ['ranges'] }),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.apiServerAccessProfile.authorizedIPRanges',
          unknown: true,
        },
      ],
    },
    {
      name: 'one range from a parameter next to a narrow one: unknown',
      input: template(
        { apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24', param('office')] } },
        { parameters: ['office'] },
      ),
      errors: [
        {
          resource: TEMPLATE_CLUSTER,
          path: 'resources[0].properties.apiServerAccessProfile.authorizedIPRanges',
          unknown: true,
        },
      ],
    },
  ],
});
