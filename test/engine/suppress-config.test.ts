import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/engine/config.js';
import { compileGlob, compilePathGlob } from '../../src/engine/glob.js';
import { InputError } from '../../src/model/errors.js';
import { RULES } from '../../src/rules/index.js';
import { ROOT, runMain } from '../support/cli.js';

/** The one-line error a config gets, as the CLI prints it. */
function errorOf(text: string): string {
  try {
    loadConfig('aksguard.config.yaml', text, RULES);
  } catch (error) {
    if (error instanceof InputError) return error.oneLine;
    throw error;
  }
  return 'no error';
}

describe('aksguard.config.yaml', () => {
  it('reads severity overrides, disabled rules and ignores with compiled globs', () => {
    const config = loadConfig(
      'c.yaml',
      [
        'severity:',
        '  node-access/ssh-enabled: low',
        'disable: [monitoring/*]',
        'ignore:',
        '  - rule: identity/local-accounts-enabled',
        '    target: prod-*',
        '    resource: ManagedCluster/prod-[a-z]??',
        '    reason: "  break-glass access  "',
        '    expires: 2027-03-31',
      ].join('\n'),
      RULES,
    );
    expect(config.severity).toEqual({ 'node-access/ssh-enabled': 'low' });
    expect(config.disable).toEqual(['monitoring/*']);
    const [ignore] = config.ignores;
    expect(ignore).toMatchObject({ rule: 'identity/local-accounts-enabled', reason: 'break-glass access', line: 5 });
    expect(ignore?.expires).toBe('2027-03-31');
    expect(ignore?.target?.test('prod-weu')).toBe(true);
    expect(ignore?.target?.test('dev-weu')).toBe(false);
    expect(ignore?.resource?.test('ManagedCluster/prod-weu')).toBe(true);
    expect(ignore?.resource?.test('ManagedCluster/prod-weu2')).toBe(false);
  });

  it('an empty file is an empty config', () => {
    expect(loadConfig('c.yaml', '', RULES)).toEqual({
      file: 'c.yaml',
      severity: {},
      disable: [],
      ignores: [],
      skipPaths: [],
      rules: [],
      scan: {},
    });
  });

  it('skipPaths: globs are read, and a malformed one names its line', () => {
    expect(loadConfig('c.yaml', 'skipPaths:\n  - examples/**\n  - tfplan.json\n', RULES).skipPaths).toEqual([
      'examples/**',
      'tfplan.json',
    ]);
    expect(errorOf('skipPaths:\n  - ok/**\n  - "bad[glob"\n')).toBe(
      "aksguard.config.yaml:3: skipPaths 'bad[glob' is not a valid glob: unclosed '[' at character 4",
    );
    expect(errorOf('skipPaths: examples\n')).toMatch(/^aksguard\.config\.yaml:1: skipPaths: must be array/);
  });

  it('an ignore without a reason names its line', () => {
    expect(
      errorOf(
        'ignore:\n  - rule: identity/local-accounts-enabled\n    reason: ok\n  - rule: node-access/ssh-enabled\n',
      ),
    ).toBe("aksguard.config.yaml:4: ignore[1]: 'reason' is required (say why this risk is accepted)");
    expect(errorOf('ignore:\n  - rule: node-access/ssh-enabled\n    reason: "  "\n')).toBe(
      'aksguard.config.yaml:3: ignore[0].reason: must not be blank',
    );
  });

  it('a bad glob names its line', () => {
    expect(errorOf('ignore:\n  - rule: node-access/ssh-enabled\n    reason: ok\n    resource: "AgentPool/[ab"\n')).toBe(
      "aksguard.config.yaml:4: ignore resource 'AgentPool/[ab' is not a valid glob: unclosed '[' at character 11",
    );
    expect(errorOf('ignore:\n  - rule: node-access/ssh-enabled\n    reason: ok\n    target: "a]"\n')).toMatch(
      /^aksguard\.config\.yaml:4: ignore target 'a]' is not a valid glob/,
    );
  });

  it('an unknown rule id names its line, wherever it is', () => {
    expect(errorOf('ignore:\n  - rule: identity/no-such-rule\n    reason: ok\n')).toBe(
      "aksguard.config.yaml:2: ignore: unknown rule 'identity/no-such-rule' (run `aksguard rules` for the list)",
    );
    expect(errorOf('disable:\n  - monitoring/*\n  - nope/*\n')).toMatch(
      /^aksguard\.config\.yaml:3: disable: no rule matches 'nope\/\*'/,
    );
    expect(errorOf('severity:\n  node-access/ssh-enabled: low\n  identity/typo: high\n')).toMatch(
      /^aksguard\.config\.yaml:3: severity: unknown rule 'identity\/typo'/,
    );
  });

  it('schema errors, bad dates and YAML errors name their line', () => {
    expect(errorOf('severity:\n  node-access/ssh-enabled: severe\n')).toBe(
      'aksguard.config.yaml:2: severity.node-access/ssh-enabled: must be one of critical, high, medium, low, info',
    );
    expect(errorOf('ignores: []\n')).toBe("aksguard.config.yaml:1: the config: unknown key 'ignores'");
    expect(errorOf('ignore:\n  - rule: node-access/ssh-enabled\n    reason: ok\n    expires: next year\n')).toBe(
      'aksguard.config.yaml:4: ignore[0].expires: must be a date YYYY-MM-DD',
    );
    expect(errorOf('ignore:\n  - rule: node-access/ssh-enabled\n    reason: ok\n    expires: 2027-02-31\n')).toBe(
      "aksguard.config.yaml:4: ignore expires '2027-02-31' is not a date",
    );
    expect(errorOf('ignore:\n  - rule: [unclosed\n')).toMatch(/^aksguard\.config\.yaml:\d+: invalid YAML: /);
  });

  it('the CLI exits 2 with the line of a malformed ignore, before scanning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aksguard-config-'));
    const file = join(dir, 'aksguard.config.yaml');
    writeFileSync(file, 'ignore:\n  - rule: identity/local-accounts-enabled\n    target: prod-*\n');
    const run = await runMain(['scan', 'examples/demo', '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${file}:2: ignore[0]: 'reason' is required (say why this risk is accepted)\n`);
    expect(run.stdout).toBe('');
  });

  it('a missing --config file exits 2', async () => {
    const run = await runMain(['scan', 'examples/demo', '--config', 'no-such.yaml']);
    expect([run.code, run.stderr]).toEqual([2, 'no-such.yaml: no such file\n']);
  });
});

describe('globs', () => {
  it.each([
    ['prod-*', 'prod-weu', true],
    ['prod-*', 'dev-prod-weu', false],
    ['*/kube-system/*', 'Deployment/kube-system/coredns', true],
    ['pool-?', 'pool-1', true],
    ['pool-?', 'pool-12', false],
    ['pool-[0-9]', 'pool-7', true],
    ['pool-[!0-9]', 'pool-7', false],
    ['a.b', 'axb', false],
    ['(x)+', '(x)+', true],
  ])('%s on %s: %s', (glob, value, expected) => {
    const compiled = compileGlob(glob);
    expect(compiled).toBeInstanceOf(RegExp);
    expect((compiled as RegExp).test(value)).toBe(expected);
  });

  it.each(['', '[abc', 'x]', '[z-a]'])('%j is not a glob', (glob) => {
    expect(typeof compileGlob(glob)).toBe('string');
  });
});

describe('path globs (--skip-path, skipPaths)', () => {
  it.each([
    ['tfplan.json', 'infra/prod/tfplan.json', true],
    ['*.bicep', 'modules/aks/main.bicep', true],
    ['examples', 'examples/demo/cluster.json', true],
    ['examples', 'my-examples/cluster.json', false],
    ['examples/**', 'examples/demo/cluster.json', true],
    ['examples/**', 'src/examples/cluster.json', false],
    ['**/test/*.json', 'modules/aks/test/cluster.json', true],
    ['**/test/*.json', 'test/cluster.json', true],
    ['modules/*/test', 'modules/aks/test', true],
    ['modules/*/test', 'modules/aks/deep/test', false],
    ['./infra/', 'infra', true],
    ['main.[jb]*', 'main.json', true],
  ])('%s on %s: %s', (glob, path, expected) => {
    const matches = compilePathGlob(glob);
    if (typeof matches === 'string') throw new Error(matches);
    expect(matches(path)).toBe(expected);
  });

  it.each(['', '[abc', 'x]'])('%j is not a glob', (glob) => {
    expect(typeof compilePathGlob(glob)).toBe('string');
  });
});

describe('the README', () => {
  it('its aksguard.config.yaml example is a valid config', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /```yaml\n(# yaml-language-server[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const config = loadConfig('README.md', example as string, RULES);
    expect(config.ignores.map((i) => i.rule)).toEqual(['identity/local-accounts-enabled', 'node-access/*']);
    expect(config.rules.map((r) => r.pattern)).toEqual(['workload', 'control-plane/authorized-ranges-too-broad']);
  });
});
