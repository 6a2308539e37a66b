import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeconfig } from '../../src/kube/kubeconfig.js';
import { readCluster } from '../../src/kube/read.js';
import { InputError } from '../../src/model/errors.js';
import type { ScanResult } from '../../src/model/result.js';
import { aksguardAsync } from '../support/cli.js';
import { FakeKube } from '../support/fake-kube/index.js';
import { CANARY_TOKEN, seedSampleCluster } from '../support/fake-kube/sample-cluster.js';
import { hostileStatus } from '../support/misbehave.js';

const NAMESPACES = 44;
const PODS_PER_NAMESPACE = 12;
const PODS = NAMESPACES * PODS_PER_NAMESPACE;

describe('scan --kubeconfig against a live API server (fake, real HTTPS)', () => {
  let kube: FakeKube;
  let dir: string;
  let kubeconfig: string;

  beforeAll(async () => {
    kube = await FakeKube.start({ token: 'live-token' });
    seedSampleCluster(kube.store, { namespaces: NAMESPACES, podsPerNamespace: PODS_PER_NAMESPACE, nodes: 6 });
    dir = mkdtempSync(join(tmpdir(), 'aksguard-live-'));
    kubeconfig = kube.writeKubeconfig(dir, { context: 'prod', cluster: 'prod-weu' });
  });
  afterAll(async () => {
    await kube.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    kube.faults.length = 0;
  });

  const scan = (...args: string[]) =>
    aksguardAsync(['scan', '--kubeconfig', kubeconfig, '--as-of', '2026-11-28', '--format', 'json', ...args]);

  it(`reads ${PODS} pods in ${NAMESPACES} namespaces in pages of 50, and judges them`, async () => {
    kube.requests.length = 0;
    const run = await scan('--chunk-size', '50');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const podPages = kube.requests.filter((r) => r.path === '/api/v1/pods');
    expect(podPages).toHaveLength(Math.ceil(PODS / 50));
    expect(podPages.every((r) => r.query.get('limit') === '50')).toBe(true);
    expect(podPages.slice(1).every((r) => r.query.get('continue'))).toBe(true);
    expect(kube.requests.every((r) => r.method === 'GET')).toBe(true);

    const report = JSON.parse(run.stdout) as ScanResult;
    expect(report.targets).toEqual([
      { id: 'kube:prod#prod-weu', kind: 'aks-cluster', name: 'prod-weu', source: 'kube:prod' },
    ]);
    const ids = (ruleId: string) =>
      report.findings
        .filter((f) => f.ruleId === ruleId)
        .map((f) => `${f.severity} ${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`);
    expect(ids('workload/privileged-container')).toEqual([
      'critical Deployment/team-00/web',
      'info DaemonSet/kube-system/kured',
    ]);
    expect(ids('rbac/cluster-admin-binding')).toEqual(['high ClusterRoleBinding//oncall-admin']);
    expect(ids('patching/nodes-pending-reboot')).toEqual(['high Node//aks-np1-0']);
    expect(ids('isolation/namespace-without-network-policy')).toHaveLength(NAMESPACES / 2);
    expect(ids('isolation/namespace-without-pod-security')).toHaveLength(NAMESPACES / 2);
    // Pods and ReplicaSets created by a Deployment in the input are judged through the Deployment.
    expect(report.findings.filter((f) => ['Pod', 'ReplicaSet'].includes(f.resource.kind))).toEqual([]);
    expect(`${run.stdout}${run.stderr}`).not.toContain(CANARY_TOKEN);
  });

  it('answers a 500 with one line and exit 2', async () => {
    kube.faults.push({ path: '/api/v1/pods', status: 500, message: 'etcdserver: request timed out', times: 1 });
    const run = await scan();
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'kube:prod: the API server answered 500 InternalError: etcdserver: request timed out to list pods in all namespaces\n',
    );
  });

  it('answers a 403 naming the missing permission', async () => {
    kube.faults.push({ path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', status: 403 });
    const run = await scan();
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^kube:prod: not allowed to list clusterrolebindings in API group rbac\.authorization\.k8s\.io at cluster scope \(403 Forbidden\): grant this identity 'list' on 'clusterrolebindings'/,
    );
  });

  it('answers a connection reset with one line', async () => {
    kube.faults.push({ path: '/apis/apps/v1/deployments', reset: true });
    const run = await scan();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^kube:prod: the connection to https:\/\/127\.0\.0\.1:\d+ was reset during list deployments in API group apps in all namespaces \(ECONNRESET\); try again\n$/,
    );
  });

  it('answers a paging failure in the middle of a list with one line', async () => {
    kube.faults.push({
      path: '/api/v1/pods',
      when: ({ url }) => url.searchParams.has('continue'),
      status: 503,
      times: 1,
    });
    const run = await scan('--chunk-size', '50');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^kube:prod: the API server answered 503 ServiceUnavailable: injected fault to list pods in all namespaces\n$/,
    );
  });

  it('restarts a list once when its continue token has expired (410)', async () => {
    kube.requests.length = 0;
    kube.faults.push({
      path: '/api/v1/pods',
      when: ({ url }) => url.searchParams.get('continue') !== null,
      status: 410,
      times: 1,
    });
    const run = await scan('--chunk-size', '50');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const pages = kube.requests.filter((r) => r.path === '/api/v1/pods');
    expect(pages.filter((r) => !r.query.has('continue'))).toHaveLength(2);
    expect(pages).toHaveLength(2 + Math.ceil(PODS / 50));
    const report = JSON.parse(run.stdout) as ScanResult;
    expect(report.findings.filter((f) => f.ruleId === 'workload/privileged-container')).toHaveLength(2);
  });

  it('gives up on a server that does not answer in time', async () => {
    kube.faults.push({ path: '/api/v1/nodes', delayMs: 3000, times: 1 });
    const run = await scan('--request-timeout', '500ms');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^kube:prod: the API server https:\/\/127\.0\.0\.1:\d+ did not answer within 0\.5 s to list nodes at cluster scope \(timeout\)\n$/,
    );
  });

  it('names expired credentials (401)', async () => {
    const stale = kube.writeKubeconfig(dir, { context: 'stale', cluster: 'prod-weu', token: 'expired' });
    const run = await aksguardAsync(['scan', '--kubeconfig', stale]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^kube:stale: the API server .* rejected the credentials \(401 Unauthorized\).*az aks get-credentials -g <rg> -n prod-weu\n$/,
    );
  });

  it('names an unreachable server', async () => {
    const closed = await FakeKube.start();
    const file = closed.writeKubeconfig(dir, { context: 'gone' });
    await closed.close();
    const run = await aksguardAsync(['scan', '--kubeconfig', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^kube:gone: cannot reach the API server https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('names a missing kubeconfig and an unknown context', async () => {
    const missing = await aksguardAsync(['scan', '--kubeconfig', join(dir, 'nope.yaml')]);
    expect(missing).toMatchObject({ code: 2, stderr: `${join(dir, 'nope.yaml')}: no such kubeconfig file\n` });
    const context = await aksguardAsync(['scan', '--kubeconfig', kubeconfig, '--context', 'staging']);
    expect(context.code).toBe(2);
    expect(context.stderr).toMatch(
      /^aksguard: no context 'staging' in .* \(contexts: prod\); pick one with --context\n$/,
    );
  });

  it('aksguard nodes: one row per node, worst first, exit 1', async () => {
    const run = await aksguardAsync(['nodes', '--kubeconfig', kubeconfig, '--as-of', '2026-11-28', '--format', 'json']);
    expect(run.code).toBe(1);
    const { nodes, summary } = JSON.parse(run.stdout) as { nodes: Record<string, unknown>[]; summary: unknown };
    expect(summary).toEqual({ nodes: 6, failing: 1 });
    expect(nodes[0]).toEqual({
      cluster: 'prod-weu',
      target: 'kube:prod#prod-weu',
      node: 'aks-np1-0',
      pool: 'np1',
      os: 'linux',
      image: 'AKSUbuntu-2204gen2containerd-202611.20.0',
      imageAgeDays: 8,
      kubelet: 'v1.35.4',
      ready: true,
      cordoned: false,
      rebootRequiredSince: '2026-11-21T03:00:00.000Z',
      coordinator: 'kured',
      problems: ['patching/nodes-pending-reboot'],
    });
    expect(nodes.find((n) => n.node === 'aks-np1-1')).toMatchObject({ cordoned: true, problems: [] });
  });

  // In process, where caps can be small; the misbehaving servers a user meets run in test/robustness.
  it('a Retry-After of an hour is capped (in process, with a small cap)', async () => {
    kube.faults.push({ path: '/api/v1/nodes', status: 429, headers: { 'Retry-After': '3600' }, times: 2 });
    const waits: string[] = [];
    const access = loadKubeconfig({ path: kubeconfig, env: {} });
    const started = Date.now();
    const fragment = await readCluster({ access, maxWaitMs: 200, onWait: (line) => waits.push(line) });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(waits).toEqual([
      'kube:prod: the API server answered 429 Too Many Requests to GET /api/v1/nodes; waiting 0.2 s (the server asked for 3600 s; aksguard waits at most 0.2 s) before retry 1 of 4',
      'kube:prod: the API server answered 429 Too Many Requests to GET /api/v1/nodes; waiting 0.2 s (the server asked for 3600 s; aksguard waits at most 0.2 s) before retry 2 of 4',
    ]);
    expect(fragment.kubernetes?.[0]?.objects.some((o) => (o.value as { kind: string }).kind === 'Node')).toBe(true);
  });

  it('429 that never stops is an error after a few capped retries', async () => {
    kube.faults.push({ path: '/api/v1/nodes', status: 429, headers: { 'Retry-After': '0' } });
    const access = loadKubeconfig({ path: kubeconfig, env: {} });
    const error = await readCluster({ access, maxWaitMs: 10 }).catch((e: unknown) => e);
    expect((error as InputError).oneLine).toMatch(
      /^kube:prod: the API server answered 429 TooManyRequests: injected fault to list nodes/,
    );
  });

  it('a Status message is shown with its escapes, never obeyed; a password in the server URL never', async () => {
    kube.faults.push({ path: '/api/v1/nodes', raw: hostileStatus(500), times: 1 });
    const text = readFileSync(kubeconfig, 'utf8').replace('https://127.0.0.1', 'https://admin:hunter2@127.0.0.1');
    const withPassword = join(dir, 'kubeconfig-password.yaml');
    writeFileSync(withPassword, text);
    const access = loadKubeconfig({ path: withPassword, env: {} });
    const error = (await readCluster({ access }).catch((e: unknown) => e)) as InputError;
    expect(error.oneLine).toBe(
      'kube:prod: the API server answered 500 InternalError: boom\\u001b]52;c;ZXZpbA==\\u0007\\u001b[2J\\u000dforged line to list nodes at cluster scope',
    );
    const fragment = await readCluster({ access });
    expect(fragment.kubernetes?.[0]?.cluster?.server).toMatch(/^https:\/\/\(sensitive\)@127\.0\.0\.1:\d+$/);
    writeFileSync(withPassword, text.replace('live-token', 'expired'));
    const expired = (await readCluster({ access: loadKubeconfig({ path: withPassword, env: {} }) }).catch(
      (e: unknown) => e,
    )) as InputError;
    expect(expired.oneLine).toMatch(/^kube:prod: the API server https:\/\/\(sensitive\)@127\.0\.0\.1:\d+ rejected/);
    expect(expired.oneLine).not.toContain('hunter2');
  });

  it('more objects than the scan takes is refused', async () => {
    const access = loadKubeconfig({ path: kubeconfig, env: {} });
    const error = await readCluster({ access, maxObjects: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/more objects than aksguard reads in one scan/);
  });
});
