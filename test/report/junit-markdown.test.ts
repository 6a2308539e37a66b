import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { ScanResult } from '../../src/model/result.js';
import { junit } from '../../src/report/junit.js';
import { MARKDOWN_LIMIT, MARKDOWN_MARKER, markdown } from '../../src/report/markdown.js';
import { md } from '../../src/report/markdown-text.js';
import type { FormatOptions } from '../../src/report/options.js';
import { RULES } from '../../src/rules/index.js';
import { runMain } from '../support/cli.js';

const INPUTS = ['examples/demo', 'test/report/fixtures/hostile-names.yaml'];
const SUPPRESS = ['--config', 'test/report/fixtures/suppress-local-accounts.yaml'];

async function report(format: string, ...flags: string[]) {
  const run = await runMain(['scan', ...INPUTS, '--format', format, '--as-of', '2026-11-28', ...flags]);
  expect(run.code).not.toBe(2);
  return run.stdout;
}

describe('junit', () => {
  it('a suite per cluster, a test case per rule, failures for findings, suppressed ones listed but passing', async () => {
    const xml = await report('junit', ...SUPPRESS);
    const json = JSON.parse(await report('json', ...SUPPRESS)) as ScanResult;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="aksguard"')).toBe(true);
    expect(xml.match(/<testsuite /g)?.length).toBe(json.targets.length);
    expect(xml.match(/<testcase /g)?.length).toBe(json.targets.length * RULES.length);
    const failingCases = new Set(
      json.findings.filter((f) => !f.suppressed && !f.unknown).map((f) => `${f.target} ${f.ruleId}`),
    );
    expect(xml.match(/<failure /g)?.length).toBe(failingCases.size);
    expect(xml).toContain(
      `<testsuites name="aksguard" tests="${json.targets.length * RULES.length}" failures="${failingCases.size}"`,
    );
    const local = /<testcase classname="prod-weu" name="identity\/local-accounts-enabled">([\s\S]*?)<\/testcase>/.exec(
      xml,
    )?.[1];
    expect(local).not.toContain('<failure');
    expect(local).toContain('suppressed by config: break-glass access until Entra groups land');
    expect(xml).toMatch(/<testcase classname="prod-weu" name="identity\/kubernetes-rbac-disabled"\/>/);
  });

  it('a rule the input leaves undecided is a skipped case', async () => {
    const run = await runMain(['scan', 'examples/demo', '--format', 'junit', '--as-of', '2026-11-28']);
    expect(run.stdout).toMatch(
      /<testcase classname="prod-weu" name="patching\/nodes-pending-reboot">\n {6}<skipped message="could not decide: cannot tell: the input has no node objects/,
    );
    expect(run.stdout).toContain('skipped="2"');
  });

  it('escapes every string from the input', async () => {
    const xml = await report('junit');
    expect(xml).not.toContain('<img');
    expect(xml).not.toContain('<script');
    expect(xml).toContain('Namespace &lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('markdown', () => {
  it('starts with the marker, the verdict and the counts, then each cluster with one <details> per rule', async () => {
    const md = await report('markdown', ...SUPPRESS);
    const json = JSON.parse(await report('json', ...SUPPRESS)) as ScanResult;
    const { summary } = json;
    expect(md.split('\n').slice(0, 2)).toEqual([
      MARKDOWN_MARKER,
      '## aksguard: :x: **FAIL**: findings at or above `high`',
    ]);
    expect(md).toContain('| Critical | High | Medium | Low | Info | Suppressed | Undecided |');
    expect(md).toContain(
      `| ${summary.critical} | ${summary.high} | ${summary.medium} | ${summary.low} | ${summary.info} | ${summary.suppressed} | ${summary.undecided} |`,
    );
    for (const target of json.targets) expect(md).toContain(`\n### ${target.name}\n`);
    const decided = json.findings.filter((f) => !f.suppressed && !f.unknown);
    const summaries = md.split('\n').filter((l) => /^<details( open)?><summary><b>/.test(l));
    expect(summaries).toHaveLength(new Set(decided.map((f) => `${f.target} ${f.ruleId}`)).size);
    const pods = decided.filter((f) => f.ruleId === 'isolation/namespace-without-pod-security');
    expect(pods.length).toBeGreaterThan(1);
    expect(summaries).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `<code>isolation/namespace-without-pod-security</code></a> · .* · ${pods.length} resources</summary>$`,
        ),
      ),
    );
    expect(md.match(/^- \*\*/gm)).toHaveLength(decided.length);
    expect(md).toMatch(
      /<summary>Suppressed \(1\)<\/summary>\n\n- \[`identity\/local-accounts-enabled`\]\(.*\) \*\*ManagedCluster prod-weu\*\* .*suppressed by config: break-glass access until Entra groups land\n/,
    );
    expect(md.match(/<details/g)?.length).toBe(md.match(/<\/details>/g)?.length);
  });

  it('opens the rules that fail the scan and shows their fix once when every resource shares it', async () => {
    const md = await report('markdown', '--fail-on', 'critical');
    expect(md).toContain('## aksguard: :white_check_mark: **pass** (`--fail-on critical`)');
    expect(md).not.toContain('<details open>');
    const high = await report('markdown');
    const open = high.split('\n').filter((l) => l.startsWith('<details open><summary><b>'));
    expect(open.length).toBeGreaterThan(0);
    for (const line of open) expect(line).toMatch(/^<details open><summary><b>(Critical|High)<\/b>/);
    const block = high.slice(high.indexOf('<code>control-plane/authorized-ranges-too-broad</code>'));
    expect(block.slice(0, block.indexOf('</details>'))).toMatch(
      /\n\*\*Fix:\*\*<br><code>az aks update -g rg-prod-weu -n prod-weu --api-server-authorized-ip-ranges &#60;narrow-cidr&#62;/,
    );
  });

  it('escapes names with entities, which show as written in Markdown and inside HTML blocks alike', async () => {
    const out = await report('markdown');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script');
    expect(out).toContain('**Namespace &#60;img src=x onerror=alert(1)&#62;**');
    expect(md('a `b` *c* _d_ [e](f) |g| ~h~ \\i')).toBe(
      'a &#96;b&#96; &#42;c&#42; &#95;d&#95; &#91;e&#93;(f) &#124;g&#124; &#126;h&#126; &#92;i',
    );
    expect(md('x\ny')).toBe('x<br>y');
  });

  it('keeps @mentions in names from notifying anyone', () => {
    expect(md('ns @platform-team')).toBe('ns @\u200bplatform-team');
    expect(md('ns @platform-team')).not.toMatch(/@[\w-]/);
  });

  it(`stays under ${MARKDOWN_LIMIT} characters with a note when there are too many findings`, () => {
    const finding = (i: number): Finding => ({
      ruleId: 'isolation/namespace-without-pod-security',
      severity: 'medium',
      title: 'Namespace does not enforce Pod Security',
      message: `namespace team-${i} has no pod-security.kubernetes.io/enforce level`,
      target: 't',
      resource: { kind: 'Namespace', name: `team-${i}`, namespace: null },
      path: 'metadata.labels',
      location: { file: 'ns.yaml', line: i, column: 1 },
      remediation: 'kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=restricted',
      unknown: false,
      suppressed: null,
    });
    const findings = Array.from({ length: 3000 }, (_, i) => finding(i));
    const result: ScanResult = {
      schemaVersion: 1,
      tool: { name: 'aksguard', version: 't' },
      asOf: '2026-11-28T00:00:00.000Z',
      targets: [{ id: 't', kind: 'aks-cluster', name: 'big', source: 'ns.yaml' }],
      findings,
      summary: {
        critical: 0,
        high: 0,
        medium: 3000,
        low: 0,
        info: 0,
        suppressed: 0,
        unknown: 0,
        undecided: 0,
        errors: 0,
        rulesRun: 1,
      },
      skipped: [],
    };
    const options: FormatOptions = { color: false, quiet: false, failOn: 'high', failed: false, rules: [] };
    const out = markdown(result, options);
    expect(out.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    const shown = out.split('\n').filter((l) => l.startsWith('- **Namespace team-')).length;
    expect(shown).toBeGreaterThan(100);
    expect(out).toContain(`> **Truncated:** ${shown} of 3000 findings shown`);
    expect(out.match(/<details/g)).toHaveLength(1);
    expect(out.indexOf('</details>')).toBeLessThan(out.indexOf('> **Truncated:**'));
    expect(out).toContain('**Fix:**<br><code>kubectl label namespace &#60;namespace&#62;');
    expect(markdown({ ...result, findings: findings.slice(0, 10) }, options)).not.toContain('Truncated');
    expect(junit(result, options)).toContain('tests="0"');
  });
});

describe('several formats in one run', () => {
  it('--format a --output x --format b --output y writes both, each complete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aksguard-formats-'));
    const out = (name: string) => join(dir, name);
    const run = await runMain([
      'scan',
      'examples/demo',
      '--as-of',
      '2026-11-28',
      '--format',
      'sarif',
      '--output',
      out('r.sarif'),
      '--format',
      'junit',
      '--output',
      out('r.xml'),
      '--format',
      'markdown',
      '--output',
      out('r.md'),
      '--format',
      'html',
      '--output',
      out('r.html'),
      '--format',
      'json',
    ]);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as ScanResult;
    expect(JSON.parse(readFileSync(out('r.sarif'), 'utf8')).runs[0].results.length).toBe(json.findings.length);
    expect(readFileSync(out('r.xml'), 'utf8')).toMatch(/<\/testsuites>\n$/);
    expect(readFileSync(out('r.md'), 'utf8')).toContain('## aksguard: :x: **FAIL**');
    expect(readFileSync(out('r.html'), 'utf8')).toMatch(/<\/html>\n$/);
  });
});
