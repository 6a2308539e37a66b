import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { runMain } from '../support/cli.js';

/** A copy of the demo to edit, and where its baseline goes. */
function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'aksguard-baseline-'));
  cpSync('examples/demo', join(dir, 'demo'), { recursive: true });
  return { demo: join(dir, 'demo'), cluster: join(dir, 'demo', 'prod-weu.json'), baseline: join(dir, 'baseline.json') };
}

async function scanWith(demo: string, baseline: string) {
  const run = await runMain(['scan', demo, '--baseline', baseline, '--format', 'json', '--as-of', '2026-11-28']);
  return { code: run.code, report: JSON.parse(run.stdout) as ScanResult, stderr: run.stderr };
}

describe('baseline round trip', () => {
  it('create, introduce one new problem: only that one fails the scan', async () => {
    const { demo, cluster, baseline } = workspace();
    const created = await runMain(['baseline', 'create', '-o', baseline, demo, '--as-of', '2026-11-28']);
    expect([created.code, created.stdout]).toEqual([0, '']);
    const file = JSON.parse(readFileSync(baseline, 'utf8'));
    expect(file.aksguardBaseline).toBe(1);
    expect(created.stderr).toBe(`aksguard: wrote ${file.findings.length} accepted finding(s) to ${baseline}\n`);
    expect(file.findings.length).toBe(15);
    expect(JSON.stringify(file)).not.toMatch(/"line"/);

    const before = await scanWith(demo, baseline);
    expect(before.code).toBe(0);
    expect(before.report.findings.every((f) => f.suppressed?.by === 'baseline')).toBe(true);
    expect(before.report.baseline).toEqual({ file: baseline, resolved: [] });

    // One new problem (Kubernetes RBAC off), and every line below the top moved by three lines.
    const text = readFileSync(cluster, 'utf8');
    writeFileSync(cluster, text.replace('{', '{\n\n\n').replace('"enableRbac": true', '"enableRbac": false'));
    const after = await scanWith(demo, baseline);
    expect(after.code).toBe(1);
    const open = after.report.findings.filter((f) => !f.suppressed);
    expect(open.map((f) => f.ruleId)).toEqual(['identity/kubernetes-rbac-disabled']);
    expect(after.report.summary.suppressed).toBe(15);
  });

  it('lists baseline entries that no longer occur', async () => {
    const { demo, cluster, baseline } = workspace();
    await runMain(['baseline', 'create', '-o', baseline, demo, '--as-of', '2026-11-28', '-q']);
    const text = readFileSync(cluster, 'utf8');
    writeFileSync(cluster, text.replace('"disableLocalAccounts": false', '"disableLocalAccounts": true'));
    const { code, report, stderr } = await scanWith(demo, baseline);
    expect(code).toBe(0);
    expect(report.baseline?.resolved).toEqual([
      {
        ruleId: 'identity/local-accounts-enabled',
        target: report.targets[0]?.id,
        resource: { kind: 'ManagedCluster', name: 'prod-weu', namespace: null },
      },
    ]);
    expect(stderr).toContain(
      `aksguard: warning: baseline entry no longer occurs: identity/local-accounts-enabled on ManagedCluster prod-weu (prod-weu); remove it from ${baseline}`,
    );
  });

  it('a file that is not a baseline exits 2', async () => {
    const { demo, baseline } = workspace();
    writeFileSync(baseline, '{"findings": []}');
    const run = await runMain(['scan', demo, '--baseline', baseline]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^.*baseline\.json: not a baseline file/);
  });

  it('baseline create needs -o', async () => {
    const run = await runMain(['baseline', 'create', 'examples/demo']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '-o, --output <file>' not specified");
  });
});
