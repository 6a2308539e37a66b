import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { DAEMON_FLAGS } from '../../src/reboot/flags.js';
import { CORPUS, runMain } from '../support/cli.js';
import { itWith } from '../support/layer.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed manifests, read by path in assertions that fail when a path is wrong
type Obj = Record<string, any>;

const KURED_DS = join(CORPUS, 'kubernetes/kubereboot/kured/kured-ds.yaml');
const dir = mkdtempSync(join(tmpdir(), 'aksguard-kured-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const daemonArgs = (yaml: string): string[] => {
  const ds = parseAllDocuments(yaml)
    .map((d) => d.toJS() as Obj)
    .find((o) => o.kind === 'DaemonSet') as Obj;
  return ds.spec.template.spec.containers[0].args;
};

/** A kured DaemonSet as people run it: flags in args (both spellings), settings in KURED_* variables. */
const KURED_WITH_ENV = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: kured, namespace: kube-system}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kured, namespace: kube-system}
spec:
  selector: {matchLabels: {name: kured}}
  template:
    metadata: {labels: {name: kured}}
    spec:
      containers:
        - name: sidecar
          image: registry.example.com/log-shipper:1
        - name: kured
          image: ghcr.io/kubereboot/kured:1.17.1
          command: [/usr/bin/kured]
          args:
            - --period=5m
            - --reboot-days
            - mon,tue,wed
            - --ds-name=kured
            - --lock-annotation=example.com/lock
            - --force-reboot
            - --lock-ttl=0
            - --message-template-uncordon=Node %s is back
            - --drain-pod-selector=""
          env:
            - {name: KURED_NODE_ID, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
            - {name: KURED_PERIOD, value: "1h"}
            - {name: KURED_START_TIME, value: "2:00"}
            - {name: KURED_END_TIME, value: "5:30"}
            - {name: KURED_TIME_ZONE, value: Europe/Berlin}
            - {name: KURED_CONCURRENCY, value: "2"}
            - {name: KURED_BLOCKING_POD_SELECTOR, value: "app=batch"}
            - {name: KURED_NOTIFY_URL, valueFrom: {secretKeyRef: {name: kured, key: url}}}
            - {name: KURED_ANNOTATE_NODES, value: "true"}
            - {name: OTHER, value: "ignored"}
`;

describe('aksguard deploy reboot-daemon --from-kured', () => {
  itWith('corpus')(
    "carries over kured's own DaemonSet (corpus): the sentinel path, nothing lost, nothing reported",
    async () => {
      const run = await runMain(['deploy', 'reboot-daemon', '--from-kured', KURED_DS]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      // kured reads /sentinel/reboot-required from the same host mount, so the manifests keep it.
      expect(daemonArgs(run.stdout)).toEqual(['reboot-daemon', '--reboot-sentinel=/sentinel/reboot-required']);
    },
  );

  itWith('corpus')(
    "with every flag kured's DaemonSet documents switched on, each is carried over or named on stderr",
    async () => {
      // The corpus file lists kured's flags as comments; uncommented here, in memory.
      const text = readFileSync(KURED_DS, 'utf8').replace(/^#(\s+- --)/gm, '$1');
      const kuredFlags = [...new Set([...text.matchAll(/^\s+- --([a-z-]+)/gm)].map((m) => m[1] as string))];
      expect(kuredFlags.length).toBeGreaterThan(35);
      const run = await runMain(['deploy', 'reboot-daemon', '--from-kured', write('kured-all.yaml', text)]);
      expect(run.code).toBe(0);
      const args = daemonArgs(run.stdout).join('\n');
      const lost = kuredFlags.filter((name) => {
        const ours = name === 'slack-hook-url' ? 'notify-url' : DAEMON_FLAGS.find((f) => f.kured === name)?.name;
        const quiet = new RegExp(`--${name}=("")?( |$)`, 'm').test(text) || name === 'alert-filter-match-only';
        return !(ours && args.includes(`--${ours}=`)) && !run.stderr.includes(`kured --${name}:`) && !quiet;
      });
      expect(lost).toEqual([]);
      expect(args).toContain('--message-template-done=Node %s rebooted & uncordoned successfully!');
      expect(args).toContain('--notify-url=https://hooks.slack.com/...');
      expect(args).toContain('--reboot-delay=90s');
    },
  );

  it('translates arguments and KURED_* variables (the command line wins) and names each setting it drops', async () => {
    const run = await runMain(['deploy', 'reboot-daemon', '--from-kured', write('kured.yaml', KURED_WITH_ENV)]);
    expect(run.code).toBe(0);
    expect(daemonArgs(run.stdout)).toEqual([
      'reboot-daemon',
      '--reboot-sentinel=/sentinel/reboot-required',
      '--period=5m',
      '--reboot-days=mon,tue,wed',
      '--start-time=2:00',
      '--end-time=5:30',
      '--time-zone=Europe/Berlin',
      '--blocking-pod-selector=app=batch',
      '--concurrency=2',
      '--force-reboot=true',
      '--message-template-done=Node %s is back',
    ]);
    // The webhook stays in its Secret: the daemon reads AKSGUARD_<FLAG> variables like flags.
    const ds = parseAllDocuments(run.stdout)
      .map((d) => d.toJS() as Obj)
      .find((o) => o.kind === 'DaemonSet') as Obj;
    expect(ds.spec.template.spec.containers[0].env).toContainEqual({
      name: 'AKSGUARD_NOTIFY_URL',
      valueFrom: { secretKeyRef: { name: 'kured', key: 'url' } },
    });
    expect(run.stdout).not.toContain('KURED_');
    expect(run.stderr.trim().split('\n')).toEqual([
      "kured env KURED_NOTIFY_URL: carried over as AKSGUARD_NOTIFY_URL from Secret kured: copy it to the daemon's namespace",
      'kured env KURED_ANNOTATE_NODES: not carried over: the daemon always annotates nodes (aksguard.io/reboot-required-since, aksguard.io/reboot-state)',
      'kured --ds-name: not carried over: the lock is the Lease aksguard-reboot in the daemon’s namespace, not an annotation on the DaemonSet',
      'kured --lock-annotation: not carried over: the lock is the Lease aksguard-reboot in the daemon’s namespace, not an annotation on the DaemonSet',
      'kured --lock-ttl: the default --lock-ttl (60s) instead: aksguard holds a slot through the reboot too, and --lock-ttl only frees the slot of a holder that vanished while its node is healthy',
    ]);
  });

  it('flags given on the command line win over the translated ones; --helm-values carries the same settings', async () => {
    const file = write('kured2.yaml', KURED_WITH_ENV);
    const run = await runMain(['deploy', 'reboot-daemon', '--from-kured', file, '--concurrency=3']);
    expect(daemonArgs(run.stdout)).toContain('--concurrency=3');
    expect(daemonArgs(run.stdout)).not.toContain('--concurrency=2');
    const values = await runMain(['deploy', 'reboot-daemon', '--from-kured', file, '--helm-values']);
    const daemon = (parse(values.stdout, { version: '1.1' }) as Obj).daemon;
    expect(daemon).toMatchObject({
      period: '5m',
      'reboot-days': ['mon', 'tue', 'wed'],
      'start-time': '2:00',
      'time-zone': 'Europe/Berlin',
      concurrency: 2,
      'force-reboot': true,
      'lock-ttl': '60s',
    });
  });

  it('refuses a kured value the daemon would not take (dropping it could widen the window), unless overridden here', async () => {
    const file = write('kured-pm.yaml', KURED_WITH_ENV.replace('value: "2:00"', 'value: "10pm"'));
    const run = await runMain(['deploy', 'reboot-daemon', '--from-kured', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `${file}: kured env KURED_START_TIME: --start-time: expected a time like 2:00 or 23:59:59 (got '10pm'); give --start-time to this command to choose a value aksguard takes\n`,
    );
    const fixed = await runMain(['deploy', 'reboot-daemon', '--from-kured', file, '--start-time=22:00']);
    expect(fixed.code).toBe(0);
    expect(daemonArgs(fixed.stdout)).toContain('--start-time=22:00');
  });

  it('carries a kured selector with commas over whole: one selector, both labels, as kured reads it', async () => {
    const text = KURED_WITH_ENV.replace('--period=5m', '--blocking-pod-selector=runtime=long,cost=expensive');
    const run = await runMain(['deploy', 'reboot-daemon', '--from-kured', write('kured3.yaml', text)]);
    expect(run.code).toBe(0);
    expect(daemonArgs(run.stdout)).toContain('--blocking-pod-selector=runtime=long,cost=expensive');
    expect(run.stderr).not.toMatch(/blocking-pod-selector/);
  });

  it('carries the kured flags aksguard now has too: release delay, PreferNoSchedule taint, skip-wait, match-only', async () => {
    const text = KURED_WITH_ENV.replace(
      '--period=5m',
      '--period=5m\n            - --lock-release-delay=10m\n            - --prefer-no-schedule-taint=weave.works/kured-node-reboot\n            - --skip-wait-for-delete-timeout=120\n            - --alert-filter-regexp=^RebootRequired$\n            - --alert-filter-match-only',
    );
    const run = await runMain(['deploy', 'reboot-daemon', '--from-kured', write('kured4.yaml', text)]);
    expect(run.code).toBe(0);
    expect(daemonArgs(run.stdout)).toEqual(
      expect.arrayContaining([
        '--lock-release-delay=10m',
        '--prefer-no-schedule-taint=weave.works/kured-node-reboot',
        '--skip-wait-for-delete-timeout=120',
        '--alert-filter-match-only=true',
      ]),
    );
    expect(run.stderr).not.toMatch(/lock-release-delay|prefer-no-schedule|skip-wait|match-only/);
  });

  it('a flag that needs another is judged with it: --alert-filter-match-only without a filter is refused', async () => {
    const text = KURED_WITH_ENV.replace('--period=5m', '--alert-filter-match-only');
    const file = write('kured6.yaml', text);
    const run = await runMain(['deploy', 'reboot-daemon', '--from-kured', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `${file}: kured --alert-filter-match-only: --alert-filter-match-only needs --alert-filter-regexp (without it no alert would block); give --alert-filter-match-only to this command to choose a value aksguard takes\n`,
    );
    const fixed = await runMain(['deploy', 'reboot-daemon', '--from-kured', file, '--alert-filter-regexp=^Reboot']);
    expect(fixed.code).toBe(0);
  });

  it('--notify-url-secret wins over the webhook kured had, from its arguments or its Secret', async () => {
    const run = await runMain([
      'deploy',
      'reboot-daemon',
      '--from-kured',
      write('kured5.yaml', KURED_WITH_ENV),
      '--notify-url-secret',
      'reboot-webhook',
    ]);
    expect(run.code).toBe(0);
    const ds = parseAllDocuments(run.stdout)
      .map((d) => d.toJS() as Obj)
      .find((o) => o.kind === 'DaemonSet') as Obj;
    const notify = ds.spec.template.spec.containers[0].env.filter((e: Obj) => e.name === 'AKSGUARD_NOTIFY_URL');
    expect(notify).toEqual([
      { name: 'AKSGUARD_NOTIFY_URL', valueFrom: { secretKeyRef: { name: 'reboot-webhook', key: 'url' } } },
    ]);
  });

  describe('the sentinel: the daemon reads the file kured read, on the node, through its own mount', () => {
    /** The node's file behind the DaemonSet's --reboot-sentinel: through the mount that holds it, to its hostPath. */
    const sentinelOnNode = (yaml: string): string => {
      const spec = (
        parseAllDocuments(yaml)
          .map((d) => d.toJS() as Obj)
          .find((o) => o.kind === 'DaemonSet') as Obj
      ).spec.template.spec;
      const container = spec.containers[0];
      const path = (container.args as string[])
        .find((a) => a.startsWith('--reboot-sentinel='))
        ?.split('=')[1] as string;
      const mount = (container.volumeMounts as Obj[]).find((m) => path.startsWith(`${m.mountPath}/`)) as Obj;
      expect(mount.readOnly).toBe(true);
      const volume = (spec.volumes as Obj[]).find((v) => v.name === mount.name) as Obj;
      return `${volume.hostPath.path}${path.slice(mount.mountPath.length)}`;
    };
    const kuredWith = (name: string, args: string, mounts = '', volumes = '') =>
      write(
        name,
        KURED_WITH_ENV.replace('--period=5m', `--period=5m\n${args}`)
          .replace('          env:\n', `${mounts}          env:\n`)
          .replace('      containers:\n', `${volumes}      containers:\n`),
      );

    it.each([
      [
        'a host path (kured ran test -f on the node)',
        '            - --reboot-sentinel=/var/run/reboot-required',
        '',
        '',
        '/var/run/reboot-required',
      ],
      [
        'another host directory',
        '            - --reboot-sentinel=/var/lib/patching/needs-reboot',
        '',
        '',
        '/var/lib/patching/needs-reboot',
      ],
      [
        "kured's own /sentinel mount of the node's /var/run",
        '            - --reboot-sentinel=/sentinel/reboot-required',
        '          volumeMounts: [{name: sentinel, mountPath: /sentinel, readOnly: true}]\n',
        '      volumes: [{name: sentinel, hostPath: {path: /var/run, type: Directory}}]\n',
        '/var/run/reboot-required',
      ],
      [
        "a mount of the node's root",
        '            - --reboot-sentinel\n            - /host/etc/update/reboot-required',
        '          volumeMounts: [{name: root, mountPath: /host}]\n',
        '      volumes: [{name: root, hostPath: {path: /}}]\n',
        '/etc/update/reboot-required',
      ],
    ])('%s', async (_name, args, mounts, volumes, onNode) => {
      const file = kuredWith('kured-sentinel.yaml', args, mounts, volumes);
      const run = await runMain(['deploy', 'reboot-daemon', '--from-kured', file]);
      expect(run.code).toBe(0);
      expect(sentinelOnNode(run.stdout)).toBe(onNode);
      // The daemon's flag is a path in the pod, under the read-only mount, never the node's path as kured wrote it.
      expect(daemonArgs(run.stdout)).toContain(`--reboot-sentinel=/sentinel/${onNode.split('/').at(-1)}`);
      const values = await runMain(['deploy', 'reboot-daemon', '--from-kured', file, '--helm-values']);
      const parsed = parse(values.stdout, { version: '1.1' }) as Obj;
      expect(`${parsed.sentinelHostDir}${parsed.daemon['reboot-sentinel'].slice('/sentinel'.length)}`).toBe(onNode);
    });

    it('a --reboot-sentinel given to this command is the node’s file too; one in / is refused on one line', async () => {
      const run = await runMain(['deploy', 'reboot-daemon', '--reboot-sentinel', '/run/reboot-required']);
      expect(run.code).toBe(0);
      expect(sentinelOnNode(run.stdout)).toBe('/run/reboot-required');
      expect(sentinelOnNode((await runMain(['deploy', 'reboot-daemon'])).stdout)).toBe('/var/run/reboot-required');
      const bad = await runMain(['deploy', 'reboot-daemon', '--reboot-sentinel', '/reboot-required']);
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr.trim().split('\n')).toEqual([
        "aksguard: --reboot-sentinel: '/reboot-required' is not a file in a directory of the node (the pod mounts that directory at /sentinel; / is not mounted)",
      ]);
    });
  });

  it.each([
    ['no DaemonSet', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: kured}\n', /: no DaemonSet in this file/],
    ['broken YAML', 'kind: DaemonSet\n  spec: [\n', /:\d+:\d+: invalid YAML/],
  ])('refuses a file with %s on one line, exit 2', async (_name, text, message) => {
    const run = await runMain(['deploy', 'reboot-daemon', '--from-kured', write('bad.yaml', text)]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});
