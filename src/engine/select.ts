import { UsageError } from '../model/errors.js';
import { type Rule, ruleDomain } from '../model/rule.js';

/**
 * The rules a scan runs: all of them, narrowed by `--rule` and then by `--exclude-rule`. A pattern is a rule id,
 * a domain (`identity`) or a domain wildcard (`identity/*`); one that matches nothing is a usage error.
 */
export function selectRules(all: readonly Rule[], include: readonly string[], exclude: readonly string[]): Rule[] {
  const matching = (pattern: string) => {
    const domain = pattern.endsWith('/*') ? pattern.slice(0, -2) : pattern.includes('/') ? undefined : pattern;
    const found = all.filter((r) => (domain === undefined ? r.meta.id === pattern : ruleDomain(r.meta.id) === domain));
    if (found.length === 0) throw new UsageError(`no rule matches '${pattern}' (run \`aksguard rules\` for the list)`);
    return found;
  };
  const included = include.length === 0 ? [...all] : [...new Set(include.flatMap(matching))];
  const excluded = new Set(exclude.flatMap(matching));
  return included.filter((r) => !excluded.has(r)).sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
}
