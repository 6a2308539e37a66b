// biome-ignore-all lint/suspicious/noTemplateCurlyInString: HCL text is written as it appears in a .tf file
/**
 * Hostile Terraform (issue 13; the limits themselves are the Terraform evaluator's, tested in
 * `test/sources/terraform-hostile.test.ts`): here each runs under the suite's shared bounds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tfCluster } from '../support/terraform.js';
import type { HostileCase } from './harness.js';

/** Writes `files` into `dir` and scans it. */
function folder(dir: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { args: ['scan', dir, '--format', 'json'] };
}

const doubling = (name: string, first: string, next: (previous: string) => string) =>
  [
    `  ${name}0 = ${first}`,
    ...Array.from({ length: 60 }, (_, i) => `  ${name}${i + 1} = ${next(`local.${name}${i}`)}`),
  ].join('\n');

export const TERRAFORM_CASES: readonly HostileCase[] = [
  {
    name: 'terraform: count = 1000000000',
    prepare: (dir) =>
      folder(dir, {
        'main.tf': `${tfCluster('aks')}
resource "azurerm_kubernetes_cluster_node_pool" "many" {
  count                 = 1000000000
  name                  = "many\${count.index}"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
}
`,
      }),
    expected: { exit: [0, 1] },
  },
  {
    name: 'terraform: strings and lists that double 60 times',
    prepare: (dir) =>
      folder(dir, {
        'main.tf': `locals {
${doubling('s', '"xxxxxxxxxxxxxxxx"', (p) => `"\${${p}}\${${p}}"`)}
${doubling('l', '["x"]', (p) => `concat(${p}, ${p})`)}
}
${tfCluster('aks', '  local_account_disabled = length(local.s60) > length(local.l60)')}
`,
      }),
    expected: { exit: [0, 1] },
  },
  {
    name: 'terraform: a module that calls itself',
    prepare: (dir) => folder(dir, { 'main.tf': `${tfCluster('aks')}\nmodule "again" {\n  source = "./"\n}\n` }),
    expected: { exit: [2], stderr: /main\.tf:\d+:\d+: module "again" calls a module already on its call path/ },
  },
  {
    name: 'terraform: two modules that call each other',
    prepare: (dir) =>
      folder(dir, {
        'main.tf': 'module "a" {\n  source = "./a"\n}\n',
        'a/main.tf': `${tfCluster('aks')}\nmodule "b" {\n  source = "../b"\n}\n`,
        'b/main.tf': 'module "a" {\n  source = "../a"\n}\n',
      }),
    expected: {
      exit: [2],
      stderr: /main\.tf:\d+:\d+: module "a" calls a module already on its call path \(a → b → a\)/,
    },
  },
  {
    // Each of 80 folders calls the next twice: 2^80 module instances, and every folder a root of its own too.
    name: 'terraform: modules that fan out twice at each of 80 levels',
    prepare: (dir) => folder(dir, fanOut(80, 2)),
    expected: { exit: [1], stderr: /module "b": more module instances than aksguard's limit of 1000; not followed/ },
  },
  {
    name: 'terraform: a chain of 200 nested modules',
    prepare: (dir) => folder(dir, fanOut(200, 1)),
    expected: {
      exit: [1],
      stderr: /module "a": modules nested more than 16 calls deep, aksguard's limit; not followed/,
    },
  },
];

/** Folders m0 … m`levels`, each calling the next `calls` times; the first, the root, declares a cluster. */
function fanOut(levels: number, calls: number): Record<string, string> {
  const names = ['a', 'b', 'c'].slice(0, calls);
  const call = (i: number) => names.map((name) => `module "${name}" {\n  source = "../m${i + 1}"\n}\n`).join('');
  return Object.fromEntries(
    Array.from({ length: levels + 1 }, (_, i) => [
      `m${i}/main.tf`,
      `${i === 0 ? tfCluster('aks') : 'variable "x" {\n  default = 1\n}\n'}${i < levels ? call(i) : ''}`,
    ]),
  );
}
