import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/engine/config.js';
import { compileRulePattern, matchRulePattern } from '../../src/engine/rule-pattern.js';
import { selectRules } from '../../src/engine/select.js';
import { UsageError } from '../../src/model/errors.js';
import { RULES } from '../../src/rules/index.js';

const IDS = RULES.map((r) => r.meta.id);
const matched = (pattern: string) => matchRulePattern(pattern, IDS);

describe('the one rule pattern', () => {
  it.each([
    ['identity/local-accounts-enabled', (id: string) => id === 'identity/local-accounts-enabled'],
    ['identity', (id: string) => id.startsWith('identity/')],
    ['identity/*', (id: string) => id.startsWith('identity/')],
    ['workload/host-*', (id: string) => /^workload\/host-/.test(id)],
    ['*/*-enabled', (id: string) => id.endsWith('-enabled')],
    ['*', () => true],
  ])('%s matches exactly the ids it says', (pattern, expected) => {
    expect(matched(pattern)).toEqual(IDS.filter(expected));
    expect((matched(pattern) as string[]).length).toBeGreaterThan(0);
  });

  it('does not read a domain as a prefix of another (identity is not identity-x)', () => {
    const matcher = compileRulePattern('identity');
    expect(typeof matcher === 'function' && matcher('identity-extra/x')).toBe(false);
  });

  it('names what is wrong with a pattern that matches nothing or is malformed', () => {
    expect(matched('identity/no-such-rule')).toBe(
      "unknown rule 'identity/no-such-rule' (run `aksguard rules` for the list)",
    );
    expect(matched('nope')).toMatch(/^no rule matches 'nope'/);
    expect(matched('workload/[host')).toMatch(/is not a valid rule pattern: unclosed '\['/);
    expect(matched(' ')).toBe('an empty rule pattern');
  });

  it('is the one --rule, --exclude-rule, disable and ignore use', () => {
    const selected = selectRules(RULES, ['workload/host-*'], ['workload/host-ports']).map((r) => r.meta.id);
    expect(selected).toEqual(IDS.filter((id) => /^workload\/host-/.test(id) && id !== 'workload/host-ports'));
    expect(() => selectRules(RULES, [], ['identity/typo'])).toThrow(
      new UsageError("--exclude-rule: unknown rule 'identity/typo' (run `aksguard rules` for the list)"),
    );
    // `disable: [identity]` was refused as "unknown rule" while `--exclude-rule identity` worked.
    const config = loadConfig(
      'c.yaml',
      'disable: [identity, "workload/host-*"]\nignore:\n  - rule: monitoring\n    reason: central logging\n',
      RULES,
    );
    expect(config.disable).toEqual(['identity', 'workload/host-*']);
    expect(config.ignores.map((i) => i.rule)).toEqual(['monitoring']);
    expect(() => loadConfig('c.yaml', 'disable:\n  - "workload/[x"\n', RULES)).toThrow(
      /^disable: 'workload\/\[x' is not a valid rule pattern/,
    );
  });
});
