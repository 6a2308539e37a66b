import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/index.js';
import { aks, findingsOf } from '../support/rule-tester.js';

/** The rules whose setting AKS Automatic decides when the input leaves it out. */
const PLATFORM_SET = [
  'identity/local-accounts-enabled',
  'identity/entra-id-integration-missing',
  'identity/azure-rbac-disabled',
  'identity/kubernetes-rbac-disabled',
  'identity/workload-identity-disabled',
  'monitoring/image-cleaner-disabled',
  'isolation/policy-addon-disabled',
  'isolation/network-policy-disabled',
  'control-plane/cluster-auto-upgrade-disabled',
];

async function verdicts(input: unknown): Promise<Map<string, 'fail' | 'unknown' | 'pass'>> {
  const result = new Map<string, 'fail' | 'unknown' | 'pass'>();
  for (const id of PLATFORM_SET) {
    const rule = RULES.find((r) => r.meta.id === id);
    if (!rule) throw new Error(`no rule ${id}`);
    const findings = await findingsOf(rule, { name: id, input });
    result.set(id, findings.length === 0 ? 'pass' : findings.every((f) => f.unknown) ? 'unknown' : 'fail');
  }
  return result;
}

describe('AKS Automatic: what the platform sets is what the rules judge', () => {
  it('a Base cluster that leaves these settings out fails them (RBAC is on by default; Azure RBAC needs Entra ID)', async () => {
    const base = await verdicts(aks({}, { sku: { name: 'Base', tier: 'Free' } }));
    const passing = ['identity/azure-rbac-disabled', 'identity/kubernetes-rbac-disabled'];
    expect([...base]).toEqual(PLATFORM_SET.map((id) => [id, passing.includes(id) ? 'pass' : 'fail']));
  });

  it('an Automatic cluster that leaves them out passes every one', async () => {
    const automatic = await verdicts(aks({}, { sku: { name: 'Automatic', tier: 'Standard' } }));
    expect([...automatic.values()]).toEqual(PLATFORM_SET.map(() => 'pass'));
  });

  it('an explicit value on an Automatic cluster still wins, and the message says where it comes from', async () => {
    const input = aks(
      { disableLocalAccounts: false, autoUpgradeProfile: { upgradeChannel: 'none' } },
      { sku: { name: 'Automatic', tier: 'Standard' } },
    );
    const automatic = await verdicts(input);
    expect(automatic.get('identity/local-accounts-enabled')).toBe('fail');
    expect(automatic.get('control-plane/cluster-auto-upgrade-disabled')).toBe('fail');
    expect(automatic.get('identity/workload-identity-disabled')).toBe('pass');
  });

  it('an SKU the input does not tell leaves them undecided, naming the SKU', async () => {
    const template = {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters: { skuName: { type: 'string' } },
      resources: [
        {
          type: 'Microsoft.ContainerService/managedClusters',
          apiVersion: '2024-09-01',
          name: 'aks1',
          location: 'westeurope',
          sku: { name: "[parameters('skuName')]", tier: 'Standard' },
          properties: { agentPoolProfiles: [{ name: 'system', mode: 'System', count: 3 }] },
        },
      ],
    };
    const open = await verdicts(template);
    expect([...open.values()]).toEqual(PLATFORM_SET.map(() => 'unknown'));
    const rule = RULES.find((r) => r.meta.id === 'identity/local-accounts-enabled');
    const [finding] = await findingsOf(rule as (typeof RULES)[number], { name: 'sku', input: template });
    expect(finding?.message).toMatch(/skuName/);
  });
});
