import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFramework, loadFrameworks, rulesOf } from '../../src/engine/frameworks.js';
import { type ControlResult, controlsOf, type FrameworkSummary } from '../../src/model/framework.js';
import type { ScanResult } from '../../src/model/result.js';
import { complianceLine } from '../../src/report/compliance.js';
import { RULES } from '../../src/rules/index.js';
import { ROOT, runMain } from '../support/cli.js';

/**
 * `scan --framework`: the rules it runs, the per-control summary in every format (fail / undecided / pass / not
 * covered / not run, suppressed findings counted but not failing), the SARIF tags, and the Compliance line of every
 * rule page, which must say what data/frameworks says.
 */

/** The demo cluster with pods: one on the node's network (CIS 4.2.4 only), a privileged system pod (info). */
const INPUTS = ['examples/demo', 'test/report/fixtures/compliance-pods.yaml'];
const SUPPRESS = ['--config', 'test/report/fixtures/suppress-local-accounts.yaml'];
const AS_OF = ['--as-of', '2026-11-28'];

async function scan(...args: string[]) {
  const run = await runMain(['scan', ...args, ...AS_OF]);
  expect(run.code, run.stderr).not.toBe(2);
  return run.stdout;
}

const json = async (...args: string[]) => JSON.parse(await scan(...args, '--format', 'json')) as ScanResult;
const controlOf = (summary: FrameworkSummary | undefined, id: string) =>
  summary?.controls.find((c) => c.id === id) as ControlResult;

describe('scan --framework', () => {
  let cis: ScanResult;
  beforeAll(async () => {
    cis = await json(...INPUTS, '--framework', 'cis-aks');
  });

  it('runs only the rules mapped to the framework', () => {
    expect(cis.summary.rulesRun).toBe(rulesOf(loadFramework('cis-aks')).length);
    const ran = new Set(cis.findings.map((f) => f.ruleId));
    for (const rule of ran) expect(rulesOf(loadFramework('cis-aks'))).toContain(rule);
    expect(ran.has('identity/local-accounts-enabled')).toBe(true);
    expect(ran.has('node-access/ssh-enabled')).toBe(false);
  });

  it('adds one summary per framework to the JSON report, schemaVersion staying 1', () => {
    expect(cis.schemaVersion).toBe(1);
    expect(cis.frameworks?.map((f) => [f.id, f.version])).toEqual([['cis-aks', 'v1.8.0']]);
    const summary = cis.frameworks?.[0];
    expect(summary?.controls.map((c) => c.id)).toEqual(loadFramework('cis-aks').controls.map((c) => c.id));
    expect(controlOf(summary, '5.4.1')).toMatchObject({ status: 'fail', failing: 1 });
    expect(controlOf(summary, '4.2.4')).toMatchObject({ status: 'fail', rules: ['workload/host-namespaces'] });
    expect(controlOf(summary, '4.2.2').status).toBe('pass');
    expect(controlOf(summary, '4.2.1').status).toBe('pass');
    expect(controlOf(summary, '2.1.1')).toMatchObject({ status: 'not-covered', rules: [] });
  });

  it('takes several frameworks, repeated or comma-separated, and runs the union of their rules', async () => {
    const both = await json(...INPUTS, '--framework', 'cis-aks,mcsb', '--framework', 'mcsb');
    expect(both.frameworks?.map((f) => f.id)).toEqual(['cis-aks', 'mcsb']);
    const union = new Set([...rulesOf(loadFramework('cis-aks')), ...rulesOf(loadFramework('mcsb'))]);
    expect(both.summary.rulesRun).toBe(union.size);
  });

  it('does not fail a control on a suppressed finding, and counts it', async () => {
    const suppressed = await json(...INPUTS, '--framework', 'mcsb', ...SUPPRESS);
    const pa1 = controlOf(suppressed.frameworks?.[0], 'PA-1');
    expect(pa1.suppressed).toBe(1);
    const im1 = controlOf(suppressed.frameworks?.[0], 'IM-1');
    expect(im1).toMatchObject({ status: 'pass', suppressed: 1, failing: 0 });
    const plain = await json(...INPUTS, '--framework', 'mcsb');
    expect(controlOf(plain.frameworks?.[0], 'IM-1')).toMatchObject({ status: 'fail', suppressed: 0, failing: 1 });
    expect(controlOf(plain.frameworks?.[0], 'PA-1').failing).toBe(pa1.failing + 1);
  });

  it('is undecided for a value the input leaves open, and for object rules when the input has no objects', async () => {
    const open = await json('test/report/fixtures/network-policy-parameter.json', '--framework', 'cis-aks');
    expect(controlOf(open.frameworks?.[0], '5.4.4')).toMatchObject({ status: 'undecided', undecided: 1, failing: 0 });
    expect(controlOf(open.frameworks?.[0], '4.1.1')).toMatchObject({
      status: 'undecided',
      reason: 'the input holds no Kubernetes objects',
    });
  });

  it('says not run for a control whose rules the scan excluded', async () => {
    const excluded = await json(...INPUTS, '--framework', 'cis-aks', '--exclude-rule', 'rbac');
    expect(controlOf(excluded.frameworks?.[0], '4.1.1').status).toBe('not-run');
    expect(controlOf(excluded.frameworks?.[0], '4.1.6').status).toBe('pass');
  });

  it('refuses an unknown framework with one line, exit 2', async () => {
    const run = await runMain(['scan', ...INPUTS, '--framework', 'cis-aks,nist']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain("--framework must be one of cis-aks, mcsb, azure-policy (got 'nist')");
  });

  it('leaves reports without --framework as they were: no summary, every rule run', async () => {
    const plain = await json(...INPUTS);
    expect(plain).not.toHaveProperty('frameworks');
    expect(plain.summary.rulesRun).toBe(RULES.length);
    for (const format of ['text', 'markdown', 'html'])
      expect(await scan(...INPUTS, '--format', format)).not.toMatch(/Compliance|CIS/);
  });
});

describe('the summary in each format', () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await json(...INPUTS, '--framework', 'cis-aks', ...SUPPRESS);
  });
  const summary = () => result.frameworks?.[0] as FrameworkSummary;

  it('text: a heading with the counts, then one line per control, failing ones first', async () => {
    const text = await scan(...INPUTS, '--framework', 'cis-aks', ...SUPPRESS, '--no-color');
    const { counts } = summary();
    expect(text).toContain(
      `CIS Azure Kubernetes Service (AKS) Benchmark v1.8.0: ${counts.fail} fail, ${counts.pass} pass, ${counts['not-covered']} not covered by aksguard`,
    );
    const lines = text.split('\n').filter((l) => /^ {2}(FAIL|undecided|pass|not run|not covered) /.test(l));
    expect(lines).toHaveLength(summary().controls.length);
    expect(lines[0]).toMatch(/^ {2}FAIL +\d/);
    expect(text).toMatch(
      /\n {2}FAIL {9}4\.2\.4 {3}Minimize the admission of containers wishing to share the host network namespace \(1 failing\)\n/,
    );
    expect(text).toMatch(/\n {2}not covered {2}2\.1\.1 {3}Enable audit Logs\n/);
    expect(controlOf(summary(), '5.5.1')).toMatchObject({ status: 'pass', failing: 0, suppressed: 1 });
    expect(text).toMatch(/\n {2}pass {9}5\.5\.1 {3}Manage Kubernetes RBAC users with Azure AD \(1 suppressed\)\n/);
    const quiet = await scan(...INPUTS, '--framework', 'cis-aks', '--no-color', '-q');
    expect(quiet).toMatch(/\n {2}FAIL /);
    expect(quiet).not.toMatch(/\n {2}(pass|not covered) /);
  });

  it('markdown: a table of the failing and undecided controls, the others folded away', async () => {
    const md = await scan(...INPUTS, '--framework', 'cis-aks', ...SUPPRESS, '--format', 'markdown');
    const { counts } = summary();
    expect(md).toContain('\n### Compliance: CIS Azure Kubernetes Service (AKS) Benchmark v1.8.0\n');
    const rows = md.split('\n').filter((l) => /^\| \S+ (fail|undecided|pass|not run) \|/.test(l));
    expect(rows).toHaveLength(counts.fail + counts.undecided);
    expect(rows[0]).toMatch(/^\| ❌ fail \| /);
    expect(md).toContain(
      '| ❌ fail | 4.2.4 | Minimize the admission of containers wishing to share the host network namespace (1 failing) |',
    );
    expect(md).toContain(`<details><summary>✅ Pass (${counts.pass})</summary>`);
    expect(md).toContain('- 5.5.1 Manage Kubernetes RBAC users with Azure AD (1 suppressed)\n');
    expect(md).toContain(`<details><summary>➖ Not covered by aksguard (${counts['not-covered']})</summary>`);
    expect(md).toContain('- 3.2.1 Ensure that the --anonymous-auth argument is set to false\n');
    expect(md.indexOf('### Compliance')).toBeLessThan(md.indexOf('### prod-weu'));
  });

  it('html: a section per framework, a row per control, every status', async () => {
    const html = await scan(...INPUTS, '--framework', 'cis-aks,azure-policy', ...SUPPRESS, '--format', 'html');
    expect(html).toContain('<section id="compliance"><h2>Compliance</h2>');
    expect(html).toContain('<section class="framework" id="framework-cis-aks">');
    expect(html).toContain('<h3>Azure Policy built-in definitions for AKS (as of 2026-04-29)</h3>');
    const rows = html.match(/<tr class="control status-[a-z-]+">/g) ?? [];
    const policies = loadFramework('azure-policy').controls.length;
    expect(rows).toHaveLength(summary().controls.length + policies);
    expect(html).toMatch(
      /<tr class="control status-fail"><td class="status">fail<\/td><td class="id">4\.2\.4<\/td><td>Minimize the admission of containers wishing to share the host network namespace<\/td><td class="findings">\(1 failing\)<\/td><\/tr>/,
    );
    expect(html).toContain('<details><summary>Not covered by aksguard (');
    expect(html).toContain('#compliance table{');
  });
});

describe('SARIF tags', () => {
  it('carry each rule’s control ids: CIS-AKS-, MCSB- and AzurePolicy- with the definition id', async () => {
    const log = JSON.parse(await scan('examples/demo', '--format', 'sarif')) as Sarif.Log;
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    const tags = (id: string) => rules.find((r) => r.id === id)?.properties?.tags;
    expect(tags('control-plane/api-server-unrestricted')).toEqual([
      'security',
      'aks',
      'control-plane',
      'CIS-AKS-5.4.1',
      'CIS-AKS-5.4.2',
      'MCSB-NS-2',
      'AzurePolicy-0e246bcf-5f6f-4f87-bc6f-775d4712c7ea',
    ]);
    expect(tags('workload/host-namespaces')).toEqual(expect.arrayContaining(['CIS-AKS-4.2.2', 'CIS-AKS-4.2.4']));
    expect(tags('patching/pool-version-skew')).toEqual(['security', 'aks', 'patching']);
    const frameworks = loadFrameworks();
    for (const rule of rules) {
      const expected = frameworks.flatMap((f) => controlsOf(f, rule.id).map((c) => `${f.tagPrefix}${c}`));
      expect(rule.properties?.tags?.slice(3), rule.id).toEqual(expected);
    }
  });
});

describe('rules --framework and explain', () => {
  it('lists each control with the rules that evidence it, and the ones nothing covers', async () => {
    const run = await runMain(['rules', '--framework', 'cis-aks']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^CIS Azure Kubernetes Service \(AKS\) Benchmark v1\.8\.0 \(mapping checked \d{4}-\d{2}-\d{2}\)\n/,
    );
    expect(run.stdout).toMatch(
      /\n5\.4\.1 {3}Restrict Access to the Control Plane Endpoint\n {8}→ control-plane\/api-server-unrestricted, control-plane\/authorized-ranges-too-broad\n/,
    );
    expect(run.stdout).toMatch(/\n2\.1\.1 {3}Enable audit Logs\n {8}\(not covered by aksguard\)\n/);
    expect(run.stdout).toMatch(
      /Rules that evidence no control here \(\d+\):\n {2}control-plane\/cluster-auto-upgrade-disabled\n/,
    );
  });

  it('gives controls → rules and rules → controls as JSON', async () => {
    const run = await runMain(['rules', '--framework', 'mcsb', '--format', 'json']);
    const mapping = JSON.parse(run.stdout) as {
      framework: { id: string; version: string; checked: string };
      controls: { id: string; title: string; rules: string[] }[];
      rules: { id: string; controls: string[]; note?: string }[];
    };
    expect(mapping.framework).toMatchObject({ id: 'mcsb', version: 'v1' });
    expect(mapping.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.meta.id));
    for (const rule of mapping.rules)
      for (const control of rule.controls)
        expect(mapping.controls.find((c) => c.id === control)?.rules, `${rule.id} ${control}`).toContain(rule.id);
    expect(mapping.controls.find((c) => c.id === 'PA-7')?.rules).toContain('rbac/wildcard-permissions');
    expect(mapping.rules.find((r) => r.id === 'patching/maintenance-window-missing')).toMatchObject({ controls: [] });
  });

  it('refuses an unknown framework', async () => {
    const run = await runMain(['rules', '--framework', 'pci']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--framework.*pci/);
  });

  it('explain shows the rule’s controls with their titles, and none where it evidences nothing', async () => {
    const run = await runMain(['explain', 'identity/azure-rbac-disabled']);
    expect(run.stdout).toContain('Compliance (the controls this rule evidences):');
    expect(run.stdout).toContain('    5.5.2  Use Azure RBAC for Kubernetes Authorization');
    expect(run.stdout).toContain('    PA-7  Follow just enough administration (least privilege) principle');
    expect(run.stdout).toMatch(
      /Azure Policy built-in definitions for AKS \(as of [\d-]+\):\n {4}none\n {4}why: No built-in/,
    );
  });

  it('the catalog as JSON names every rule’s controls per framework', async () => {
    const run = await runMain(['rules', '--format', 'json']);
    const catalog = JSON.parse(run.stdout) as { id: string; controls: Record<string, string[]> }[];
    expect(catalog.find((r) => r.id === 'encryption/secrets-kms-disabled')?.controls).toEqual({
      'cis-aks': ['5.3.1'],
      mcsb: ['DP-5'],
      'azure-policy': ['dbbdc317-9734-4dd8-9074-993b29c69008'],
    });
  });
});

describe('rule pages', () => {
  it.each(RULES.map((r) => r.meta.id))('%s: the Compliance line in References says what data/frameworks says', (id) => {
    const page = readFileSync(join(ROOT, 'docs/rules', `${id}.md`), 'utf8');
    const lines = page.split('\n').filter((l) => l.startsWith('- Compliance:'));
    expect(lines).toEqual([complianceLine(id, loadFrameworks())]);
    expect(page.indexOf(lines[0] as string)).toBeGreaterThan(page.indexOf('\n## References\n'));
  });
});
