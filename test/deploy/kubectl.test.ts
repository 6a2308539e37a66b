import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Run, runAsync, runMain } from '../support/cli.js';
import { FakeKube } from '../support/fake-kube/index.js';
import { has } from '../support/prerequisites.js';
import { toolPath } from '../support/tools.js';

/**
 * `kubectl apply --dry-run=client` needs an API server for discovery (which kind is which resource) even though it
 * changes nothing; the fake API server answers that. It serves no OpenAPI schema, hence `--validate=false`: kubectl
 * still decodes every document and maps every kind, and fails on a kind or apiVersion the cluster does not serve.
 */
let kube: FakeKube;
let dir: string;
let kubeconfig: string;

function kubectlDryRun(yaml: string): Promise<Run> {
  return runAsync(
    toolPath('kubectl') as string,
    ['apply', '--dry-run=client', '--validate=false', '-o', 'name', '-f', '-'],
    {
      input: yaml,
      env: { ...process.env, KUBECONFIG: kubeconfig },
    },
  );
}

const EXPECTED = [
  'namespace/aksguard-system',
  'serviceaccount/aksguard-reboot-daemon',
  'clusterrole.rbac.authorization.k8s.io/aksguard-reboot-daemon',
  'clusterrolebinding.rbac.authorization.k8s.io/aksguard-reboot-daemon',
  'role.rbac.authorization.k8s.io/aksguard-reboot-daemon',
  'rolebinding.rbac.authorization.k8s.io/aksguard-reboot-daemon',
  'networkpolicy.networking.k8s.io/aksguard-reboot-daemon',
  'daemonset.apps/aksguard-reboot-daemon',
];

describe.runIf(has('kubectl'))('kubectl apply --dry-run=client', () => {
  beforeAll(async () => {
    kube = await FakeKube.start();
    dir = mkdtempSync(join(tmpdir(), 'aksguard-deploy-'));
    kubeconfig = kube.writeKubeconfig(dir);
  });
  afterAll(async () => {
    await kube.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['the default output', []],
    ['the signal method with flags', ['--reboot-method=signal', '--reboot-days', 'mo,tu', '--start-time', '2:00']],
  ])('accepts %s: every object', async (_name, args) => {
    const run = await runMain(['deploy', 'reboot-daemon', ...args]);
    const result = await kubectlDryRun(run.stdout);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(EXPECTED);
  });

  it('accepts the manifests with a maintenance schedule ConfigMap', async () => {
    const file = join(dir, 'schedule.json');
    writeFileSync(
      file,
      JSON.stringify({
        schedule: { daily: { intervalDays: 1 } },
        durationHours: 6,
        utcOffset: '+00:00',
        startTime: '22:00',
      }),
    );
    const run = await runMain(['deploy', 'reboot-daemon', '--maintenance-schedule', file]);
    expect(run.stderr).toBe('');
    const result = await kubectlDryRun(run.stdout);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('configmap/aksguard-reboot-daemon-schedule');
  });

  it('refuses a broken manifest (so the check above can fail)', async () => {
    const run = await runMain(['deploy', 'reboot-daemon']);
    const broken = run.stdout.replace('kind: DaemonSet', 'kind: DaemonSat');
    const result = await kubectlDryRun(broken);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/DaemonSat/);
  });

  it('accepts the committed static manifests', async () => {
    const yaml = readFileSync(new URL('../../deploy/reboot-daemon/reboot-daemon.yaml', import.meta.url), 'utf8');
    expect((await kubectlDryRun(yaml)).code).toBe(0);
  });
});
