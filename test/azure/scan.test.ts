import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { aksguardAsync } from '../support/arm-emulator/run.js';
import { type ArmEmulator, startArmEmulator } from '../support/arm-emulator/server.js';
import { defaultWorld, writeWorldFiles } from '../support/arm-emulator/world.js';

const CLUSTERS_LIST = /\/subscriptions\/0+-0+-0+-0+-0+\/providers\/Microsoft\.ContainerService\/managedClusters$/;

let emulator: ArmEmulator;
beforeEach(async () => {
  emulator = await startArmEmulator(defaultWorld());
});
afterEach(() => emulator.close());

const scanAzure = (args: string[] = []) =>
  aksguardAsync(
    ['scan', '--azure', '--arm-endpoint', emulator.url, '--format', 'json', '--as-of', '2026-11-28', ...args],
    emulator.env(),
  );

/** What a finding says, without where it was read from (a file line or an ARM resource id). */
const said = (report: ScanResult) =>
  report.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    target: f.target,
    resource: f.resource,
    message: f.message,
    unknown: f.unknown,
  }));

describe('scan --azure against the ARM emulator', () => {
  it('finds what a scan of the same clusters saved as az JSON files finds', async () => {
    const live = await scanAzure();
    expect(live.stderr).toBe('');
    const folder = mkdtempSync(join(tmpdir(), 'aksguard-azure-files-'));
    writeWorldFiles(emulator.world, folder);
    const files = await aksguardAsync(['scan', folder, '--format', 'json', '--as-of', '2026-11-28']);

    const liveReport = JSON.parse(live.stdout) as ScanResult;
    const fileReport = JSON.parse(files.stdout) as ScanResult;
    expect(liveReport.targets.map((t) => t.name).sort()).toEqual(['aks-dev', 'aks-private', 'aks-win']);
    expect(said(liveReport)).toEqual(said(fileReport));
    expect(live.code).toBe(files.code);
    const windows = liveReport.findings.find((f) => f.ruleId === 'patching/windows-node-image-outdated');
    expect(windows?.resource.name).toBe('wnp2');
    expect(windows?.location?.file).toMatch(/^azure:\/subscriptions\/.*\/managedClusters\/aks-win\/agentPools\/wnp2$/);
    // Every subscription the credential can list was read, and every request carried the token.
    expect(emulator.requests.some((r) => r.path.includes('11111111-1111-1111-1111-111111111111'))).toBe(true);
    expect(emulator.requests.filter((r) => r.path !== '/msi/token').every((r) => r.authorized)).toBe(true);
  });

  it('reads only the selected subscription, resource group and cluster', async () => {
    const run = await scanAzure([
      '--subscription',
      '00000000-0000-0000-0000-000000000000',
      '--resource-group',
      'rg-dev',
      '--name',
      'aks-dev',
    ]);
    const report = JSON.parse(run.stdout) as ScanResult;
    expect(report.targets.map((t) => t.name)).toEqual(['aks-dev']);
    expect(emulator.requests.some((r) => r.path === '/subscriptions')).toBe(false);
    expect(emulator.requests.some((r) => r.path.includes('aks-win'))).toBe(false);
  });

  it('retries a 429 after the advertised Retry-After delay', async () => {
    emulator.faults.push({ method: 'GET', path: CLUSTERS_LIST, status: 429, retryAfter: 2, times: 1 });
    const run = await scanAzure();
    expect(run.code).not.toBe(2);
    const lists = emulator.requests.filter((r) => CLUSTERS_LIST.test(r.path));
    expect(lists[0]?.status).toBe(429);
    expect(lists[1]?.status).toBe(200);
    // The retry must not come before the server said it may.
    expect((lists[1]?.at ?? 0) - (lists[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_900);
  });

  it('exits 2 on 403 with one line naming the role to grant', async () => {
    emulator.faults.push({ method: 'GET', path: CLUSTERS_LIST, status: 403, times: 10 });
    const run = await scanAzure();
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^azure:\/subscriptions\/0{8}-[0-9-]+: not allowed to list managed clusters: the signed-in identity needs 'Reader'.*\(403 AuthorizationFailed/,
    );
    expect(run.stderr).toContain("'Reader'");
  });

  it('exits 2 on 401 saying how to sign in again', async () => {
    emulator.faults.push({ path: /agentPools$/, status: 401, times: 10 });
    const run = await scanAzure();
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/Azure rejected the credential \(401 InvalidAuthenticationToken.*az login/);
  });

  it('exits 2 with one line when a cluster named with --name does not exist', async () => {
    const run = await scanAzure([
      '--subscription',
      '00000000-0000-0000-0000-000000000000',
      '--resource-group',
      'rg-dev',
      '--name',
      'nope',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^azure:\/subscriptions\/.*\/resourceGroups\/rg-dev: not found when trying to read managed cluster nope \(404/,
    );
  });

  it("exits 2 with one line when ARM cannot be reached (after the SDK's retries)", async () => {
    const run = await aksguardAsync(['scan', '--azure', '--arm-endpoint', 'https://127.0.0.1:9'], emulator.env());
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'azure:/subscriptions: cannot reach https://127.0.0.1:9 (ECONNREFUSED) to list subscriptions: check the network or proxy (HTTPS_PROXY)\n',
    );
  });

  it('survives a slow answer and a 500 that succeeds on retry', async () => {
    emulator.faults.push({ path: /maintenanceConfigurations$/, delayMs: 1_500, times: 1 });
    emulator.faults.push({ path: /upgradeProfiles\/default$/, status: 500, times: 1 });
    const run = await scanAzure();
    expect(run.code).not.toBe(2);
    expect(emulator.requests.some((r) => r.status === 500)).toBe(true);
    expect((JSON.parse(run.stdout) as ScanResult).targets).toHaveLength(3);
  });
});

describe('scan --azure without a credential', () => {
  it('exits 2 within 15 s with one line saying how to sign in', async () => {
    // Developer credentials only (none is installed here), so no metadata endpoint outside this machine is probed.
    const run = await aksguardAsync(
      ['scan', '--azure', '--arm-endpoint', 'https://127.0.0.1:9'],
      { AZURE_TOKEN_CREDENTIALS: 'dev', AZURE_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'no-az-')) },
      15_000,
    );
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^azure: no Azure credential found: sign in with `az login`.*AZURE_CLIENT_SECRET/);
  });
});
