import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT, runMain } from '../support/cli.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed manifests, read by path in assertions that fail when a path is wrong
type Obj = Record<string, any>;

const dir = mkdtempSync(join(tmpdir(), 'aksguard-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const deploy = (...args: string[]) => runMain(['deploy', 'reboot-daemon', ...args]);
const objects = (yaml: string): Obj[] => parseAllDocuments(yaml).map((d) => d.toJS() as Obj);
const byKind = (list: Obj[], kind: string): Obj => {
  const found = list.filter((o) => o.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as Obj;
};
const container = (list: Obj[]): Obj => byKind(list, 'DaemonSet').spec.template.spec.containers[0];

/** A rule as a set of `group/resource:verb` grants, so order and grouping do not matter but every grant does. */
const grants = (rules: Obj[]): string[] =>
  rules
    .flatMap((r) =>
      (r.apiGroups as string[]).flatMap((g) =>
        (r.resources as string[]).flatMap((res) => (r.verbs as string[]).map((v) => `${g}/${res}:${v}`)),
      ),
    )
    .sort();

describe('aksguard deploy reboot-daemon', () => {
  it('the committed deploy/reboot-daemon manifests are the default output (regenerate: aksguard deploy reboot-daemon)', async () => {
    const run = await deploy();
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(readFileSync(join(ROOT, 'deploy/reboot-daemon/reboot-daemon.yaml'), 'utf8')).toBe(run.stdout);
  });

  it('grants exactly the RBAC REBOOT.md lists, cluster-wide and in its namespace, bound to its ServiceAccount', async () => {
    const list = objects((await deploy()).stdout);
    expect(list.map((o) => o.kind)).toEqual([
      'Namespace',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'NetworkPolicy',
      'DaemonSet',
    ]);
    expect(grants(byKind(list, 'ClusterRole').rules)).toEqual(
      [
        '/nodes:get',
        '/nodes:list',
        '/nodes:watch',
        '/nodes:patch',
        '/pods:list',
        '/pods:watch',
        '/pods:get',
        '/pods/eviction:create',
        '/events:create',
        '/events:patch',
      ].sort(),
    );
    const role = byKind(list, 'Role');
    expect(role.metadata.namespace).toBe('aksguard-system');
    expect(grants(role.rules)).toEqual(
      ['get', 'list', 'watch', 'create', 'update'].map((v) => `coordination.k8s.io/leases:${v}`).sort(),
    );
    // …on the one Lease: all but create (which RBAC cannot restrict by name) name it.
    expect(role.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        resourceNames: ['aksguard-reboot'],
        verbs: ['get', 'list', 'watch', 'update'],
      },
    ]);
    // No other object grants anything: the only roles are these two.
    expect(list.filter((o) => /Role$/.test(o.kind))).toHaveLength(2);
    for (const binding of [byKind(list, 'ClusterRoleBinding'), byKind(list, 'RoleBinding')]) {
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'aksguard-reboot-daemon', namespace: 'aksguard-system' },
      ]);
    }
    expect(byKind(list, 'ClusterRoleBinding').roleRef.kind).toBe('ClusterRole');
    expect(byKind(list, 'RoleBinding').roleRef).toMatchObject({ kind: 'Role', name: role.metadata.name });
    expect(byKind(list, 'DaemonSet').spec.template.spec.serviceAccountName).toBe(
      byKind(list, 'ServiceAccount').metadata.name,
    );
  });

  it('the DaemonSet: scanner label, host PIDs, Linux nodes, every taint tolerated, sentinel read-only, probes on the metrics port', async () => {
    const list = objects((await deploy()).stdout);
    const ds = byKind(list, 'DaemonSet');
    const pod = ds.spec.template.spec;
    expect(ds.metadata.labels['app.kubernetes.io/name']).toBe('aksguard-reboot-daemon');
    expect(ds.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'aksguard-reboot-daemon' });
    expect(pod.hostPID).toBe(true);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    // Never a second daemon pod on a node during an update: one actor per node.
    expect(ds.spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    const c = container(list);
    expect(c.args).toEqual(['reboot-daemon', '--reboot-sentinel=/sentinel/reboot-required']);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.volumeMounts).toContainEqual({ name: 'sentinel', mountPath: '/sentinel', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'sentinel', hostPath: { path: '/var/run', type: 'Directory' } });
    expect(c.env.map((e: Obj) => [e.name, e.valueFrom.fieldRef.fieldPath])).toEqual([
      ['AKSGUARD_NODE_NAME', 'spec.nodeName'],
      ['AKSGUARD_NAMESPACE', 'metadata.namespace'],
      ['AKSGUARD_POD_NAME', 'metadata.name'],
      ['AKSGUARD_POD_UID', 'metadata.uid'],
    ]);
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
  });

  it('the command method runs privileged (nsenter); the signal method drops privileged and adds only CAP_KILL', async () => {
    expect(container(objects((await deploy()).stdout)).securityContext.privileged).toBe(true);
    const signal = container(objects((await deploy('--reboot-method', 'signal')).stdout));
    expect(signal.securityContext).toEqual({
      privileged: false,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'], add: ['KILL'] },
      readOnlyRootFilesystem: true,
      runAsUser: 0,
      runAsNonRoot: false,
    });
    expect(signal.args).toContain('--reboot-method=signal');
    // A sentinel command also runs through nsenter, so it needs privileged even with the signal method.
    const withCommand = container(
      objects((await deploy('--reboot-method=signal', '--reboot-sentinel-command', 'test -f /x')).stdout),
    );
    expect(withCommand.securityContext.privileged).toBe(true);
    expect(withCommand.securityContext.capabilities).toBeUndefined();
  });

  it('passes daemon flags through in the table order, lists repeated, and moves the port with --metrics-port', async () => {
    const run = await deploy(
      '--blocking-pod-selector=app=batch,tier=db',
      '--concurrency',
      '2',
      '--blocking-pod-selector',
      'tier=db',
      '--no-delete-emptydir-data',
      '--metrics-port=9100',
      '--namespace',
      'ops',
      `--image=registry.example.com/aksguard@sha256:${'ab'.repeat(32)}`,
    );
    expect(run.code).toBe(0);
    const list = objects(run.stdout);
    const c = container(list);
    expect(c.args).toEqual([
      'reboot-daemon',
      '--reboot-sentinel=/sentinel/reboot-required',
      '--blocking-pod-selector=app=batch,tier=db',
      '--blocking-pod-selector=tier=db',
      '--concurrency=2',
      '--delete-emptydir-data=false',
      '--metrics-port=9100',
    ]);
    expect(c.ports[0].containerPort).toBe(9100);
    expect(byKind(list, 'NetworkPolicy').spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 9100 }] }]);
    expect(c.image).toBe(`registry.example.com/aksguard@sha256:${'ab'.repeat(32)}`);
    expect(list.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace).map((o) => o.metadata.namespace)).toEqual(
      ['ops', 'ops', 'ops', 'ops', 'ops'],
    );
    expect(byKind(list, 'Namespace').metadata.name).toBe('ops');
  });

  it('ships a --maintenance-schedule file in a ConfigMap the pod reads it from (checked by the daemon’s reader first)', async () => {
    const schedule = JSON.stringify({
      schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Sunday' } },
      durationHours: 4,
      utcOffset: '+01:00',
      startTime: '01:00',
    });
    const file = join(dir, 'schedule.json');
    writeFileSync(file, schedule);
    const list = objects((await deploy('--maintenance-schedule', file)).stdout);
    const configMap = byKind(list, 'ConfigMap');
    expect(configMap.data).toEqual({ 'maintenance-schedule.json': schedule });
    expect(configMap.metadata.namespace).toBe('aksguard-system');
    const c = container(list);
    expect(c.args).toContain('--maintenance-schedule=/etc/aksguard/maintenance-schedule.json');
    expect(c.volumeMounts).toContainEqual({ name: 'schedule', mountPath: '/etc/aksguard', readOnly: true });
    expect(byKind(list, 'DaemonSet').spec.template.spec.volumes).toContainEqual({
      name: 'schedule',
      configMap: { name: configMap.metadata.name },
    });

    writeFileSync(file, JSON.stringify({ schedule: {} }));
    const bad = await deploy('--maintenance-schedule', file);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/schedule\.json: .*maintenance window cannot be read/);
  });

  it.each([
    [['--concurrency', 'two'], /^aksguard: --concurrency: expected a whole number \(got 'two'\)\n$/],
    [['--reboot-method=reboot'], /^aksguard: --reboot-method must be command or signal/],
    [['--node-name', 'n1'], /^aksguard: --node-name is set by the manifests/],
    [['--kubeconfig=/k'], /^aksguard: --kubeconfig is set by the manifests/],
    [['--bogus'], /^aksguard: unknown flag --bogus/],
    [['--period'], /^aksguard: --period needs a value\n$/],
    [['--namespace', 'Not_A_Namespace'], /^aksguard: --namespace: 'Not_A_Namespace' is not a namespace name/],
    [['--from-kured', 'no-such-kured.yaml'], /^no-such-kured.yaml: no such file\n$/],
    [['--image', 'repo@sha256:abc'], /^aksguard: --image: 'repo@sha256:abc' has a malformed digest/],
    [['--image', 'Bad Image'], /^aksguard: --image: 'Bad Image' is not an image reference/],
    [['--notify-url-secret', 'Not_A_Name'], /^aksguard: --notify-url-secret: 'Not_A_Name' is not a Secret name/],
    [
      ['--notify-url-secret', 'hook', '--notify-url', 'https://example.com/x'],
      /^aksguard: give --notify-url or --notify-url-secret, not both/,
    ],
  ])('refuses %j on one line with exit 2', async (args, message) => {
    const run = await deploy(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('--notify-url-secret renders the webhook URL from a Secret: it is never in the DaemonSet’s arguments', async () => {
    const run = await deploy('--notify-url-secret', 'reboot-webhook');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const c = container(objects(run.stdout));
    expect(c.env).toContainEqual({
      name: 'AKSGUARD_NOTIFY_URL',
      valueFrom: { secretKeyRef: { name: 'reboot-webhook', key: 'url' } },
    });
    expect(c.args.join(' ')).not.toContain('notify-url');
    // Given in clear, the URL does end up in the arguments: the command says so.
    const clear = await deploy('--notify-url', 'https://hooks.slack.com/services/T/B/secret');
    expect(clear.code).toBe(0);
    expect(clear.stderr).toMatch(/^--notify-url is written into the DaemonSet in clear; .*--notify-url-secret NAME/);
  });

  it('pins the image by digest, with or without a tag', async () => {
    const digest = `sha256:${'0f'.repeat(32)}`;
    for (const image of [
      `registry.example.org/team/aksguard@${digest}`,
      `registry.example.org/team/aksguard:0.1.0@${digest}`,
    ]) {
      const run = await deploy('--image', image);
      expect(run.code).toBe(0);
      expect(container(objects(run.stdout)).image).toBe(image);
    }
  });
});
