// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL text is written as it appears in a .tf file
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { aksguard } from '../support/cli.js';
import { tfCluster, tfFolder, tfPlan } from '../support/terraform.js';

/**
 * Hostile Terraform: each case runs the built CLI in its own process with a 400 MB heap, so one that grows
 * without bound crashes instead of passing; the wall-time bound is loose (the machine may be shared).
 */
function scanHostile(dir: string, format = 'json') {
  const start = performance.now();
  const run = aksguard(['scan', dir, '--format', format, '--as-of', '2026-11-28'], {
    env: { NODE_OPTIONS: '--max-old-space-size=400' },
    timeout: 60_000,
  });
  const seconds = (performance.now() - start) / 1000;
  expect([0, 1, 2]).toContain(run.code);
  expect(seconds).toBeLessThan(30);
  const report = run.code === 2 || format !== 'json' ? undefined : (JSON.parse(run.stdout) as ScanResult);
  return { ...run, report };
}

const undecided = (report: ScanResult | undefined, ruleId: string) =>
  report?.findings.find((f) => f.ruleId === ruleId && f.resource.name !== 'system');

describe('Terraform inputs that would take unbounded time or memory', () => {
  it('count = 1000000000: one pool whose existence is unknown, said in one line', () => {
    const dir = tfFolder({
      'main.tf': `${tfCluster('aks')}
resource "azurerm_kubernetes_cluster_node_pool" "many" {
  count                 = 1000000000
  name                  = "many\${count.index}"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
}
`,
    });
    const { report } = scanHostile(dir);
    const pool = undecided(report, 'encryption/host-encryption-disabled');
    expect(pool?.resource.name).toBe('azurerm_kubernetes_cluster_node_pool.many');
    expect(report?.findings.some((f) => f.ruleId === 'node-access/system-pool-not-isolated')).toBe(false);
  });

  it('strings, lists and nested lists that double at every step become unknown at the size limit', () => {
    const doubling = (name: string, first: string, next: (prev: string) => string) =>
      Array.from({ length: 60 }, (_, i) => `  ${name}${i + 1} = ${next(`local.${name}${i}`)}`)
        .join('\n')
        .replace(/^/, `  ${name}0 = ${first}\n`);
    const dir = tfFolder({
      'main.tf': `locals {
${doubling('s', '"xxxxxxxxxxxxxxxx"', (p) => `"\${${p}}\${${p}}"`)}
${doubling('l', '["x"]', (p) => `concat(${p}, ${p})`)}
${doubling('n', '["x"]', (p) => `[${p}, ${p}]`)}
}
${tfCluster(
  'aks',
  `  local_account_disabled = length(local.s60) > 0
  api_server_access_profile {
    authorized_ip_ranges = length(flatten(local.n60)) > 0 ? local.l60 : []
  }
  run_command_enabled = length(join("", [for i in range(1000000000) : "a"])) == 0`,
)}
`,
    });
    const { report } = scanHostile(dir);
    const local = report?.findings.find((f) => f.ruleId === 'identity/local-accounts-enabled');
    expect(local?.unknown).toBe(true);
    expect(local?.message).toMatch(/\(not evaluated: a value larger than 100,000 elements \(aksguard's limit\)\)/);
    const ranges = report?.findings.find((f) => f.ruleId === 'control-plane/api-server-unrestricted');
    expect(ranges?.unknown).toBe(true);
    expect(ranges?.message.length).toBeLessThan(400);
  });

  it('a regular expression that backtracks exponentially is not run', () => {
    const dir = tfFolder({
      'main.tf': tfCluster('aks', `  local_account_disabled = can(regex("^(a+)+$", "${'a'.repeat(40)}!"))`),
    });
    const { report } = scanHostile(dir);
    const local = report?.findings.find((f) => f.ruleId === 'identity/local-accounts-enabled');
    expect(local?.message).toContain('nested repetition');
  });

  it('a module that calls itself, and two modules that call each other, are one-line input errors', () => {
    const self = tfFolder({
      'main.tf': `${tfCluster('aks')}\nmodule "again" {\n  source = "./"\n}\n`,
    });
    const loop = scanHostile(self);
    expect(loop.code).toBe(2);
    expect(loop.stderr.trim().split('\n')).toHaveLength(1);
    expect(loop.stderr).toContain(
      `${join(self, 'main.tf')}:12:1: module "again" calls a module already on its call path`,
    );

    const pair = tfFolder({
      'main.tf': 'module "a" {\n  source = "./a"\n}\n',
      'a/main.tf': `${tfCluster('aks')}\nmodule "b" {\n  source = "../b"\n}\n`,
      'b/main.tf': 'module "a" {\n  source = "../a"\n}\n',
    });
    const mutual = scanHostile(pair);
    expect(mutual.code).toBe(2);
    expect(mutual.stderr).toMatch(
      /b[/\\]main\.tf:1:1: module "a" calls a module already on its call path \(a → b → a\)/,
    );
  });

  it('calls that fan out at every level stop at the module-instance limit, with a skipped note', () => {
    const level = (next: string) =>
      Array.from({ length: 10 }, (_, i) => `module "m${i}" {\n  source = "${next}"\n}\n`).join('');
    const dir = tfFolder({
      'main.tf': level('./l1'),
      'l1/main.tf': level('../l2'),
      'l2/main.tf': level('../l3'),
      'l3/main.tf': `${level('../l4')}`,
      'l4/main.tf': tfCluster('leaf'),
    });
    const { report } = scanHostile(dir);
    expect(report?.skipped.some((s) => s.reason.includes("more module instances than aksguard's limit"))).toBe(true);
    expect(report?.targets.length).toBeLessThanOrEqual(1000);
  });

  it('locals defined in terms of each other are unknown, with one clear reason', () => {
    const dir = tfFolder({
      'main.tf': `locals {
  a = local.b
  b = local.a
}
${tfCluster('aks', '  local_account_disabled = local.a')}`,
    });
    const { report } = scanHostile(dir);
    const local = report?.findings.find((f) => f.ruleId === 'identity/local-accounts-enabled');
    expect(local?.unknown).toBe(true);
    expect(local?.message).toMatch(/cannot tell: local\.\w \(defined in terms of itself/);
  });

  it('expressions and blocks nested thousands of levels deep are a one-line input error, not a crash', () => {
    const depth = 5000;
    for (const text of [
      tfCluster('aks', `  local_account_disabled = ${'('.repeat(depth)}true${')'.repeat(depth)}`),
      tfCluster('aks', `  local_account_disabled = ${'"${'.repeat(depth)}true${'}"'.repeat(depth)}`),
      `${'a {\n'.repeat(depth)}${'}\n'.repeat(depth)}`,
    ]) {
      const dir = tfFolder({ 'main.tf': text });
      const run = scanHostile(dir);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/main\.tf:\d+:\d+: (an expression|blocks|strings) nested more than 256 levels deep/);
    }
  });
});

describe('sensitive Terraform values', () => {
  const SECRET = 'zq-secret-cluster-name';
  const secretDir = () =>
    tfFolder({
      'main.tf': `variable "cluster_name" {
  type      = string
  sensitive = true
}
variable "version_pin" {
  type      = string
  default   = "1.20.7"
  sensitive = true
}
locals {
  full_name = "\${var.cluster_name}-aks"
}
variable "ranges" {
  default   = ["0.0.0.0/0"]
  sensitive = true
}
resource "azurerm_kubernetes_cluster" "k" {
  name               = local.full_name
  kubernetes_version = var.version_pin
  default_node_pool {
    name                 = "system"
    orchestrator_version = "1.29.0"
  }
  api_server_access_profile {
    authorized_ip_ranges = var.ranges
  }
}
output "name" {
  value     = azurerm_kubernetes_cluster.k.name
  sensitive = true
}
`,
      'terraform.tfvars': `cluster_name = "${SECRET}"\n`,
    });

  it('are shown as (sensitive) in names, messages and every report format, and decided on all the same', () => {
    const dir = secretDir();
    const { report, stdout } = scanHostile(dir);
    expect(stdout).not.toContain('zq-secret');
    expect(stdout).not.toContain('1.20.7');
    expect(report?.targets.map((t) => t.name)).toEqual(['(sensitive)']);
    const version = report?.findings.find(
      (f) => f.ruleId === 'control-plane/kubernetes-version-unsupported' && f.resource.kind === 'ManagedCluster',
    );
    expect(version?.unknown).toBe(false);
    expect(version?.message).toContain('(sensitive)');
    expect(version?.resource.name).toBe('(sensitive)');
    expect(stdout).not.toContain('0.0.0.0/0');
    const fired = report?.findings.map((f) => f.ruleId);
    expect(fired).toEqual(
      expect.arrayContaining(['patching/pool-version-skew', 'control-plane/authorized-ranges-too-broad']),
    );
    for (const format of ['text', 'markdown', 'sarif', 'html', 'junit']) {
      const run = scanHostile(dir, format);
      expect(run.stdout, format).not.toContain('zq-secret');
      expect(run.stdout, format).not.toContain('1.20.7');
      expect(run.stdout, format).not.toContain('0.0.0.0/0');
      expect(run.stdout, format).toContain('(sensitive)');
    }
  });

  it('never reach a baseline file', () => {
    const dir = secretDir();
    const baseline = join(dir, 'baseline.json');
    const run = aksguard(['baseline', 'create', dir, '--output', baseline, '--as-of', '2026-11-28']);
    expect(run.code).toBe(0);
    const written = readFileSync(baseline, 'utf8');
    expect(written).toContain('(sensitive)');
    const rescan = aksguard(['scan', dir, '--baseline', baseline, '--format', 'json', '--as-of', '2026-11-28']);
    expect(`${run.stdout}${run.stderr}${written}${rescan.stdout}`).not.toContain('zq-secret');
  });

  it('in a plan (printed in the clear there, marked in sensitive_values) are hidden the same way', () => {
    const plan = tfPlan(
      { name: SECRET, kubernetes_version: '1.20.7', default_node_pool: [{ name: 'system' }] },
      { sensitive_values: { name: true, kubernetes_version: true, default_node_pool: [{}] } },
    );
    const dir = tfFolder({ 'plan.json': plan });
    const { report, stdout } = scanHostile(dir);
    expect(stdout).not.toContain('zq-secret');
    expect(stdout).not.toContain('1.20.7');
    expect(report?.targets.map((t) => t.name)).toEqual(['(sensitive)']);
    expect(report?.findings.find((f) => f.ruleId === 'control-plane/kubernetes-version-unsupported')?.unknown).toBe(
      false,
    );
  });
});
