import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runMain } from '../support/cli.js';
import { fired } from '../support/corpus.js';

/** The examples the README's commands scan: what each is meant to show, shown. */
const scan = async (path: string) => {
  const run = await runMain(['scan', path, '--format', 'json', '--as-of', '2026-11-28']);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) };
};

describe('examples/', () => {
  it("terraform: an open API server, local accounts, a public-IP pool; kured's presence undecided, at their lines", async () => {
    const { code, report } = await scan('examples/terraform');
    expect(code).toBe(1);
    expect(report.targets.map((t: { name: string }) => t.name)).toEqual(['shop-prod']);
    expect(fired(report)).toEqual(
      expect.arrayContaining([
        'control-plane/authorized-ranges-too-broad shop-prod',
        'identity/local-accounts-enabled shop-prod',
        'node-access/node-public-ip batch',
        'patching/reboot-coordinator-missing shop-prod ?',
      ]),
    );
    expect(
      report.findings.every((f: { location?: { file: string } }) => f.location?.file.startsWith('examples/terraform/')),
    ).toBe(true);
  });

  it('kubernetes: a privileged debug pod, the Docker socket, cluster-admin for a pipeline, no network policy', async () => {
    const { code, report } = await scan('examples/kubernetes');
    expect(code).toBe(1);
    expect(fired(report)).toEqual(
      expect.arrayContaining([
        'workload/privileged-container node-debugger',
        'workload/host-path-volume web',
        'rbac/cluster-admin-binding deployer-admin',
        'isolation/namespace-without-network-policy shop',
      ]),
    );
  });

  it('kured: the migration carries the window, selector and Secret over and names what it drops', async () => {
    const run = await runMain(['deploy', 'reboot-daemon', '--from-kured', 'examples/kured/kured-ds.yaml']);
    expect(run.code).toBe(0);
    const daemonSet = parseAllDocuments(run.stdout)
      .map((d) => d.toJS())
      .find((o) => o?.kind === 'DaemonSet');
    const container = daemonSet.spec.template.spec.containers[0];
    expect(container.args).toEqual(
      expect.arrayContaining([
        '--reboot-sentinel=/sentinel/reboot-required',
        '--reboot-days=sat,sun',
        '--start-time=1:00',
        '--end-time=5:00',
        '--time-zone=Europe/Berlin',
        '--blocking-pod-selector=app=batch',
        '--drain-timeout=20m',
      ]),
    );
    expect(container.env).toContainEqual({
      name: 'AKSGUARD_NOTIFY_URL',
      valueFrom: { secretKeyRef: { name: 'kured-slack', key: 'url' } },
    });
    expect(run.stderr).toMatch(/^kured --ds-name: not carried over/m);
  });
});
