import { type Finding, SEVERITIES, severityRank } from '../model/finding.js';
import type { ScanResult } from '../model/result.js';
import { complianceText } from './compliance.js';
import { resourceLabel, suppressionLabel, whereLabel } from './docs.js';
import type { FormatOptions } from './options.js';
import { terminalLine } from './terminal.js';

const STYLES = {
  critical: '\u001b[1;41;97m',
  high: '\u001b[1;31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
  info: '\u001b[2m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  reset: '\u001b[0m',
} as const;

/** For people at a terminal: findings grouped by cluster, worst first, each with where and how to fix it. */
export function text(result: ScanResult, options: FormatOptions): string {
  const paint = (style: keyof typeof STYLES, value: string) =>
    options.color ? `${STYLES[style]}${value}${STYLES.reset}` : value;
  const lines: string[] = [];
  for (const target of result.targets) {
    const findings = result.findings.filter((f) => f.target === target.id && (!options.quiet || isFailing(f, options)));
    const decided = findings.filter((f) => !f.unknown && !f.suppressed);
    const open = findings.filter((f) => f.unknown && !f.suppressed);
    const suppressed = findings.filter((f) => f.suppressed);
    if (options.quiet && findings.length === 0) continue;
    lines.push(`${paint('bold', terminalLine(target.name))}  ${paint('dim', terminalLine(target.source))}`);
    if (decided.length === 0) lines.push(`  ${paint('dim', 'no problems found')}`);
    for (const finding of decided) lines.push(...describe(finding, paint), '');
    if (open.length > 0) {
      lines.push(`  ${paint('dim', `could not decide (${open.length}): the input does not say`)}`);
      for (const finding of open)
        lines.push(
          `    ${paint('dim', `? ${finding.ruleId}  ${resourceName(finding)}: ${terminalLine(finding.message)}`)}`,
        );
    }
    for (const finding of suppressed) {
      lines.push(
        `    ${paint('dim', `~ ${finding.ruleId}  ${resourceName(finding)}: suppressed ${terminalLine(suppressionLabel(finding))}`)}`,
      );
    }
    lines.push('');
  }
  for (const failure of result.findings.filter((f) => f.target === '*')) {
    lines.push(paint('high', `rule ${failure.ruleId} failed: ${terminalLine(failure.message)}`));
  }
  for (const skip of result.skipped) {
    lines.push(paint('medium', `skipped ${terminalLine(skip.file)}: ${terminalLine(skip.reason)}`));
  }
  if (result.targets.length === 0) lines.push('no AKS clusters found in the input');
  if (result.frameworks) lines.push(...complianceText(result.frameworks, options.quiet, paint));
  lines.push(summaryLine(result, options, paint));
  return `${lines.join('\n')}\n`;
}

type Paint = (style: keyof typeof STYLES, value: string) => string;

function describe(finding: Finding, paint: Paint): string[] {
  const where = terminalLine(whereLabel(finding));
  const label = finding.severity.toUpperCase().padEnd(8);
  const fixes = finding.remediation.split('\n').filter(Boolean).map(terminalLine);
  return [
    `  ${paint(finding.severity, label)} ${paint('bold', finding.ruleId)}  ${finding.title}`,
    `           ${resourceName(finding)}${where ? `  ${paint('dim', where)}` : ''}`,
    `           ${terminalLine(finding.message)}`,
    ...fixes.map((fix, i) => `           ${paint('dim', i === 0 ? 'fix:' : '    ')} ${fix}`),
  ];
}

const resourceName = (finding: Finding): string => terminalLine(resourceLabel(finding.resource));

function isFailing(finding: Finding, options: FormatOptions): boolean {
  if (finding.suppressed || options.failOn === 'none') return false;
  return severityRank(finding.severity) <= severityRank(options.failOn);
}

/**
 * `N clusters, R rules: counts (suppressed, skipped files) — verdict`. The verdict says how many findings could
 * not be decided, so a pass built on undecided findings never reads as a clean pass.
 */
function summaryLine(result: ScanResult, options: FormatOptions, paint: Paint): string {
  const { summary } = result;
  const counts = SEVERITIES.map((s) => (summary[s] > 0 ? paint(s, `${summary[s]} ${s}`) : `${summary[s]} ${s}`));
  const skipped = result.skipped.length;
  const extras = [
    summary.suppressed > 0 ? `${summary.suppressed} suppressed` : '',
    skipped > 0 ? `${skipped} file${skipped === 1 ? '' : 's'} skipped` : '',
  ].filter(Boolean);
  const targets = `${result.targets.length} cluster${result.targets.length === 1 ? '' : 's'}`;
  const undecided = summary.undecided > 0 ? `, ${summary.undecided} undecided` : '';
  const severe = result.findings.some((f) => !f.suppressed && isFailing(f, options));
  const verdict =
    summary.errors > 0
      ? paint('high', `INCOMPLETE (${summary.errors} rule${summary.errors === 1 ? '' : 's'} failed)${undecided}`)
      : !options.failed
        ? `pass${undecided} (--fail-on ${options.failOn})`
        : paint(
            'high',
            severe
              ? `FAIL (findings at or above ${options.failOn})${undecided}`
              : `FAIL (${summary.undecided} undecided, --fail-on-undecided)`,
          );
  return `${targets}, ${summary.rulesRun} rules: ${counts.join(', ')}${extras.length ? ` (${extras.join(', ')})` : ''} — ${verdict}`;
}
