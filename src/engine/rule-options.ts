import type { ConfigurableOption, Rule, RuleOptions } from '../model/rule.js';
import { compileRulePattern, matchRulePattern, type RuleMatcher } from './rule-pattern.js';

/** One entry of the config's `rules:` section: the options it sets for the rules its pattern matches. */
export interface RuleOptionsEntry {
  readonly pattern: string;
  readonly matches: RuleMatcher;
  readonly options: Readonly<Partial<Pick<RuleOptions, ConfigurableOption>>>;
  readonly line: number;
}

/** Reports a bad entry: the key, what is wrong and, when it is about one option, its name. */
type Fail = (key: string, message: string, option?: string) => never;

/**
 * Checks the `rules:` section (the schema has checked the option types): every key is a rule pattern matching
 * some rule, and every option it sets is one that a matched rule declares. Entries with a wildcard apply first,
 * exact ids last, so `workload: {…}` sets a default that `workload/host-ports: {…}` refines.
 */
export function ruleOptionsEntries(
  raw: Readonly<Record<string, Record<string, unknown>>>,
  rules: readonly Rule[],
  fail: Fail,
  lineOf: (key: string) => number,
): RuleOptionsEntry[] {
  const ids = rules.map((r) => r.meta.id);
  const entries = Object.entries(raw).map(([pattern, options]): RuleOptionsEntry => {
    const matched = matchRulePattern(pattern, ids);
    if (typeof matched === 'string') fail(pattern, matched);
    const targets = rules.filter((r) => matched.includes(r.meta.id));
    for (const option of Object.keys(options)) {
      if (targets.some((r) => declares(r, option))) continue;
      const owners = rules.filter((r) => declares(r, option)).map((r) => r.meta.id);
      const which =
        targets.length === 1
          ? `rule ${pattern} has no option '${option}'`
          : `none of the ${targets.length} rules it matches has an option '${option}'`;
      fail(pattern, `${which}${owners.length ? ` (it is an option of ${owners.join(', ')})` : ''}`, option);
    }
    return { pattern, matches: compileRulePattern(pattern) as RuleMatcher, options, line: lineOf(pattern) };
  });
  const exact = (e: RuleOptionsEntry) => ids.includes(e.pattern);
  return [...entries.filter((e) => !exact(e)), ...entries.filter(exact)];
}

const declares = (rule: Rule, option: string): boolean =>
  (rule.meta.options as readonly string[] | undefined)?.includes(option) ?? false;

/** Where one option of a rule gets its value: the default, or the config entry (and line) that sets it. */
export interface OptionSource {
  readonly option: ConfigurableOption;
  readonly value: unknown;
  readonly defaultValue: unknown;
  readonly entry: RuleOptionsEntry | undefined;
}

/** The options a rule declares, each with the value it runs with and where that comes from. */
export function optionSources(rule: Rule, defaults: RuleOptions, entries: readonly RuleOptionsEntry[]): OptionSource[] {
  return (rule.meta.options ?? []).map((option) => {
    const entry = entries.findLast((e) => e.matches(rule.meta.id) && e.options[option] !== undefined);
    return { option, value: entry ? entry.options[option] : defaults[option], defaultValue: defaults[option], entry };
  });
}

/** The options one rule runs with: the defaults with the config's values for the options the rule declares. */
export function optionsFor(rule: Rule, defaults: RuleOptions, entries: readonly RuleOptionsEntry[]): RuleOptions {
  const set = optionSources(rule, defaults, entries).filter((s) => s.entry !== undefined);
  return set.length === 0 ? defaults : { ...defaults, ...Object.fromEntries(set.map((s) => [s.option, s.value])) };
}
