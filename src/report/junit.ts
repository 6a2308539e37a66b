import type { Finding } from '../model/finding.js';
import type { ScanResult } from '../model/result.js';
import { resourceLabel, suppressionLabel, whereLabel } from './docs.js';
import type { FormatOptions } from './options.js';
import { escapeXml } from './xml.js';

/**
 * JUnit XML for test dashboards: a suite per cluster, a test case per rule the scan ran on it. A case fails with
 * its findings, is skipped when the input could not decide it, and passes otherwise; suppressed findings do not
 * fail it but are listed in its output, so a dashboard still shows what was accepted and why.
 */
export function junit(result: ScanResult, options: FormatOptions): string {
  const rules = [...options.rules].sort((a, b) => (a.id < b.id ? -1 : 1));
  const suites = result.targets.map((target) => {
    const cases = rules.map((rule) => {
      const findings = result.findings.filter((f) => f.target === target.id && f.ruleId === rule.id);
      return testCase(target.name, rule.id, rule.title, findings);
    });
    const failures = cases.filter((c) => c.status === 'failure').length;
    const skipped = cases.filter((c) => c.status === 'skipped').length;
    return {
      failures,
      skipped,
      tests: cases.length,
      xml: [
        `  <testsuite name="${escapeXml(target.name)}" id="${escapeXml(target.id)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" timestamp="${escapeXml(result.asOf.replace(/\.\d+Z$/, ''))}">`,
        `    <properties><property name="source" value="${escapeXml(target.source)}"/></properties>`,
        ...cases.map((c) => c.xml),
        '  </testsuite>',
      ].join('\n'),
    };
  });
  const errors = result.findings.filter((f) => f.target === '*');
  const total = (key: 'tests' | 'failures' | 'skipped') => suites.reduce((n, s) => n + s[key], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="aksguard" tests="${total('tests')}" failures="${total('failures')}" errors="${errors.length}" skipped="${total('skipped')}">`,
    ...suites.map((s) => s.xml),
    ...(errors.length > 0 ? [ruleErrors(errors)] : []),
    '</testsuites>',
    '',
  ].join('\n');
}

function testCase(
  cluster: string,
  ruleId: string,
  title: string,
  findings: readonly Finding[],
): { status: 'pass' | 'failure' | 'skipped'; xml: string } {
  const failing = findings.filter((f) => !f.suppressed && !f.unknown);
  const undecided = findings.filter((f) => !f.suppressed && f.unknown);
  const suppressed = findings.filter((f) => f.suppressed);
  const open = `    <testcase classname="${escapeXml(cluster)}" name="${escapeXml(ruleId)}">`;
  const body: string[] = [];
  let status: 'pass' | 'failure' | 'skipped' = 'pass';
  if (failing.length > 0) {
    status = 'failure';
    const worst = failing[0] as Finding;
    body.push(
      `      <failure message="${escapeXml(`${failing.length} finding(s): ${title}`)}" type="${worst.severity}">${escapeXml(failing.map(describe).join('\n\n'))}</failure>`,
    );
  } else if (undecided.length > 0) {
    status = 'skipped';
    body.push(
      `      <skipped message="${escapeXml(`could not decide: ${undecided.map((f) => f.message).join('; ')}`)}"/>`,
    );
  }
  if (suppressed.length > 0)
    body.push(
      `      <system-out>${escapeXml(suppressed.map((f) => `suppressed ${suppressionLabel(f)}\n${describe(f)}`).join('\n\n'))}</system-out>`,
    );
  return { status, xml: body.length === 0 ? `${open.slice(0, -1)}/>` : [open, ...body, '    </testcase>'].join('\n') };
}

function describe(f: Finding): string {
  const where = whereLabel(f);
  return [
    `[${f.severity}] ${resourceLabel(f.resource)}${where ? ` (${where})` : ''}`,
    f.message,
    f.remediation && `fix: ${f.remediation}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Rules that crashed are errors of the run, not failures of a cluster. */
function ruleErrors(errors: readonly Finding[]): string {
  return [
    `  <testsuite name="aksguard rules" tests="${errors.length}" failures="0" errors="${errors.length}" skipped="0">`,
    ...errors.map(
      (f) =>
        `    <testcase classname="aksguard" name="${escapeXml(f.ruleId)}">\n      <error message="${escapeXml(f.message)}"/>\n    </testcase>`,
    ),
    '  </testsuite>',
  ].join('\n');
}
