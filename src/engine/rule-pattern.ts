import { compileGlob } from './glob.js';

/** Tests a rule id against one pattern. */
export type RuleMatcher = (ruleId: string) => boolean;

/**
 * The one reading of a rule pattern, shared by `--rule`, `--exclude-rule`, the config's `disable`, `ignore` and
 * `rules` keys, the inline suppressions and the `aksguard.io/ignore` annotation: a rule id
 * (`identity/local-accounts-enabled`), a domain (`identity`), a domain wildcard (`identity/*`) or a glob over ids
 * (`workload/host-*`, `*`). Returns an error text for a malformed glob.
 */
export function compileRulePattern(pattern: string): RuleMatcher | string {
  const trimmed = pattern.trim();
  if (trimmed === '') return 'an empty rule pattern';
  if (!/[*?[\]]/.test(trimmed)) {
    return trimmed.includes('/') ? (id) => id === trimmed : (id) => id.startsWith(`${trimmed}/`);
  }
  const glob = compileGlob(trimmed);
  return typeof glob === 'string' ? `'${trimmed}' is not a valid rule pattern: ${glob}` : (id) => glob.test(id);
}

/** The ids a pattern matches; an error text when it is malformed or matches none of `ruleIds`. */
export function matchRulePattern(pattern: string, ruleIds: readonly string[]): readonly string[] | string {
  const matcher = compileRulePattern(pattern);
  if (typeof matcher === 'string') return matcher;
  const matched = ruleIds.filter(matcher);
  if (matched.length > 0) return matched;
  const what = /^[^*?[\]]+\/[^*?[\]]+$/.test(pattern.trim()) ? 'unknown rule' : 'no rule matches';
  return `${what} '${pattern}' (run \`aksguard rules\` for the list)`;
}

/** Whether a rule id matches a pattern; a malformed pattern matches nothing (validation reports it earlier). */
export function ruleMatches(pattern: string, ruleId: string): boolean {
  const matcher = compileRulePattern(pattern);
  return typeof matcher !== 'string' && matcher(ruleId);
}
