import { type Finding, type Severity, severityRank } from '../model/finding.js';

/** One rule's findings on one cluster: how the HTML and Markdown reports show N resources under one heading. */
export interface RuleGroup {
  readonly ruleId: string;
  readonly title: string;
  /** The most severe of its findings (a rule reports system namespaces at `info`, others at its own severity). */
  readonly worst: Severity;
  readonly findings: readonly Finding[];
}

/** Findings grouped by rule, the most severe rule first, then by rule id; findings keep their order. */
export function groupByRule(findings: readonly Finding[]): RuleGroup[] {
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  const groups = [...byRule].map(([ruleId, list]) => ({
    ruleId,
    title: list[0]?.title ?? ruleId,
    worst: list.map((f) => f.severity).sort((a, b) => severityRank(a) - severityRank(b))[0] ?? 'info',
    findings: list,
  }));
  return groups.sort((a, b) => severityRank(a.worst) - severityRank(b.worst) || a.ruleId.localeCompare(b.ruleId));
}

/** `2 high, 1 info`: how many findings of each severity a group holds, most severe first. */
export function severityCounts(findings: readonly Finding[]): string {
  const counts = new Map<Severity, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => severityRank(a) - severityRank(b))
    .map(([severity, n]) => `${n} ${severity}`)
    .join(', ');
}

/** Whether a finding fails the scan at this `--fail-on` threshold. */
export const failsAt = (finding: Finding, failOn: Severity | 'none'): boolean =>
  failOn !== 'none' &&
  !finding.suppressed &&
  !finding.unknown &&
  severityRank(finding.severity) <= severityRank(failOn);
