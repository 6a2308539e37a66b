import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { parseIgnoreText } from '../../src/model/ignore.js';
import type { ScanResult } from '../../src/model/result.js';
import { ROOT, runMain } from '../support/cli.js';

const ANNOTATED = 'test/engine/fixtures/annotated.yaml';

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'aksguard-suppress-')), 'aksguard.config.yaml');
  writeFileSync(file, text);
  return file;
}

async function scan(inputs: string[], ...flags: string[]) {
  const run = await runMain(['scan', ...inputs, '--format', 'json', '--as-of', '2026-11-28', ...flags]);
  if (run.code === 2) throw new Error(run.stderr);
  return { code: run.code, report: JSON.parse(run.stdout) as ScanResult, stderr: run.stderr };
}

const find = (report: ScanResult, ruleId: string, name?: string) =>
  report.findings.filter((f) => f.ruleId === ruleId && (name === undefined || f.resource.name === name));

describe('config ignores', () => {
  it('suppress matching findings with the reason and expiry; they stay in the report and stop failing the scan', async () => {
    const strict = await scan(['examples/demo'], '--fail-on', 'critical');
    expect(strict.code).toBe(0);
    const file = configFile(
      [
        'severity:',
        '  identity/local-accounts-enabled: critical',
        'ignore:',
        '  - rule: identity/local-accounts-enabled',
        '    target: prod-*',
        '    reason: break-glass access until Entra groups land',
        '    expires: 2027-03-31',
      ].join('\n'),
    );
    const { code, report } = await scan(['examples/demo'], '--config', file, '--fail-on', 'critical');
    expect(code).toBe(0);
    const [local] = find(report, 'identity/local-accounts-enabled');
    expect(local?.severity).toBe('critical');
    expect(local?.suppressed).toEqual({
      by: 'config',
      reason: 'break-glass access until Entra groups land',
      expires: '2027-03-31',
    });
    expect(report.summary.suppressed).toBe(1);
    expect(report.summary.critical).toBe(0);
    expect(report.summary.high).toBe(strict.report.summary.high - 1);
  });

  it('without the ignore the overridden severity fails the scan', async () => {
    const file = configFile('severity:\n  identity/local-accounts-enabled: critical\n');
    const { code, report } = await scan(['examples/demo'], '--config', file, '--fail-on', 'critical');
    expect(code).toBe(1);
    expect(report.summary.critical).toBe(1);
  });

  it('an expired ignore stops suppressing and says so', async () => {
    const file = configFile(
      'ignore:\n  - rule: identity/local-accounts-enabled\n    reason: was temporary\n    expires: 2026-11-27\n',
    );
    const { code, report, stderr } = await scan(['examples/demo'], '--config', file);
    expect(code).toBe(1);
    expect(find(report, 'identity/local-accounts-enabled')[0]?.suppressed).toBeNull();
    expect(stderr).toContain(
      `aksguard: warning: ${file}:2: the ignore of identity/local-accounts-enabled expired on 2026-11-27; 1 finding(s) it covered count again`,
    );
    const lastDay = await scan(['examples/demo'], '--config', file, '--as-of', '2026-11-27');
    expect(find(lastDay.report, 'identity/local-accounts-enabled')[0]?.suppressed?.by).toBe('config');
  });

  it('resource globs match name, Kind/name and Kind/namespace/name; target globs match name or id', async () => {
    const suppressedPools = async (ignore: string) => {
      const { report } = await scan(['examples/demo'], '--config', configFile(`ignore:\n${ignore}`));
      return report.findings
        .filter((f: Finding) => f.suppressed)
        .map((f) => `${f.ruleId} ${f.resource.name}`)
        .sort();
    };
    expect(await suppressedPools('  - rule: node-access/*\n    resource: AgentPool/app?\n    reason: r\n')).toEqual([
      'node-access/node-public-ip apps',
      'node-access/ssh-enabled apps',
    ]);
    expect(
      await suppressedPools(
        '  - rule: patching/*\n    resource: win*\n    target: "*/managedClusters/prod-weu"\n    reason: r\n',
      ),
    ).toEqual(['patching/windows-node-image-outdated win22', 'patching/windows-pool-not-auto-patched win22']);
    expect(await suppressedPools('  - rule: node-access/*\n    target: dev-*\n    reason: r\n')).toEqual([]);
  });

  it('disabled rules do not run', async () => {
    const all = await scan(['examples/demo']);
    const { report } = await scan(['examples/demo'], '--config', configFile('disable:\n  - patching/*\n'));
    expect(report.findings.filter((f) => f.ruleId.startsWith('patching/'))).toEqual([]);
    expect(report.summary.rulesRun).toBeLessThan(all.report.summary.rulesRun);
  });
});

describe('the aksguard.io/ignore annotation', () => {
  it('suppresses the named rules on that object only, and warns about malformed ones', async () => {
    const { report, stderr } = await scan([ANNOTATED]);
    const pss = (name: string) => find(report, 'isolation/namespace-without-pod-security', name)[0]?.suppressed;
    const reason = 'legacy batch jobs, moved off by Q2';
    expect(pss('legacy')).toEqual({ by: 'annotation', reason });
    expect(pss('plain')).toBeNull();
    expect(pss('no-reason')).toBeNull();
    expect(pss('typo')).toBeNull();
    expect(stderr).toMatch(
      /annotated\.yaml:\d+: aksguard\.io\/ignore must read "<rule>\[,<rule>\] -- <reason> \[until YYYY-MM-DD\]"/,
    );
    expect(stderr).toMatch(
      /annotated\.yaml:\d+: aksguard\.io\/ignore names unknown rule\(s\) isolation\/namespace-without-pod-securty/,
    );
  });

  it.each([
    ['a/b -- why', { rules: ['a/b'], reason: 'why' }],
    ['a/b,c/* --  two -- dashes ', { rules: ['a/b', 'c/*'], reason: 'two -- dashes' }],
    ['a/b -- wait until the migration', { rules: ['a/b'], reason: 'wait until the migration' }],
    ['a/b -- migrating until 2027-03-31', { rules: ['a/b'], reason: 'migrating', expires: '2027-03-31' }],
    ['a/b -- migrating until 2027-02-30', "'until 2027-02-30' is not a date YYYY-MM-DD"],
    ['a/b -- until 2027-03-31', /no reason after ' -- '/],
    ['a/b', /no ' -- ' before a reason/],
    ['a/b --', /no reason after ' -- '/],
    [' -- reason only', /no rule before ' -- '/],
  ])('parses %j', (value, expected) => {
    const parsed = parseIgnoreText(value);
    if (expected instanceof RegExp) expect(parsed).toMatch(expected);
    else expect(parsed).toEqual(expected);
  });
});

describe('config discovery', () => {
  it('reads aksguard.config.yaml from the working directory without --config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aksguard-cwd-'));
    writeFileSync(
      join(dir, 'aksguard.config.yaml'),
      'ignore:\n  - rule: identity/local-accounts-enabled\n    reason: found in the working directory\n',
    );
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/aksguard'), 'scan', join(ROOT, 'examples/demo'), '--format', 'json', '--as-of', '2026-11-28'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    const report = JSON.parse(run.stdout) as ScanResult;
    expect(find(report, 'identity/local-accounts-enabled')[0]?.suppressed).toEqual({
      by: 'config',
      reason: 'found in the working directory',
    });
  });
});
