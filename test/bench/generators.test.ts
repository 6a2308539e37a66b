import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateAzureFiles } from '../../bench/generate-azure.js';
import { generateKubeDump } from '../../bench/generate-kube.js';
import { scanJson } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'aksguard-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY = { nodes: 6, namespaces: 5, pods: 40, rbac: 30 };

describe('bench generators at tiny size (npm run bench uses them at full size)', () => {
  it('az aks show files: same seed, same bytes; every file scans to its own cluster', () => {
    const first = generateAzureFiles(join(dir, 'a'), 12, 42).map((f) => readFileSync(f, 'utf8'));
    const again = generateAzureFiles(join(dir, 'b'), 12, 42).map((f) => readFileSync(f, 'utf8'));
    const other = generateAzureFiles(join(dir, 'c'), 12, 43).map((f) => readFileSync(f, 'utf8'));
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    const { report } = scanJson([join(dir, 'a')]);
    expect(report.targets).toHaveLength(readdirSync(join(dir, 'a')).length);
    expect(report.summary.errors).toBe(0);
    expect(new Set(report.findings.map((f) => f.ruleId.split('/')[0])).size).toBeGreaterThanOrEqual(4);
  });

  it('cluster dump: same seed, same bytes; the scan sees its workloads, RBAC, namespaces and nodes', () => {
    const bytes = generateKubeDump(join(dir, 'dump.json'), TINY, 7);
    generateKubeDump(join(dir, 'again.json'), TINY, 7);
    expect(readFileSync(join(dir, 'again.json'))).toEqual(readFileSync(join(dir, 'dump.json')));
    expect(bytes).toBe(readFileSync(join(dir, 'dump.json')).length);
    const dump = JSON.parse(readFileSync(join(dir, 'dump.json'), 'utf8')) as { items: { kind: string }[] };
    const kinds = new Set(dump.items.map((i) => i.kind));
    for (const kind of ['Namespace', 'Node', 'Deployment', 'Pod', 'ClusterRole', 'NetworkPolicy', 'DaemonSet'])
      expect(kinds).toContain(kind);
    const { report } = scanJson([join(dir, 'dump.json')]);
    expect(report.summary.errors).toBe(0);
    const domains = new Set(report.findings.map((f) => f.ruleId.split('/')[0]));
    for (const domain of ['workload', 'rbac', 'isolation']) expect(domains).toContain(domain);
  });
});
