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
      'kured --ds-name: not carried over: locks are Leases (aksguard-reboot-<i>), not an annotation on the DaemonSet',
      'kured --lock-annotation: not carried over: locks are Leases (aksguard-reboot-<i>), not an annotation on the DaemonSet',
      "kured --lock-ttl: not carried over: kured's 0 never expires a lock; aksguard's slots expire after --lock-ttl (default 60s)",
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

  it('warns when a kured selector with commas becomes several aksguard selectors', async () => {
    const text = KURED_WITH_ENV.replace('--period=5m', '--blocking-pod-selector=runtime=long,cost=expensive');
    const run = await runMain(['deploy', 'reboot-daemon', '--from-kured', write('kured3.yaml', text)]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^kured --blocking-pod-selector: carried over, but aksguard splits it at commas/m);
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
