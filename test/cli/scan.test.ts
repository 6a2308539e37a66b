import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { RULES } from '../../src/rules/index.js';
import { aksguard, aksguardAsync, ROOT, runMain, scanJson } from '../support/cli.js';

const DEMO = 'examples/demo';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aksguard-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** A user-facing error: one line, no stack trace, exit 2. */
function expectOneLineError(run: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr.trimEnd()).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('aksguard scan, end to end', () => {
  it('scans the demo: findings, a summary and exit 1 at the default --fail-on high', () => {
    const run = aksguard(['scan', DEMO, '--as-of', '2026-11-28']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/prod-weu/);
    expect(run.stdout).toMatch(/HIGH +control-plane\/authorized-ranges-too-broad/);
    expect(run.stdout).toMatch(/az aks update -g rg-prod-weu -n prod-weu/);
    expect(run.stdout).toMatch(new RegExp(`1 cluster, ${RULES.length} rules: .* FAIL`));
  });

  it('npm start builds, then is the demo scan and passes (--fail-on none)', () => {
    const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start as string;
    // A fresh clone has no dist/ (the build runs in prepack, not on npm install).
    expect(script).toBe('npm run --silent build && node bin/aksguard scan examples/demo --fail-on none');
    expect(aksguard(['scan', DEMO, '--fail-on', 'none']).code).toBe(0);
  });

  it('joins the demo files: upgrade profiles and maintenance configurations decide exactly', () => {
    const { report } = scanJson([DEMO]);
    const windows = report.findings.find((f) => f.ruleId === 'patching/windows-node-image-outdated');
    expect(windows?.message).toMatch(/AKSWindows-2022-containerd-20348\.4460\.261111 is available/);
    expect(
      report.findings.filter((f) => f.ruleId === 'patching/node-image-outdated').map((f) => f.resource.name),
    ).toEqual(['apps']);
    expect(report.targets).toHaveLength(1);
    expect(report.findings.some((f) => f.ruleId === 'patching/maintenance-window-missing' && f.unknown)).toBe(false);
  });

  it('reads stdin with -', () => {
    const input = readFileSync(join(ROOT, DEMO, 'prod-weu.json'), 'utf8');
    const { report } = scanJson(['-'], { input });
    expect(report.targets[0]?.source).toBe('<stdin>');
    const finding = report.findings.find((f) => f.ruleId === 'identity/local-accounts-enabled');
    const line = input.split('\n').findIndex((l) => l.includes('"disableLocalAccounts"')) + 1;
    expect(finding?.location).toEqual({ file: '<stdin>', line, column: 3 });
  });

  it('JSON report is deterministic and sorted by severity', () => {
    const first = aksguard(['scan', DEMO, '--format', 'json', '--as-of', '2026-11-28']).stdout;
    const second = aksguard(['scan', DEMO, '--format', 'json', '--as-of', '2026-11-28']).stdout;
    expect(first).toBe(second);
    const report = JSON.parse(first) as ScanResult;
    const ranks = report.findings.map((f) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(report.schemaVersion).toBe(1);
    expect(report.summary.rulesRun).toBe(RULES.length);
    expect(report.summary.high).toBe(report.findings.filter((f) => f.severity === 'high').length);
  });

  it('--fail-on decides the exit code', async () => {
    expect((await runMain(['scan', DEMO, '--fail-on', 'critical'])).code).toBe(0);
    expect((await runMain(['scan', DEMO, '--fail-on', 'high'])).code).toBe(1);
    expect((await runMain(['scan', DEMO, '--fail-on', 'none'])).code).toBe(0);
  });

  it('--rule and --exclude-rule select rules by id, domain and domain/*', async () => {
    const args = [
      '--rule',
      'control-plane',
      '--rule',
      'identity/*',
      '--exclude-rule',
      'control-plane/run-command-enabled',
    ];
    const report = JSON.parse((await runMain(['scan', DEMO, '--format', 'json', ...args])).stdout) as ScanResult;
    expect(new Set(report.findings.map((f) => f.ruleId.split('/')[0]))).toEqual(new Set(['control-plane', 'identity']));
    expect(report.findings.map((f) => f.ruleId)).not.toContain('control-plane/run-command-enabled');
    expect(report.findings.map((f) => f.ruleId)).toContain('identity/local-accounts-enabled');
    expect(report.summary.rulesRun).toBe(12);
    const unknown = await runMain(['scan', DEMO, '--rule', 'identity/no-such-rule']);
    expectOneLineError(unknown, /^aksguard: --rule: unknown rule 'identity\/no-such-rule'/);
  });

  it('--as-of changes time-dependent results and must be a date', async () => {
    const later = JSON.parse(
      (await runMain(['scan', DEMO, '--format', 'json', '--as-of', '2027-06-01'])).stdout,
    ) as ScanResult;
    expect(
      later.findings.filter((f) => f.ruleId === 'control-plane/kubernetes-version-unsupported').length,
    ).toBeGreaterThan(0);
    expect(later.asOf).toBe('2027-06-01T00:00:00.000Z');
    expectOneLineError(await runMain(['scan', DEMO, '--as-of', 'yesterday']), /--as-of must be an ISO date/);
  });

  it('writes several formats in one run', async () => {
    const out = join(dir, 'report.json');
    const run = await runMain(['scan', DEMO, '--format', 'json', '--output', out, '--format', 'text']);
    expect(run.stdout).toMatch(/prod-weu/);
    expect((JSON.parse(readFileSync(out, 'utf8')) as ScanResult).targets).toHaveLength(1);
  });
});

describe('bad input: one line, exit 2, never a crash', () => {
  it('truncated JSON names file, line and column', () => {
    const text = readFileSync(join(ROOT, DEMO, 'prod-weu.json'), 'utf8').slice(0, 2000);
    const file = write('broken.json', text);
    const lines = text.trimEnd().split('\n');
    expectOneLineError(
      aksguard(['scan', file]),
      new RegExp(`^${file}:${lines.length}:${(lines.at(-1)?.length ?? 0) + 1}: invalid JSON: unexpected end of file`),
    );
  });

  it('a syntax error in the middle points at it', () => {
    const file = write('bad.json', '{\n  "name": "x",\n  "properties": { "enableRBAC": tru }\n}\n');
    expectOneLineError(aksguard(['scan', file]), new RegExp(`^${file}:3:`));
  });

  it('comments and trailing commas are accepted with correct lines', async () => {
    const file = write(
      'jsonc.json',
      '// az aks show, edited\n{\n  /* block */ "name": "c",\n  "type": "Microsoft.ContainerService/managedClusters",\n  "properties": {\n    "enableRBAC": false,\n    "agentPoolProfiles": [{ "name": "np", "mode": "System", },],\n  },\n}\n',
    );
    const report = JSON.parse((await runMain(['scan', file, '--format', 'json'])).stdout) as ScanResult;
    expect(report.findings.find((f) => f.ruleId === 'identity/kubernetes-rbac-disabled')?.location).toEqual({
      file,
      line: 6,
      column: 5,
    });
  });

  it('an empty file', () => expectOneLineError(aksguard(['scan', write('empty.json', '')]), /the file is empty$/));

  it('a binary file', () => {
    expectOneLineError(
      aksguard(['scan', write('image.json', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]))]),
      /binary file/,
    );
  });

  it('a file that is not an AKS input', () => {
    expectOneLineError(
      aksguard(['scan', write('package.json', '{"name": "x", "version": "1.0.0"}')]),
      /not a recognised AKS input/,
    );
  });

  it('a missing file', () => expectOneLineError(aksguard(['scan', join(dir, 'nope.json')]), /no such file or folder$/));

  it('no input at all', () => expectOneLineError(aksguard(['scan']), /^aksguard: give a file, a folder or -/));

  it('JSON nested 100,000 levels deep, valid and truncated', () => {
    const n = 100_000;
    expectOneLineError(
      aksguard(['scan', write('deep.json', `${'['.repeat(n)}${']'.repeat(n)}`)]),
      /not a recognised AKS input/,
    );
    expectOneLineError(
      aksguard(['scan', write('deep-object.json', `${'{"a":'.repeat(n)}1`)]),
      /deep-object\.json:1:\d+: invalid JSON/,
    );
  });

  it('a 200 MB cluster file gives the correct result', async () => {
    const cluster = JSON.parse(readFileSync(join(ROOT, DEMO, 'prod-weu.json'), 'utf8'));
    cluster.tags.notes = 'x'.repeat(200 * 1024 * 1024);
    const file = write('big.json', JSON.stringify(cluster));
    const run = await aksguardAsync(['scan', file, '--format', 'json', '--as-of', '2026-11-28'], { timeout: 110_000 });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ScanResult;
    expect(report.findings.map((f) => f.ruleId)).toContain('identity/local-accounts-enabled');
    expect(run.stdout).not.toContain('xxxxxxxxxx');
  }, 120_000);

  it('a 200 MB truncated file is an error, not a crash', async () => {
    const file = write('big-broken.json', `{"value": [${'{"name": "c", "properties": {}},'.repeat(6_000_000)}`);
    expectOneLineError(
      await aksguardAsync(['scan', file], { timeout: 110_000 }),
      /big-broken\.json:1:\d+: invalid JSON: unexpected end of file/,
    );
  }, 120_000);

  it('an unknown flag', () => expectOneLineError(aksguard(['scan', DEMO, '--fail-on', 'severe']), /fail-on/));
});

describe('aksguard rules and explain', () => {
  it('explain prints the rule docs; an unknown id exits 2', async () => {
    const run = await runMain(['explain', 'identity/local-accounts-enabled']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# identity\/local-accounts-enabled/);
    expectOneLineError(
      await runMain(['explain', 'identity/local-accounts']),
      /did you mean identity\/local-accounts-enabled/,
    );
  });

  it('a folder of Bicep without a compiler: the files are listed as skipped, and finding no cluster is exit 2', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'aksguard-bicep-'));
    mkdirSync(join(folder, 'modules'));
    writeFileSync(join(folder, 'main.bicep'), "module aks 'modules/cluster-stamp.bicep' = {\n  name: 'aks'\n}\n");
    writeFileSync(join(folder, 'modules/cluster-stamp.bicep'), "param location string = 'westeurope'\n");
    writeFileSync(join(folder, 'bicepconfig.json'), '{ "analyzers": {} }\n');
    writeFileSync(join(folder, 'README.md'), '# not an input\n');
    const empty = await runMain(['scan', folder]);
    expect(empty.code).toBe(2);
    expect(empty.stdout).toBe('');
    const lines = empty.stderr.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      expect.stringMatching(/^aksguard: warning: skipped .*main\.bicep: Bicep files need compiling/),
      expect.stringMatching(/^aksguard: warning: skipped .*cluster-stamp\.bicep: Bicep files need compiling/),
    ]);
    expect(lines[2]).toBe(
      `aksguard: no AKS cluster found in ${folder}: 2 files skipped (see the warnings above); 1 file of no AKS input kind. Nothing was judged, so this is not a pass; --allow-empty accepts an empty scan`,
    );
    const run = await runMain(['scan', folder, '--format', 'json', '--allow-empty']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ScanResult;
    expect(report.skipped.map((s) => s.file.split('/').at(-1))).toEqual(['main.bicep', 'cluster-stamp.bicep']);
    expect(report.skipped[0]?.reason).toMatch(/az bicep build/);
  });
});
