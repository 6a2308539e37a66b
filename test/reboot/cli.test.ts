import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aksguard, ROOT } from '../support/cli.js';
import { FakeKube } from '../support/fake-kube/index.js';

describe('aksguard reboot-daemon (the built CLI)', () => {
  it('lists every flag with its default and environment variable in --help', () => {
    const run = aksguard(['reboot-daemon', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--reboot-days <value,...>');
    expect(run.stdout).toContain('AKSGUARD_REBOOT_DAYS');
    expect(run.stdout).toContain('default 60s');
    expect(run.stdout).toContain('--max-unavailable-per-pool');
  });

  it('rejects a bad flag with one line and exit 2', () => {
    const run = aksguard(['reboot-daemon', '--node-name', 'n1', '--reboot-days', 'someday']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      "aksguard: --reboot-days: 'someday' is not a day (su,mo,tu,we,th,fr,sa)",
    ]);
  });

  it('takes the node name from AKSGUARD_NODE_NAME and says when it is missing', () => {
    const run = aksguard(['reboot-daemon'], { env: { AKSGUARD_NODE_NAME: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--node-name \(or AKSGUARD_NODE_NAME\) is required/);
  });

  describe('against the fake API server, --dry-run', () => {
    let kube: FakeKube;
    let dir: string;
    beforeAll(async () => {
      kube = await FakeKube.start();
      dir = mkdtempSync(join(tmpdir(), 'aksguard-daemon-'));
      kube.store.seed(
        {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: 'n1', labels: { 'kubernetes.azure.com/agentpool': 'pool1' } },
          status: {
            conditions: [{ type: 'Ready', status: 'True' }],
            nodeInfo: { bootID: 'b1', kubeletVersion: 'v1.33.2' },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: 'web',
            namespace: 'default',
            ownerReferences: [{ kind: 'ReplicaSet', name: 'w', apiVersion: 'apps/v1', uid: 'u' }],
          },
          spec: { nodeName: 'n1' },
          status: { phase: 'Running' },
        },
      );
      writeFileSync(join(dir, 'reboot-required'), '');
    });
    afterAll(async () => {
      await kube.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('cordons, records and undoes it without evicting or rebooting; serves health and metrics; exits 0 on SIGTERM', async () => {
      const child = spawn(
        process.execPath,
        [
          'bin/aksguard',
          'reboot-daemon',
          '--kubeconfig',
          kube.writeKubeconfig(dir),
          '--reboot-sentinel',
          join(dir, 'reboot-required'),
          '--namespace',
          'kube-system',
          '--metrics-host',
          '127.0.0.1',
          '--metrics-port',
          '0',
          '--dry-run',
        ],
        { cwd: ROOT, env: { ...process.env, AKSGUARD_NODE_NAME: 'n1' } },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const until = async (check: () => boolean) => {
        for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
        if (!check()) throw new Error(`the daemon did not get there; its output:\n${output}`);
      };
      const reasons = () => kube.store.list(kube.store.types.byKind('v1', 'Event') as never).map((e) => e.reason);
      await until(() => reasons().includes('RebootSkipped'));
      expect(reasons()).toEqual(expect.arrayContaining(['RebootDrain', 'Rebooting', 'RebootSkipped']));
      expect(kube.evictions).toEqual([]);
      const node = kube.store.get(kube.store.types.byKind('v1', 'Node') as never, undefined, 'n1');
      expect((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable ?? false).toBe(false);
      expect(kube.requests.some((r) => r.method === 'PATCH' && r.path === '/api/v1/nodes/n1')).toBe(true);

      const started = output.split('\n').find((line) => line.includes('reboot daemon started')) as string;
      const port = (JSON.parse(started) as { metricsPort: number }).metricsPort;
      const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
      expect((await get('/healthz')).status).toBe(200);
      const metrics = await (await get('/metrics')).text();
      expect(metrics).toContain('aksguard_reboots_total{node="n1",result="dry-run"} 1');
      expect(metrics).toContain('aksguard_reboot_required{node="n1"} 1');
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = (await get('/readyz')).status;
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(ready).toBe(200);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }, 30_000);
  });
});
