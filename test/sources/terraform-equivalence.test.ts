import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { runMain } from '../support/cli.js';

const TRIPLES = join('test', 'fixtures', 'terraform', 'triples');

async function findings(path: string): Promise<{ set: string[]; report: ScanResult; stdout: string }> {
  const run = await runMain(['scan', path, '--format', 'json', '--as-of', '2026-11-28']);
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as ScanResult;
  const set = [...new Set(report.findings.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`))].sort();
  return { set, report, stdout: run.stdout };
}

/**
 * One cluster written three ways — `az aks show` JSON, HCL, and `terraform show -json` — must produce the same
 * set of (ruleId, resource) findings: the Terraform sources add no finding and lose none.
 */
describe('az JSON, HCL and plan JSON of one cluster find the same', () => {
  for (const [name, expected] of [
    [
      'public',
      [
        'patching/windows-pool-not-auto-patched AgentPool/win22',
        'control-plane/api-server-unrestricted ManagedCluster/tri-public',
      ],
    ],
    ['private', ['node-access/ssh-enabled AgentPool/apps2']],
    [
      'legacy',
      [
        'node-access/node-public-ip AgentPool/default',
        'identity/service-principal-credentials ManagedCluster/tri-legacy',
        'control-plane/insecure-addons-enabled ManagedCluster/tri-legacy',
      ],
    ],
  ] as const) {
    it(name, async () => {
      const az = await findings(join(TRIPLES, name, 'az'));
      const hcl = await findings(join(TRIPLES, name, 'hcl'));
      const plan = await findings(join(TRIPLES, name, 'plan'));
      for (const id of expected) expect(az.set).toContain(id);
      expect(hcl.set).toEqual(az.set);
      expect(plan.set).toEqual(az.set);
      expect(hcl.report.targets.map((t) => t.name)).toEqual(az.report.targets.map((t) => t.name));
      expect(plan.stdout).not.toContain('not-a-real-secret-value');
    });
  }
});
