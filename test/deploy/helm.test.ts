import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEPLOYABLE_FLAGS } from '../../src/deploy/options.js';
import { DAEMON_FLAGS } from '../../src/reboot/flags.js';
import { ROOT, runMain } from '../support/cli.js';

/**
 * `helm` is not installed here (and not in Debian), so `helm template` is not run. These checks stand in: the
 * values are the generated ones, every daemon flag has a value, and the templates use the values they need and
 * grant what the static manifests grant.
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
    expect(DAEMON_FLAGS.length - DEPLOYABLE_FLAGS.length).toBe(5); // node-name, namespace, pod-name, pod-uid, kubeconfig
    for (const flag of DEPLOYABLE_FLAGS) {
      const value = values.daemon[flag.name];
      const expected =
        flag.name === 'reboot-sentinel'
          ? '/sentinel/reboot-required'
          : (flag.default ?? (flag.kind === 'list' ? undefined : ''));
      if (flag.kind === 'list') expect(value, flag.name).toEqual(flag.default ? flag.default.split(',') : []);
      else if (flag.kind === 'repeated') expect(value, flag.name).toEqual([]);
      else if (flag.kind === 'number' && expected !== '') expect(value, flag.name).toBe(Number(expected));
      else if (flag.kind === 'boolean') expect(value, flag.name).toBe(expected === 'true');
      // Strings stay strings under YAML 1.1: `23:59:59` would otherwise read as the number 86399.
      else expect(value, flag.name).toBe(expected);
    }
  });

  it('templates: every file parses as a template, uses the daemon values, and grants the same RBAC rules', () => {
    const templates = readdirSync(join(CHART, 'templates'));
    expect(templates.sort()).toEqual([
      '_helpers.tpl',
      'daemonset.yaml',
      'networkpolicy.yaml',
      'rbac.yaml',
      'schedule.yaml',
    ]);
    for (const name of templates) {
      const text = read(`templates/${name}`);
      const opens = text.match(/\{\{/g)?.length ?? 0;
      expect(text.match(/\}\}/g)?.length ?? 0, name).toBe(opens);
      for (const include of text.matchAll(/include "([^"]+)"/g)) {
        expect(read('templates/_helpers.tpl'), include[1]).toContain(`define "${include[1]}"`);
      }
    }
    const helpers = read('templates/_helpers.tpl');
    expect(helpers).toContain('range $name, $value := .Values.daemon');
    expect(helpers).toContain('app.kubernetes.io/name: aksguard-reboot-daemon');
    expect(helpers).toMatch(/"reboot-method"\)\) "command"\) .*"reboot-sentinel-command"/);
    const daemonSet = read('templates/daemonset.yaml');
    for (const needed of [
      'hostPID: true',
      'kubernetes.io/os: linux',
      '- operator: Exists',
      'readOnly: true',
      '/healthz',
      '/readyz',
      'index .Values.daemon "metrics-port"',
      '.Values.extraEnv',
      'if .Values.maintenanceSchedule',
      'maxSurge: 0',
      'fieldPath: metadata.uid',
      'with .Values.notifyUrlSecret',
      'secretKeyRef:',
    ]) {
      expect(daemonSet).toContain(needed);
    }
    expect(helpers).toContain('with .Values.image.digest');
    // The rule lines of the chart's RBAC, without templating, as the static manifests' rules in flow style.
    const rbac = read('templates/rbac.yaml');
    const rules = [
      ...rbac.matchAll(
        /- apiGroups: \[(.*)\]\n\s+resources: \[(.*)\]\n(?:\s+resourceNames: \[(.*)\]\n)?\s+verbs: \[(.*)\]/g,
      ),
    ].map((m) => [m[1], m[2], m[3] ?? '*', m[4]].join(' | '));
    expect(rules).toEqual([
      '"" | nodes | * | get, list, watch, patch',
      '"" | pods | * | get, list, watch',
      '"" | pods/eviction | * | create',
      '"" | events | * | create, patch',
      'coordination.k8s.io | leases | * | create',
      'coordination.k8s.io | leases | aksguard-reboot | get, list, watch, update',
    ]);
  });

  it('--helm-values: a digest and the webhook Secret become their own values', async () => {
    const digest = `sha256:${'0f'.repeat(32)}`;
    const run = await runMain([
      'deploy',
      'reboot-daemon',
      '--helm-values',
      '--image',
      `ghcr.io/aksguard/aksguard:0.1.0@${digest}`,
      '--notify-url-secret',
      'reboot-webhook',
    ]);
    expect(run.code).toBe(0);
    const values = parse(run.stdout, { version: '1.1' }) as {
      image: Record<string, string>;
      notifyUrlSecret: string;
      daemon: Record<string, unknown>;
    };
    expect(values.image).toMatchObject({ repository: 'ghcr.io/aksguard/aksguard', tag: '0.1.0', digest });
    expect(values.notifyUrlSecret).toBe('reboot-webhook');
    expect(values.daemon['notify-url']).toEqual([]);
  });
});
