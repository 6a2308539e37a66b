import { UsageError } from '../model/errors.js';
import type { Rule } from '../model/rule.js';
import { matchRulePattern } from './rule-pattern.js';

/**
 * The rules a scan runs: all of them, narrowed by `--rule` and then by `--exclude-rule` (rule patterns, see
 * `compileRulePattern`); a pattern that is malformed or matches nothing is a usage error.
 */
export function selectRules(all: readonly Rule[], include: readonly string[], exclude: readonly string[]): Rule[] {
  const ids = all.map((r) => r.meta.id);
  const matching = (pattern: string, flag: string) => {
    const matched = matchRulePattern(pattern, ids);
    if (typeof matched === 'string') throw new UsageError(`${flag}: ${matched}`);
    return all.filter((r) => matched.includes(r.meta.id));
  };
  const included = include.length === 0 ? [...all] : [...new Set(include.flatMap((p) => matching(p, '--rule')))];
  const excluded = new Set(exclude.flatMap((p) => matching(p, '--exclude-rule')));
  return included.filter((r) => !excluded.has(r)).sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
}
