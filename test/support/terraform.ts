import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ScanResult } from '../../src/model/result.js';
import { loadInputs } from '../../src/sources/index.js';
import { runMain } from './cli.js';

/** Writes `files` (relative path → text) into a fresh folder and returns it. */
export function tfFolder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'aksguard-tf-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/** The snapshot (and skipped files) of the inputs at `path`. */
export const loadTf = (path: string) => loadInputs([path], { readStdin: async () => '' });

/** An in-process JSON scan; `report` is undefined when it exits 2. */
export async function scanTf(args: string[], stdin?: string) {
  const run = await runMain(
    ['scan', ...args, '--format', 'json', '--as-of', '2026-11-28'],
    stdin === undefined ? {} : { stdin },
  );
  return { ...run, report: run.code === 2 ? undefined : (JSON.parse(run.stdout) as ScanResult) };
}

/** A small azurerm cluster block with a named default pool, and `body` added inside. */
export const tfCluster = (name: string, body = '') => `
resource "azurerm_kubernetes_cluster" "${name}" {
  name       = "${name}"
  dns_prefix = "${name}"
  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4ds_v5"
  }
${body}
}
`;

/** `terraform show -json` output planning one `azurerm_kubernetes_cluster.k` with `values` (and more resource fields). */
export const tfPlan = (values: Record<string, unknown>, resource: Record<string, unknown> = {}, plan = {}) =>
  JSON.stringify({
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          {
            address: 'azurerm_kubernetes_cluster.k',
            type: 'azurerm_kubernetes_cluster',
            name: 'k',
            values,
            ...resource,
          },
        ],
      },
    },
    ...plan,
  });
