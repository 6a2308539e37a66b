import { type Finding, SEVERITIES } from '../model/finding.js';
import type { ScanResult } from '../model/result.js';
import { complianceMarkdown } from './compliance.js';
import { resourceLabel, ruleDocsUrl, suppressionLabel, whereLabel } from './docs.js';
import type { FormatOptions } from './options.js';

/** GitHub refuses comments over 65,536 characters; this leaves room for a bot's own header. */
export const MARKDOWN_LIMIT = 65_000;

/**
 * For a pull-request comment: a verdict and summary table, then findings grouped by cluster (worst first, with
 * the fix), undecided and suppressed ones folded away. Every string from the input is escaped, so a resource
 * name cannot inject markup or links. Cut at a finding boundary with a note when it would exceed the limit.
 */
export function markdown(result: ScanResult, options: FormatOptions): string {
  const head = header(result, options) + complianceMarkdown(result.frameworks ?? [], md);
  const note = (shown: number, total: number) =>
    `\n> **Truncated:** ${shown} of ${total} findings shown to fit a comment. Run \`aksguard scan --format html\` for the full report.\n`;
  const blocks = result.targets.flatMap((target) =>
    targetBlocks(result, target.id, target.name, target.source, options),
  );
  const total = result.findings.filter((f) => f.target !== '*').length;
  let out = head;
  let shown = 0;
  for (const block of blocks) {
    if (out.length + block.text.length + note(shown, total).length > MARKDOWN_LIMIT)
      return `${out}${note(shown, total)}`;
    out += block.text;
    shown += block.findings;
  }
  return `${out}${footer(result)}`;
}

function header(result: ScanResult, options: FormatOptions): string {
  const { summary } = result;
  const verdict = options.failed
    ? `:x: **FAIL**: findings at or above \`${options.failOn}\``
    : `:white_check_mark: **pass** (\`--fail-on ${options.failOn}\`)`;
  const clusters = `${result.targets.length} cluster${result.targets.length === 1 ? '' : 's'}`;
  return [
    `## aksguard: ${verdict}`,
    '',
    `${clusters}, ${summary.rulesRun} rules, as of ${result.asOf.slice(0, 10)}.`,
    '',
    `| ${SEVERITIES.map(title).join(' | ')} | Suppressed | Undecided |`,
    `|${' ---: |'.repeat(SEVERITIES.length + 2)}`,
    `| ${SEVERITIES.map((s) => summary[s]).join(' | ')} | ${summary.suppressed} | ${summary.unknown} |`,
    '',
  ].join('\n');
}

function targetBlocks(
  result: ScanResult,
  id: string,
  name: string,
  source: string,
  options: FormatOptions,
): { text: string; findings: number }[] {
  const findings = result.findings.filter((f) => f.target === id && (!options.quiet || !f.suppressed));
  const decided = findings.filter((f) => !f.unknown && !f.suppressed);
  const undecided = findings.filter((f) => f.unknown && !f.suppressed);
  const suppressed = findings.filter((f) => f.suppressed);
  const blocks = [{ text: `\n### ${md(name)}\n\n<sub>${md(source)}</sub>\n\n`, findings: 0 }];
  if (decided.length === 0) blocks.push({ text: 'No problems found.\n', findings: 0 });
  else {
    blocks.push({
      text: '| Severity | Rule | Resource | Finding | Fix |\n| --- | --- | --- | --- | --- |\n',
      findings: 0,
    });
    for (const f of decided) blocks.push({ text: `${row(f)}\n`, findings: 1 });
  }
  const folded = (summaryText: string, list: readonly Finding[], line: (f: Finding) => string) =>
    list.length === 0
      ? []
      : [
          { text: `\n<details><summary>${summaryText} (${list.length})</summary>\n\n`, findings: 0 },
          ...list.map((f) => ({ text: `- ${line(f)}\n`, findings: 1 })),
          { text: '\n</details>\n', findings: 0 },
        ];
  blocks.push(
    ...folded(
      'Could not decide',
      undecided,
      (f) => `${ruleLink(f)} ${md(resourceLabel(f.resource))}: ${md(f.message)}`,
    ),
    ...folded(
      'Suppressed',
      suppressed,
      (f) => `${ruleLink(f)} ${md(resourceLabel(f.resource))}: suppressed ${md(suppressionLabel(f))}`,
    ),
  );
  return blocks;
}

function row(f: Finding): string {
  const where = whereLabel(f);
  const fix = f.remediation
    .split('\n')
    .filter(Boolean)
    .map((line) => code(line))
    .join('<br>');
  return `| ${title(f.severity)} | ${ruleLink(f)} | ${md(resourceLabel(f.resource))}${where ? `<br><sub>${md(where)}</sub>` : ''} | ${md(f.message)} | ${fix} |`;
}

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

const title = (s: string) => `${s[0]?.toUpperCase()}${s.slice(1)}`;
const ruleLink = (f: Finding) => `[\`${f.ruleId.replace(/[^\w/-]/g, '')}\`](${ruleDocsUrl(f.ruleId)})`;

/**
 * Markdown text that shows exactly as written: HTML special characters as entities, markup characters escaped,
 * and `@` followed by a zero-width space, so a resource named `@team` does not notify anyone from a PR comment.
 */
export function md(value: string): string {
  return value
    .replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`)
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replaceAll('@', '@\u200b')
    .replace(/\r?\n/g, '<br>');
}

/** A command in a table cell: inline code cannot hold a pipe, so that one is an entity. */
function code(value: string): string {
  const body = value.replace(/[&<>|]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '|': '#124' }[c]};`);
  return `<code>${body.replaceAll('`', '&#96;')}</code>`;
}
