import { type Finding, SEVERITIES } from '../model/finding.js';
import type { ScanResult } from '../model/result.js';
import type { Target } from '../model/snapshot.js';
import { complianceMarkdown } from './compliance.js';
import { resourceLabel, ruleDocsUrl, suppressionLabel, whereLabel } from './docs.js';
import { failsAt, groupByRule, type RuleGroup, severityCounts } from './group.js';
import { code, md } from './markdown-text.js';
import type { FormatOptions } from './options.js';

/** GitHub refuses comments over 65,536 characters; this leaves room for a bot's own header. */
export const MARKDOWN_LIMIT = 65_000;

/** The first line of every Markdown report: CI finds its earlier comment by it and edits that one. */
export const MARKDOWN_MARKER = '<!-- aksguard-report -->';

/**
 * For a pull-request comment read at PR width: the verdict and counts first, then per cluster one `<details>` per
 * rule listing its resources and the fix (open when the rule fails the scan), undecided and suppressed findings
 * folded away. Every string from the input is escaped, so a resource name cannot inject markup or links. Cut at a
 * resource boundary with a note when it would exceed the limit.
 */
export function markdown(result: ScanResult, options: FormatOptions): string {
  const total = result.findings.filter((f) => f.target !== '*').length;
  const writer = new Budget(header(result, options) + complianceMarkdown(result.frameworks ?? []));
  for (const target of result.targets) if (!writeTarget(writer, result, target, options)) break;
  return writer.truncated ? writer.close(truncation(writer.shown, total)) : writer.close(footer(result));
}

function header(result: ScanResult, options: FormatOptions): string {
  const { summary } = result;
  const verdict =
    summary.errors > 0
      ? `:x: **INCOMPLETE**: ${summary.errors} rule(s) failed`
      : options.failed
        ? `:x: **FAIL**: findings at or above \`${options.failOn}\`${options.failOnUndecided ? ' or undecided' : ''}`
        : `:white_check_mark: **pass** (\`--fail-on ${options.failOn}\`)`;
  const clusters = `${result.targets.length} cluster${result.targets.length === 1 ? '' : 's'}`;
  return [
    MARKDOWN_MARKER,
    `## aksguard: ${verdict}`,
    '',
    `| ${SEVERITIES.map(title).join(' | ')} | Suppressed | Undecided |`,
    `|${' ---: |'.repeat(SEVERITIES.length + 2)}`,
    `| ${SEVERITIES.map((s) => summary[s]).join(' | ')} | ${summary.suppressed} | ${summary.undecided} |`,
    '',
    `${clusters}, ${summary.rulesRun} rules, as of ${result.asOf.slice(0, 10)}.`,
    '',
  ].join('\n');
}

/** One cluster: its heading, a `<details>` per failing rule, then the undecided and suppressed ones folded. */
function writeTarget(writer: Budget, result: ScanResult, target: Target, options: FormatOptions): boolean {
  const findings = result.findings.filter((f) => f.target === target.id && (!options.quiet || !f.suppressed));
  const decided = findings.filter((f) => !f.unknown && !f.suppressed);
  const undecided = findings.filter((f) => f.unknown && !f.suppressed);
  const suppressed = findings.filter((f) => f.suppressed);
  if (!writer.add(`\n### ${md(target.name)}\n\n<sub>${md(target.source)}</sub>\n\n`)) return false;
  if (decided.length === 0 && !writer.add('No problems found.\n')) return false;
  for (const group of groupByRule(decided)) if (!writeRule(writer, group, options)) return false;
  return (
    writeFolded(writer, 'Could not decide', undecided, (f) => md(f.message)) &&
    writeFolded(writer, 'Suppressed', suppressed, (f) => `suppressed ${md(suppressionLabel(f))}`)
  );
}

/**
 * A rule: its severity, id, title and number of resources in the summary line; each resource with its location
 * and message; the fix once when every resource shares it, else under each resource.
 */
function writeRule(writer: Budget, group: RuleGroup, options: FormatOptions): boolean {
  const fixes = new Set(group.findings.map((f) => f.remediation));
  const shared = fixes.size === 1;
  const open = group.findings.some((f) => failsAt(f, options.failOn)) ? ' open' : '';
  const count = `${group.findings.length} resource${group.findings.length === 1 ? '' : 's'}`;
  const summary = `<b>${title(group.worst)}</b> · ${ruleAnchor(group.ruleId)} · ${md(group.title)} · ${count}${
    group.findings.some((f) => f.severity !== group.worst) ? ` (${severityCounts(group.findings)})` : ''
  }`;
  const tail = `${shared ? `\n**Fix:**<br>${fixLines(group.findings[0]?.remediation ?? '')}\n` : ''}\n</details>\n`;
  if (!writer.add(`\n<details${open}><summary>${summary}</summary>\n\n`, tail)) return false;
  const mixed = group.findings.some((f) => f.severity !== group.worst);
  for (const f of group.findings) {
    const severity = mixed ? `<b>${title(f.severity)}</b> ` : '';
    const own = shared ? '' : `<br>Fix: ${fixLines(f.remediation)}`;
    if (!writer.add(`- ${severity}${resourceLine(f)}${own}\n`, tail, 1)) return false;
  }
  return writer.add(tail);
}

function writeFolded(
  writer: Budget,
  label: string,
  findings: readonly Finding[],
  why: (f: Finding) => string,
): boolean {
  if (findings.length === 0) return true;
  const tail = '\n</details>\n';
  if (!writer.add(`\n<details><summary>${label} (${findings.length})</summary>\n\n`, tail)) return false;
  for (const f of findings)
    if (!writer.add(`- ${ruleLink(f.ruleId)} ${resourceLine(f, why(f))}\n`, tail, 1)) return false;
  return writer.add(tail);
}

/** `**Kind ns/name** <sub>file:line</sub><br>message`. */
function resourceLine(f: Finding, message = md(f.message)): string {
  const where = whereLabel(f);
  return `**${md(resourceLabel(f.resource))}**${where ? ` <sub>${md(where)}</sub>` : ''}<br>${message}`;
}

/** Each line of a remediation as inline code, which wraps where a fenced block would scroll sideways. */
const fixLines = (remediation: string): string => remediation.split('\n').filter(Boolean).map(code).join('<br>');

function footer(result: ScanResult): string {
  const errors = result.findings.filter((f) => f.target === '*');
  const lines = [
    ...errors.map((f) => `- :warning: rule ${md(f.ruleId)} failed: ${md(f.message)}`),
    ...result.skipped.map((s) => `- skipped ${md(s.file)}: ${md(s.reason)}`),
    ...(result.baseline?.resolved ?? []).map(
      (e) => `- baseline entry no longer occurs: ${md(e.ruleId)} on ${md(resourceLabel(e.resource))}`,
    ),
  ];
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}

const truncation = (shown: number, total: number) =>
  `\n> **Truncated:** ${shown} of ${total} findings shown to fit a comment. Run \`aksguard scan --format html\` for the full report.\n`;

/** Room kept for the truncation note and the tags a cut leaves open. */
const RESERVE = 400;

/**
 * The report as it grows under MARKDOWN_LIMIT: `add` appends a piece only when the piece and `tail` (what must
 * close it) still fit, and counts the findings it shows; the first refusal marks the report truncated.
 */
class Budget {
  shown = 0;
  truncated = false;
  private open = '';
  constructor(private out: string) {}

  add(piece: string, tail = '', findings = 0): boolean {
    if (this.out.length + piece.length + tail.length + RESERVE > MARKDOWN_LIMIT) {
      this.truncated = true;
      return false;
    }
    this.out += piece;
    this.shown += findings;
    this.open = piece === tail ? '' : tail;
    return true;
  }

  /** The report, closing what a cut left open, then `end`. */
  close(end: string): string {
    return `${this.out}${this.truncated ? this.open : ''}${end}`;
  }
}

const title = (s: string) => `${s[0]?.toUpperCase()}${s.slice(1)}`;
const safeId = (ruleId: string) => ruleId.replace(/[^\w/-]/g, '');
const ruleLink = (ruleId: string) => `[\`${safeId(ruleId)}\`](${ruleDocsUrl(ruleId)})`;
/** The rule's link inside an HTML block (`<summary>`), where Markdown links are not read. */
const ruleAnchor = (ruleId: string) => `<a href="${ruleDocsUrl(ruleId)}"><code>${safeId(ruleId)}</code></a>`;
