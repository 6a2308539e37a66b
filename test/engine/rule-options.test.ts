import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/engine/config.js';
import { defaultRuleOptions } from '../../src/engine/options.js';
import { optionsFor } from '../../src/engine/rule-options.js';
import { runRules } from '../../src/engine/run.js';
import type { InputError } from '../../src/model/errors.js';
import { CONFIGURABLE_OPTIONS, type Rule } from '../../src/model/rule.js';
import { RULES } from '../../src/rules/index.js';
import { readTexts } from '../../src/sources/index.js';
import { ROOT, runMain } from '../support/cli.js';
import { aks } from '../support/rule-tester.js';

const rule = (id: string) => RULES.find((r) => r.meta.id === id) as Rule;
const config = (text: string) => loadConfig('aksguard.config.yaml', text, RULES);
const errorOf = (text: string) => {
  try {
    config(text);
  } catch (error) {
    return (error as InputError).oneLine;
  }
  return 'no error';
};

describe('rule options in aksguard.config.yaml', () => {
  it('the schema describes exactly the options rules can declare', () => {
    const schema = JSON.parse(readFileSync(`${ROOT}schemas/aksguard.config.schema.json`, 'utf8'));
    expect(Object.keys(schema.properties.rules.additionalProperties.properties).sort()).toEqual(
      [...CONFIGURABLE_OPTIONS].sort(),
    );
    const declared = new Set(RULES.flatMap((r) => r.meta.options ?? []));
    expect([...declared].sort()).toEqual([...CONFIGURABLE_OPTIONS].sort());
  });

  it('applies patterns first and exact ids last, each only to the options a rule declares', () => {
    const entries = config(
      [
        'rules:',
        '  workload/host-ports:',
        '    systemNamespaces: [kube-system]',
        '  workload:',
        '    systemNamespaces: [kube-system, platform]',
        '  control-plane/authorized-ranges-too-broad:',
        '    minAuthorizedPrefix: 24',
      ].join('\n'),
    ).rules;
    const defaults = defaultRuleOptions();
    expect(optionsFor(rule('workload/host-ports'), defaults, entries).systemNamespaces).toEqual(['kube-system']);
    expect(optionsFor(rule('workload/host-path-volume'), defaults, entries).systemNamespaces).toEqual([
      'kube-system',
      'platform',
    ]);
    expect(optionsFor(rule('control-plane/authorized-ranges-too-broad'), defaults, entries)).toMatchObject({
      minAuthorizedPrefix: 24,
      systemNamespaces: defaults.systemNamespaces,
    });
    expect(optionsFor(rule('identity/local-accounts-enabled'), defaults, entries)).toBe(defaults);
  });

  it('the rules run with them', async () => {
    const { snapshot } = await readTexts([
      {
        file: 'c.json',
        text: JSON.stringify(aks({ apiServerAccessProfile: { authorizedIPRanges: ['10.1.0.0/20'] } })),
        named: true,
      },
    ]);
    const run = (text: string) =>
      runRules(snapshot, {
        rules: [rule('control-plane/authorized-ranges-too-broad')],
        context: { now: new Date('2026-11-28'), options: defaultRuleOptions() },
        version: 'test',
        ruleOptions: config(text).rules,
      }).findings.map((f) => f.message);
    expect(run('')).toEqual([]);
    expect(run('rules:\n  control-plane/authorized-ranges-too-broad:\n    minAuthorizedPrefix: 24\n')).toEqual([
      'authorized range 10.1.0.0/20 is wider than /24: it lets most of the internet reach the API server',
    ]);
  });

  it('refuses, with the line, options a rule does not have, values of the wrong type and unknown patterns', () => {
    expect(errorOf('rules:\n  identity/local-accounts-enabled:\n    minAuthorizedPrefix: 20\n')).toBe(
      "aksguard.config.yaml:3: rules.identity/local-accounts-enabled: rule identity/local-accounts-enabled has no option 'minAuthorizedPrefix' (it is an option of control-plane/authorized-ranges-too-broad)",
    );
    expect(errorOf('rules:\n  workload:\n    rebootGraceHours: 2\n')).toMatch(
      /^aksguard\.config\.yaml:3: rules\.workload: none of the 9 rules it matches has an option 'rebootGraceHours' \(it is an option of patching\/nodes-pending-reboot\)$/,
    );
    expect(errorOf('rules:\n  control-plane/authorized-ranges-too-broad:\n    minAuthorizedPrefix: 40\n')).toBe(
      'aksguard.config.yaml:3: rules.control-plane/authorized-ranges-too-broad.minAuthorizedPrefix: must be <= 32',
    );
    expect(errorOf('rules:\n  patching/nodes-pending-reboot:\n    graceHours: 2\n')).toBe(
      "aksguard.config.yaml:3: rules.patching/nodes-pending-reboot: unknown key 'graceHours'",
    );
    expect(errorOf('rules:\n  patching/typo:\n    rebootGraceHours: 2\n')).toMatch(
      /^aksguard\.config\.yaml:2: rules\.patching\/typo: unknown rule 'patching\/typo'/,
    );
  });
});

describe('aksguard explain', () => {
  it('ends with the options in effect and where each comes from', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aksguard-explain-')), 'aksguard.config.yaml');
    writeFileSync(file, 'rules:\n  control-plane:\n    minAuthorizedPrefix: 20\n');
    const set = await runMain(['explain', 'control-plane/authorized-ranges-too-broad', '--config', file]);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(
      `Options in effect (set them under \`rules:\` in ${file}):\n  minAuthorizedPrefix = 20  [${file}:2 (rules.control-plane); default 16]\n`,
    );
    const defaults = await runMain(['explain', 'workload/host-ports', '--config', file]);
    expect(defaults.stdout).toContain(
      '  systemNamespaces = kube-system, kube-public, kube-node-lease, gatekeeper-system, calico-system, tigera-operator, aks-command, app-routing-system  [default]\n',
    );
    expect((await runMain(['explain', 'identity/local-accounts-enabled'])).stdout).not.toContain('Options in effect');
  });
});
