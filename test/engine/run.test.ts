import { describe, expect, it } from 'vitest';
import { defaultRuleOptions, versionTableWarning } from '../../src/engine/options.js';
import { failsOn, runRules } from '../../src/engine/run.js';
import { selectRules } from '../../src/engine/select.js';
import { UsageError } from '../../src/model/errors.js';
import { defineRule, type Rule } from '../../src/model/rule.js';
import { RULES } from '../../src/rules/index.js';
import { readTexts } from '../../src/sources/index.js';
import { aks, pool } from '../support/rule-tester.js';

const context = { now: new Date('2026-11-28T00:00:00Z'), options: defaultRuleOptions() };

const snapshotOf = async (value: unknown) =>
  (await readTexts([{ file: 'c.json', text: JSON.stringify(value, null, 2), named: true }])).snapshot;

describe('runRules', () => {
  it('turns a rule that throws into an unknown finding naming it, and keeps the other rules', async () => {
    const broken: Rule = defineRule({
      meta: { id: 'test/broken', title: 'Broken', severity: 'high', seed: '', refs: {}, remediation: {} },
      check: () => {
        throw new Error('boom');
      },
    });
    const local = RULES.find((r) => r.meta.id === 'identity/local-accounts-enabled') as Rule;
    const result = runRules(await snapshotOf(aks({ agentPoolProfiles: [pool()] })), {
      rules: [broken, local],
      context,
      version: 't',
    });
    const failure = result.findings.find((f) => f.ruleId === 'test/broken');
    expect(failure).toMatchObject({ severity: 'info', unknown: true, target: '*' });
    expect(failure?.message).toMatch(/boom/);
    expect(result.findings.map((f) => f.ruleId)).toContain('identity/local-accounts-enabled');
    expect(result.summary.errors).toBe(1);
  });

  it('fills remediation commands with the resource group, cluster and pool', async () => {
    const rule = RULES.find((r) => r.meta.id === 'node-access/ssh-enabled') as Rule;
    const result = runRules(await snapshotOf(aks({ agentPoolProfiles: [pool({ name: 'blue' })] })), {
      rules: [rule],
      context,
      version: 't',
    });
    expect(result.findings[0]?.remediation).toMatch(
      /^az aks nodepool update -g rg1 --cluster-name aks1 -n blue --ssh-access disabled/,
    );
  });

  it('sorts findings by severity, rule, target and resource; counts them in the summary', async () => {
    const result = runRules(
      await snapshotOf(aks({ enableRBAC: false, agentPoolProfiles: [pool({ name: 'b' }), pool({ name: 'a' })] })),
      {
        rules: RULES,
        context,
        version: 't',
      },
    );
    expect(result.findings[0]?.ruleId).toBe('identity/kubernetes-rbac-disabled');
    const ssh = result.findings.filter((f) => f.ruleId === 'node-access/ssh-enabled').map((f) => f.resource.name);
    expect(ssh).toEqual(['a', 'b']);
    expect(result.summary.critical).toBe(1);
    expect(result.summary.rulesRun).toBe(RULES.length);
    expect(failsOn(result, 'critical')).toBe(true);
    expect(failsOn(result, 'none')).toBe(false);
  });
});

describe('selectRules', () => {
  it('selects by id, domain and domain/*, then excludes', () => {
    expect(selectRules(RULES, ['identity'], ['identity/azure-rbac-disabled']).map((r) => r.meta.id)).not.toContain(
      'identity/azure-rbac-disabled',
    );
    expect(selectRules(RULES, ['encryption/*'], []).every((r) => r.meta.id.startsWith('encryption/'))).toBe(true);
    expect(() => selectRules(RULES, ['nope'], [])).toThrow(UsageError);
  });
});

describe('versionTableWarning', () => {
  it('warns only when the support table is more than 180 days old', () => {
    const table = { updated: '2026-11-01', source: '', versions: [] };
    expect(versionTableWarning(new Date('2027-04-30'), table)).toBeUndefined();
    expect(versionTableWarning(new Date('2027-05-01'), table)).toMatch(/181 days old/);
  });
});
