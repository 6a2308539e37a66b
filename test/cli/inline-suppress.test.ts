import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { ScanResult } from '../../src/model/result.js';
import { runMain } from '../support/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aksguard-inline-'));
});

const write = (name: string, text: string) => {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
};

async function scan(...args: string[]) {
  const run = await runMain(['scan', '--format', 'json', '--as-of', '2026-11-28', '--fail-on', 'none', ...args]);
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}`);
  return { report: JSON.parse(run.stdout) as ScanResult, stderr: run.stderr };
}
const suppressed = (report: ScanResult, ruleId: string): Finding['suppressed'] =>
  report.findings.find((f) => f.ruleId === ruleId)?.suppressed ?? null;

const CLUSTER_TF = (comments: { resource?: string; ranges?: string }) => `${comments.resource ?? ''}
resource "azurerm_kubernetes_cluster" "lab" {
  name                = "lab"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "lab"
  ${comments.ranges ?? ''}
  api_server_access_profile {
    authorized_ip_ranges = ["0.0.0.0/0"]
  }
  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }
  identity {
    type = "SystemAssigned"
  }
}
`;

describe('aksguard:ignore in Terraform', () => {
  it('suppresses the named rules inside the resource or attribute, with the reason; others still count', async () => {
    const file = write(
      'tf/main.tf',
      CLUSTER_TF({
        resource: '# aksguard:ignore node-access/ssh-enabled,identity/local-accounts-enabled -- lab, torn down weekly',
        ranges: '// aksguard:ignore control-plane/authorized-ranges-too-broad -- office VPN until 2027-01-31',
      }),
    );
    const { report, stderr } = await scan(join(dir, 'tf'));
    expect(suppressed(report, 'node-access/ssh-enabled')).toEqual({ by: 'inline', reason: 'lab, torn down weekly' });
    expect(suppressed(report, 'identity/local-accounts-enabled')).toEqual({
      by: 'inline',
      reason: 'lab, torn down weekly',
    });
    expect(suppressed(report, 'control-plane/authorized-ranges-too-broad')).toEqual({
      by: 'inline',
      reason: 'office VPN',
      expires: '2027-01-31',
    });
    // The attribute's comment covers only that attribute: the cluster's other findings are not suppressed.
    expect(suppressed(report, 'isolation/network-policy-disabled')).toBeNull();
    expect(report.summary.suppressed).toBe(3);
    expect(stderr).not.toContain(file);
  });

  it('an expired one no longer applies, and the scan says how many findings count again', async () => {
    write(
      'expired/main.tf',
      CLUSTER_TF({ ranges: '# aksguard:ignore control-plane/authorized-ranges-too-broad -- VPN until 2026-01-31' }),
    );
    const { report, stderr } = await scan(join(dir, 'expired'));
    expect(suppressed(report, 'control-plane/authorized-ranges-too-broad')).toBeNull();
    expect(stderr).toContain(
      `${join(dir, 'expired/main.tf')}:7: the aksguard:ignore of control-plane/authorized-ranges-too-broad expired on 2026-01-31; 1 finding(s) it covered count again`,
    );
  });

  it('a malformed one or an unknown rule is a warning with file:line, and suppresses nothing', async () => {
    write(
      'bad/main.tf',
      CLUSTER_TF({
        resource: '# aksguard:ignore node-access/ssh-enabled',
        ranges: '# aksguard:ignore control-plane/authorized-ranges-too-brod -- typo',
      }),
    );
    const { report, stderr } = await scan(join(dir, 'bad'));
    expect(report.summary.suppressed).toBe(0);
    const file = join(dir, 'bad/main.tf');
    expect(stderr).toContain(
      `aksguard: warning: ${file}:1: aksguard:ignore must read "<rule>[,<rule>] -- <reason> [until YYYY-MM-DD]" (no ' -- ' before a reason); it is not applied\n`,
    );
    expect(stderr).toContain(
      `aksguard: warning: ${file}:7: aksguard:ignore names unknown rule(s) control-plane/authorized-ranges-too-brod; those are not applied\n`,
    );
  });
});

/** An ARM template of one cluster `lab` with one pool, and the resource `metadata` given. */
const clusterTemplate = (metadata: Record<string, unknown> | undefined) => ({
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  resources: [
    {
      type: 'Microsoft.ContainerService/managedClusters',
      apiVersion: '2024-05-01',
      name: 'lab',
      location: 'westeurope',
      ...(metadata ? { metadata } : {}),
      identity: { type: 'SystemAssigned' },
      properties: { dnsPrefix: 'lab', agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }] },
    },
  ],
});

describe('metadata.aksguard.ignore in ARM templates', () => {
  it('suppresses the named rules for findings within the resource', async () => {
    const template = clusterTemplate({
      aksguard: {
        ignore: ['identity/local-accounts-enabled -- break-glass until 2099-12-31', 'monitoring/* -- central'],
      },
    });
    write('arm/azuredeploy.json', JSON.stringify(template, null, 2));
    const { report } = await scan(join(dir, 'arm'));
    expect(suppressed(report, 'identity/local-accounts-enabled')).toEqual({
      by: 'inline',
      reason: 'break-glass',
      expires: '2099-12-31',
    });
    const monitoring = report.findings.filter((f) => f.ruleId.startsWith('monitoring/'));
    expect(monitoring.length).toBeGreaterThan(0);
    expect(monitoring.every((f) => f.suppressed?.reason === 'central')).toBe(true);
    expect(suppressed(report, 'identity/entra-id-integration-missing')).toBeNull();
  });
});

describe('aksguard:ignore in Bicep', () => {
  const env = { PATH: process.env.PATH };
  afterAll(() => {
    process.env.PATH = env.PATH;
  });

  it('the compiled template loses comments: the Bicep source lines map them to the findings', async () => {
    // No Bicep compiler can be installed here, so a stand-in `bicep` on PATH prints the template the real one
    // would (its output for this file, written by hand): the mapping under test is aksguard's, not the compiler's.
    const bin = join(dir, 'bin');
    write(
      'bin/bicep',
      `#!${process.execPath}\nprocess.stdout.write(require('node:fs').readFileSync(process.argv.at(-1) + '.json', 'utf8'));\n`,
    );
    chmodSync(join(bin, 'bicep'), 0o755);
    const source = [
      '// aksguard:ignore identity/local-accounts-enabled -- break-glass account until 2099-12-31', // 1
      "resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {", // 2
      "  name: 'lab'", // 3
      "  location: 'westeurope'", // 4
      "  identity: { type: 'SystemAssigned' }", // 5
      '  properties: {', // 6
      "    dnsPrefix: 'lab'", // 7
      '    agentPoolProfiles: [ // aksguard:ignore node-access -- pools are replaced nightly', // 8
      "      { name: 'system', mode: 'System', count: 1 }", // 9
      '    ]', // 10
      '  }', // 11
      '}', // 12
    ].join('\n');
    const bicep = write('bicep/main.bicep', source);
    const compiled = clusterTemplate(undefined);
    writeFileSync(`${bicep}.json`, JSON.stringify(compiled));
    process.env.PATH = `${bin}${delimiter}${env.PATH}`;
    const { report } = await scan(bicep);
    const local = report.findings.find((f) => f.ruleId === 'identity/local-accounts-enabled');
    expect(local?.location).toEqual({ file: bicep, line: 2, column: 1 });
    expect(local?.suppressed).toEqual({ by: 'inline', reason: 'break-glass account', expires: '2099-12-31' });
    const ssh = report.findings.find((f) => f.ruleId === 'node-access/ssh-enabled');
    expect(ssh?.location?.line).toBe(8);
    expect(ssh?.suppressed).toEqual({ by: 'inline', reason: 'pools are replaced nightly' });
    expect(suppressed(report, 'identity/entra-id-integration-missing')).toBeNull();
  });
});
