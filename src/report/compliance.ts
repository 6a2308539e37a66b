import {
  CONTROL_STATUSES,
  type ControlResult,
  type ControlStatus,
  controlsOf,
  type Framework,
  type FrameworkSummary,
  frameworkTitle,
} from '../model/framework.js';
import { md } from './markdown-text.js';
import { escapeXml } from './xml.js';

/**
 * The per-control compliance summary of `scan --framework` in each format, and the control ids every format and
 * doc page shows for a rule. Control ids and titles come from aksguard's own data files, not from the input.
 */

const LABEL: Record<ControlStatus, string> = {
  fail: 'fail',
  undecided: 'undecided',
  pass: 'pass',
  'not-run': 'not run',
  'not-covered': 'not covered by aksguard',
};

/** Worst first: fail, undecided, pass, not run, not covered; the framework's order within each. */
const byStatus = (controls: readonly ControlResult[]): ControlResult[] =>
  CONTROL_STATUSES.flatMap((status) => controls.filter((c) => c.status === status));

/** `3 fail, 1 undecided, 12 pass, 35 not covered by aksguard`: the statuses that occur. */
export const countsLabel = (summary: FrameworkSummary): string =>
  CONTROL_STATUSES.filter((s) => summary.counts[s] > 0)
    .map((s) => `${summary.counts[s]} ${LABEL[s]}`)
    .join(', ');

/** `(1 failing, 2 suppressed)`: the findings behind a control's status, or '' when there are none. */
function findingsLabel(control: ControlResult): string {
  const parts = [
    control.reason ?? '',
    control.failing > 0 ? `${control.failing} failing` : '',
    control.undecided > 0 ? `${control.undecided} undecided` : '',
    control.suppressed > 0 ? `${control.suppressed} suppressed` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

/** For the terminal: one line per control, worst first; `quiet` keeps only the failing and undecided ones. */
export function complianceText(
  summaries: readonly FrameworkSummary[],
  quiet: boolean,
  paint: (style: 'high' | 'medium' | 'dim' | 'bold', value: string) => string,
): string[] {
  const style = { fail: 'high', undecided: 'medium', pass: undefined, 'not-run': 'dim', 'not-covered': 'dim' } as const;
  return summaries.flatMap((summary) => {
    const shown = byStatus(summary.controls).filter((c) => !quiet || c.status === 'fail' || c.status === 'undecided');
    const width = Math.max(0, ...summary.controls.map((c) => c.id.length));
    const lines = shown.map((c) => {
      const label = (c.status === 'fail' ? 'FAIL' : LABEL[c.status].replace(' by aksguard', '')).padEnd(12);
      const status = style[c.status] ? paint(style[c.status] as 'high', label) : label;
      const title = [c.title, findingsLabel(c)].filter(Boolean).join(' ');
      return `  ${status} ${c.id.padEnd(width)}  ${c.status === 'not-covered' ? paint('dim', title) : title}`;
    });
    return [`${paint('bold', frameworkTitle(summary))}: ${countsLabel(summary)}`, ...lines, ''];
  });
}

/** Unicode, not GitHub's `:x:` shortcodes, so the icons show in Azure DevOps and GitLab comments too. */
const ICON: Record<ControlStatus, string> = {
  fail: '❌',
  undecided: '❔',
  pass: '✅',
  'not-run': '⏩',
  'not-covered': '➖',
};

/**
 * For a pull-request comment: per framework, the counts and a table of the failing and undecided controls; the
 * passing, not run and not covered ones folded away, so the findings stay near the top.
 */
export function complianceMarkdown(summaries: readonly FrameworkSummary[]): string {
  const line = (c: ControlResult) => `${md(c.id)} ${md(c.title)} ${findingsLabel(c)}`.trimEnd();
  const folded = (status: ControlStatus, controls: readonly ControlResult[]) => {
    const list = controls.filter((c) => c.status === status);
    if (list.length === 0) return [];
    const label = `${ICON[status]} ${LABEL[status][0]?.toUpperCase()}${LABEL[status].slice(1)} (${list.length})`;
    return [`<details><summary>${label}</summary>\n\n${list.map((c) => `- ${line(c)}`).join('\n')}\n\n</details>\n`];
  };
  return summaries
    .map((summary) => {
      const open = byStatus(summary.controls).filter((c) => c.status === 'fail' || c.status === 'undecided');
      const rows = open.map(
        (c) => `| ${ICON[c.status]} ${LABEL[c.status]} | ${md(c.id)} | ${md(c.title)} ${findingsLabel(c)} |`,
      );
      return [
        `\n### Compliance: ${md(frameworkTitle(summary))}\n`,
        `${md(countsLabel(summary))}\n`,
        ...(rows.length > 0 ? ['| Status | Control | Title |', '| --- | --- | --- |', ...rows, ''] : []),
        ...(['pass', 'not-run', 'not-covered'] as const).flatMap((status) => folded(status, summary.controls)),
      ].join('\n');
    })
    .join('\n');
}

/** For the HTML report: a section per framework, every value escaped. Empty without `--framework`. */
export function complianceHtml(summaries: readonly FrameworkSummary[] | undefined): string {
  if (!summaries || summaries.length === 0) return '';
  const row = (c: ControlResult) =>
    `<tr class="control status-${c.status}"><td class="status">${escapeXml(LABEL[c.status])}</td><td class="id">${escapeXml(c.id)}</td><td>${escapeXml(c.title)}</td><td class="findings">${escapeXml(findingsLabel(c))}</td></tr>`;
  const table = (controls: readonly ControlResult[]) =>
    `<table><thead><tr><th>Status</th><th>Control</th><th>Title</th><th>Findings</th></tr></thead><tbody>${controls.map(row).join('')}</tbody></table>`;
  const sections = summaries.map((summary) => {
    const judged = byStatus(summary.controls).filter((c) => c.status !== 'not-covered');
    const uncovered = summary.controls.filter((c) => c.status === 'not-covered');
    return `<section class="framework" id="framework-${escapeXml(summary.id)}"><h3>${escapeXml(frameworkTitle(summary))}</h3><p class="framework-counts">${escapeXml(countsLabel(summary))} · mapping checked ${escapeXml(summary.checked)}</p>${judged.length > 0 ? table(judged) : ''}${uncovered.length > 0 ? `<details><summary>Not covered by aksguard (${uncovered.length})</summary>${table(uncovered)}</details>` : ''}</section>`;
  });
  return `<section id="compliance"><h2>Compliance</h2>${sections.join('')}</section>\n`;
}

export const COMPLIANCE_STYLE = `
#compliance table{border-collapse:collapse;width:100%;margin:.4rem 0}#compliance th,#compliance td{border-bottom:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
#compliance .id{white-space:nowrap;font-family:ui-monospace,monospace}.status-fail .status{color:#b3261e;font-weight:700}.status-undecided .status{color:#9a6700;font-weight:600}
.status-pass .status{color:#1a7f37}.status-not-run .status,.status-not-covered .status{color:var(--muted)}.framework-counts{color:var(--muted)}
`;

/** SARIF tags naming the controls a rule evidences: `CIS-AKS-5.4.1`, `MCSB-NS-2`, `AzurePolicy-<definition id>`. */
export const complianceTags = (ruleId: string, frameworks: readonly Framework[]): string[] =>
  frameworks.flatMap((framework) => controlsOf(framework, ruleId).map((id) => `${framework.tagPrefix}${id}`));

/** How a doc page or listing names a framework: `CIS AKS v1.8.0`, `MCSB v1`, `Azure Policy`. */
export const frameworkLabel = (framework: Framework): string =>
  framework.version.startsWith('v') ? `${framework.shortName} ${framework.version}` : framework.shortName;

/** The `Compliance` line of a rule's doc page: each framework's controls for the rule, or `none`. */
export function complianceLine(ruleId: string, frameworks: readonly Framework[]): string {
  const parts = frameworks.map((f) => `${frameworkLabel(f)}: ${controlsOf(f, ruleId).join(', ') || 'none'}`);
  return `- Compliance: ${parts.join('; ')}.`;
}
