import { UsageError } from '../model/errors.js';
import { type Finding, type Location, SEVERITIES, type Severity, severityRank } from '../model/finding.js';
import { formatPath } from '../model/provenance.js';
import { SCHEMA_VERSION, type ScanResult, type Summary } from '../model/result.js';
import type { Problem, Rule, RuleContext } from '../model/rule.js';
import type { Snapshot } from '../model/snapshot.js';
import { remediationFor } from './remediation.js';
import { optionsFor, type RuleOptionsEntry } from './rule-options.js';

export interface RunOptions {
  readonly rules: readonly Rule[];
  readonly context: RuleContext;
  readonly version: string;
  readonly skipped?: ScanResult['skipped'];
  /** More findings than this is refused: a report that big is read by no one and may not fit in memory. */
  readonly maxFindings?: number;
  /** The config's `rules:` entries: options a rule runs with instead of `context.options`. */
  readonly ruleOptions?: readonly RuleOptionsEntry[];
}

/**
 * Runs every rule once over the snapshot. A rule that throws becomes an `unknown` finding naming it (counted in
 * `summary.errors`), so one bug never hides the other rules' results or crashes the scan; the CLI then exits 2,
 * as the scan could not judge what that rule checks.
 */
export function runRules(snapshot: Snapshot, options: RunOptions): ScanResult {
  const findings: Finding[] = [];
  let errors = 0;
  // Commands take the cluster's real name; a stand-in name (a symbolic name or address) keeps the placeholder.
  const names = new Map(snapshot.clusters.map((c) => [c.target.id, c.unresolvedName ? undefined : c.name]));
  const max = options.maxFindings ?? Number.POSITIVE_INFINITY;
  for (const rule of options.rules) {
    let problems: Problem[];
    try {
      const own = optionsFor(rule, options.context.options, options.ruleOptions ?? []);
      problems = rule.check(snapshot, { ...options.context, options: own });
    } catch (error) {
      errors++;
      findings.push(ruleFailure(rule, error));
      continue;
    }
    if (findings.length + problems.length > max) throw tooManyFindings(max);
    for (const problem of problems) findings.push(toFinding(rule, problem, names));
  }
  findings.sort(compareFindings);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'aksguard', version: options.version },
    asOf: options.context.now.toISOString(),
    targets: [...snapshot.targets].sort((a, b) => compareText(a.id, b.id)),
    findings,
    summary: summarize(findings, options.rules.length, errors),
    skipped: options.skipped ?? [],
  };
}

function toFinding(rule: Rule, problem: Problem, names: ReadonlyMap<string, string | undefined>): Finding {
  const { at } = problem;
  const position = at.doc.locate(at.path);
  const location: Location = position ? { file: at.doc.file, ...position } : { file: at.doc.file };
  return {
    ruleId: rule.meta.id,
    severity: problem.unknown ? 'info' : (problem.severity ?? rule.meta.severity),
    title: rule.meta.title,
    message: problem.message,
    target: at.owner.target,
    resource: at.owner.resource,
    path: at.doc.describe?.(at.path) ?? formatPath(at.path),
    location,
    remediation: remediationFor(rule, names.get(at.owner.target), at.owner.target, at.owner.resource),
    unknown: problem.unknown === true,
    suppressed: null,
  };
}

function ruleFailure(rule: Rule, error: unknown): Finding {
  return {
    ruleId: rule.meta.id,
    severity: 'info',
    title: rule.meta.title,
    message: `the rule failed and could not judge this scan (${error instanceof Error ? error.message : String(error)}); please report it`,
    target: '*',
    resource: { kind: 'Rule', name: rule.meta.id, namespace: null },
    path: '',
    location: null,
    remediation: '',
    unknown: true,
    suppressed: null,
  };
}

const tooManyFindings = (max: number) =>
  new UsageError(
    `the inputs give more than ${max.toLocaleString('en')} findings: refused (scan fewer inputs at once, or raise AKSGUARD_MAX_FINDINGS)`,
  );

export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.target, b.target) ||
    compareText(a.resource.kind, b.resource.kind) ||
    compareText(a.resource.namespace ?? '', b.resource.namespace ?? '') ||
    compareText(a.resource.name, b.resource.name) ||
    compareText(a.path, b.path) ||
    compareText(a.message, b.message)
  );
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function summarize(findings: readonly Finding[], rulesRun: number, errors: number): Summary {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let suppressed = 0;
  let unknown = 0;
  let undecided = 0;
  for (const finding of findings) {
    if (finding.suppressed) suppressed++;
    else counts[finding.severity]++;
    if (finding.unknown) unknown++;
    if (finding.unknown && !finding.suppressed) undecided++;
  }
  return { ...counts, suppressed, unknown, undecided, errors, rulesRun };
}

/**
 * Whether the scan fails: an unsuppressed finding at or above `threshold` (`none` never fails), or, with
 * `failOnUndecided`, any unsuppressed finding the input could not decide.
 */
export function failsOn(result: ScanResult, threshold: Severity | 'none', failOnUndecided = false): boolean {
  if (failOnUndecided && result.summary.undecided > 0) return true;
  if (threshold === 'none') return false;
  return result.findings.some((f) => !f.suppressed && severityRank(f.severity) <= severityRank(threshold));
}
