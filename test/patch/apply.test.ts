import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aksguardAsync } from '../support/arm-emulator/run.js';
import { type ArmEmulator, startArmEmulator } from '../support/arm-emulator/server.js';
import { defaultWorld, LINUX_LATEST, WINDOWS_LATEST } from '../support/arm-emulator/world.js';
import { ROOT } from '../support/cli.js';

let emulator: ArmEmulator;
beforeEach(async () => {
  emulator = await startArmEmulator(defaultWorld(), { pollsUntilDone: 2 });
});
afterEach(() => emulator.close());

const patch = (args: string[]) =>
  aksguardAsync(
    [
      'patch',
      ...args,
      '--azure',
      '--arm-endpoint',
      emulator.url,
      ...(args[0] === 'apply' ? ['--poll-interval', '1'] : []),
    ],
    emulator.env(),
  );
const starts = () =>
  emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/upgradeNodeImageVersion'));
const poolImage = (cluster: string, pool: string) =>
  emulator.world.clusters.find((c) => c.name === cluster)?.pools.find((p) => p.name === pool)?.properties
    .nodeImageVersion;

describe('aksguard patch against the ARM emulator', () => {
  it('plan ranks the Windows pool two Patch Tuesdays behind first (JSON)', async () => {
    const run = await patch(['plan', '--format', 'json', '--as-of', '2026-11-28']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { pools } = JSON.parse(run.stdout) as {
      pools: {
        cluster: string;
        pool: string;
        os: string;
        action: string;
        releasesBehind: number;
        window: { source: string; nextStart: string };
      }[];
    };
    expect(pools[0]).toMatchObject({
      cluster: 'aks-win',
      pool: 'wnp2',
      os: 'Windows',
      action: 'upgrade',
      releasesBehind: 2,
    });
    expect(pools[0]?.window).toMatchObject({
      source: 'aksManagedNodeOSUpgradeSchedule',
      nextStart: '2026-12-01T20:30:00.000Z',
    });
    expect(pools.map((p) => `${p.cluster}/${p.pool}:${p.action}`)).toEqual([
      'aks-win/wnp2:upgrade',
      'aks-win/nodepool1:upgrade',
      'aks-dev/nodepool1:upgrade',
      'aks-private/nodepool1:none',
    ]);
  });

  it('apply without --yes is a dry run: nothing is started', async () => {
    const run = await patch(['apply']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Dry run: nothing was started/);
    expect(starts()).toHaveLength(0);
  });

  it('apply --yes --now drives each long-running upgrade to completion, one pool per cluster at a time', async () => {
    const run = await patch(['apply', '--yes', '--now']);
    expect(run.stderr).toMatch(/aks-win\/wnp2: started/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/3 upgraded, 0 failed/);
    expect(poolImage('aks-win', 'wnp2')).toBe(WINDOWS_LATEST);
    expect(poolImage('aks-win', 'nodepool1')).toBe(LINUX_LATEST);
    expect(poolImage('aks-dev', 'nodepool1')).toBe(LINUX_LATEST);
    // The SDK polled the Azure-AsyncOperation URL until it said Succeeded.
    const polls = emulator.requests.filter((r) => /\/operations\/op-\d+$/.test(r.path));
    expect(polls.length).toBeGreaterThanOrEqual(3 * 3);
    // aks-win's second pool started only after its first pool's operation ended (Windows first).
    const winStarts = starts().filter((r) => r.path.includes('/aks-win/'));
    expect(winStarts.map((r) => r.path.split('/').at(-2))).toEqual(['wnp2', 'nodepool1']);
    const firstDone = emulator.requests.find(
      (r) => r.path.endsWith('/agentPools/wnp2') && r.method === 'GET' && r.at >= (winStarts[0]?.at ?? 0),
    );
    expect(firstDone?.at ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(winStarts[1]?.at ?? 0);
  });

  it('apply refuses to start outside the maintenance window unless --now', async () => {
    const tomorrow = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][(new Date().getUTCDay() + 1) % 7];
    const run = await patch(['apply', '--yes', '--window', `${tomorrow} 01:00 1h`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/0 upgraded, 0 failed, 3 outside their window/);
    expect(run.stderr).toMatch(/outside its maintenance window \(--window\); the next opens .*pass --now/);
    expect(starts()).toHaveLength(0);
  });

  it('a 403 on starting an upgrade names the role that allows it', async () => {
    emulator.faults.push({ method: 'POST', path: /upgradeNodeImageVersion$/, status: 403, times: 10 });
    const run = await patch(['apply', '--yes', '--now']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /not allowed to upgrade the node image of agent pool wnp2: the signed-in identity needs 'Azure Kubernetes Service Contributor Role'.*\(403 AuthorizationFailed/,
    );
  });

  it('Ctrl-C stops the waiting, not the operation, and says how to watch it', async () => {
    await emulator.close();
    emulator = await startArmEmulator(defaultWorld(), { pollsUntilDone: 1_000 });
    const args = ['patch', 'apply', '--azure', '--arm-endpoint', emulator.url, '--name', 'aks-dev', '--yes', '--now'];
    const child = spawn(process.execPath, ['bin/aksguard', ...args, '--poll-interval', '1'], {
      cwd: ROOT,
      env: { ...process.env, ...emulator.env() },
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!interrupted && /nodepool1: running/.test(stderr)) interrupted = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stdout).toMatch(/still running in Azure/);
    expect(stdout).toContain('az aks nodepool show -g rg-dev --cluster-name aks-dev -n nodepool1');
    // Nothing asked ARM to stop the operation: the pool is still upgrading.
    expect(emulator.requests.some((r) => r.path.endsWith('/abort'))).toBe(false);
    expect(emulator.world.clusters.find((c) => c.name === 'aks-dev')?.pools[0]?.properties.provisioningState).toBe(
      'UpgradingNodeImageVersion',
    );
  });
});
