import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeconfig } from '../../src/kube/kubeconfig.js';
import { readCluster } from '../../src/kube/read.js';
import { InputError } from '../../src/model/errors.js';
import { aksguardAsync, type Run } from '../support/cli.js';
import { FakeKube } from '../support/fake-kube/index.js';
import { seedSampleCluster } from '../support/fake-kube/sample-cluster.js';
import {
  dropMidBody,
  endlessBody,
  hostileStatus,
  htmlPage,
  notJson,
  redirectTo,
  sameContinueToken,
  stallAfterHeaders,
} from '../support/misbehave.js';

/** One line on stderr, exit 2, nothing on stdout, no raw control character: how every failure must look. */
function expectOneLine(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr.trimEnd()).toMatch(pattern);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters is the point
  expect(run.stderr.trimEnd()).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
}

describe('scan --kubeconfig against an API server that misbehaves', () => {
  let kube: FakeKube;
  let dir: string;
  let kubeconfig: string;

  beforeAll(async () => {
    kube = await FakeKube.start({ token: 'live-token' });
    seedSampleCluster(kube.store, { namespaces: 4, podsPerNamespace: 3, nodes: 2 });
    dir = mkdtempSync(join(tmpdir(), 'aksguard-hostile-kube-'));
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

  it('a list body that never ends is cut off with a clear error', async () => {
    kube.faults.push({ path: '/api/v1/pods', raw: endlessBody() });
    const started = Date.now();
    const run = await scan('--request-timeout', '3s');
    expectOneLine(
      run,
      /^kube:prod: the API server https:\/\/127\.0\.0\.1:\d+ (sent too much for one page of list pods in all namespaces \(the answer is larger than 128 MB\); refused|did not answer within 3 s to list pods in all namespaces \(timeout\))$/,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('headers and then silence: the timeout covers the body', async () => {
    kube.faults.push({ path: '/api/v1/nodes', raw: stallAfterHeaders() });
    const run = await scan('--request-timeout', '1s');
    expectOneLine(
      run,
      /^kube:prod: the API server https:\/\/127\.0\.0\.1:\d+ did not answer within 1 s to list nodes at cluster scope \(timeout\)$/,
    );
  });

  it('a connection dropped in the middle of a body is one line and exit 2', async () => {
    kube.faults.push({ path: '/apis/apps/v1/deployments', raw: dropMidBody() });
    const run = await scan();
    expectOneLine(
      run,
      /^kube:prod: the connection to https:\/\/127\.0\.0\.1:\d+ was cut in the middle of the answer to list deployments in API group apps in all namespaces; try again$/,
    );
  });

  it('a sign-in page or broken JSON instead of a list: named, never echoed', async () => {
    kube.faults.push({ path: '/api/v1/namespaces', raw: htmlPage() });
    expectOneLine(await scan(), /answered list namespaces at cluster scope with something that is not Kubernetes JSON/);
    kube.faults.push({ path: '/api/v1/namespaces', raw: notJson() });
    const run = await scan();
    expectOneLine(run, /is not Kubernetes JSON/);
    expect(run.stderr).not.toContain('secret-canary');
  });

  it('a continue token that never changes is an error, not an endless loop', async () => {
    kube.requests.length = 0;
    kube.faults.push({ path: '/api/v1/serviceaccounts', raw: sameContinueToken() });
    const run = await scan();
    expectOneLine(
      run,
      /^kube:prod: cannot list serviceaccounts in all namespaces: the same continue token came back twice \(the server pages in a loop\); refused$/,
    );
    expect(kube.requests.filter((r) => r.path === '/api/v1/serviceaccounts').length).toBe(2);
  });

  it('a redirect is not followed, so the token stays with the API server', async () => {
    let elsewhere = 0;
    const other: Server = createServer((_, response) => {
      elsewhere++;
      response.end('{}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    kube.faults.push({ path: '/api/v1/pods', raw: redirectTo(`http://127.0.0.1:${port}/steal`) });
    const run = await scan();
    other.close();
    expectOneLine(run, /^kube:prod: the API server answered 307 to list pods in all namespaces$/);
    expect(elsewhere).toBe(0);
  });

  it("an API server's Status message cannot drive the terminal or forge a line", async () => {
    kube.faults.push({ path: '/api/v1/nodes', raw: hostileStatus(500) });
    const run = await scan();
    expectOneLine(
      run,
      /^kube:prod: the API server answered 500 InternalError: boom\\u001b\]52;c;ZXZpbA==\\u0007\\u001b\[2J\\u000dforged line to list nodes/,
    );
  });

  it('429 is retried after the Retry-After wait, and the wait is logged', async () => {
    kube.faults.push({ path: '/api/v1/pods', status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    const run = await scan();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^aksguard: kube:prod: the API server answered 429 Too Many Requests to GET \/api\/v1\/pods; waiting 1 s before retry 1 of 4\n$/,
    );
    expect(JSON.parse(run.stdout).findings.length).toBeGreaterThan(0);
  });

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

  it('more objects than the scan takes is refused', async () => {
    const access = loadKubeconfig({ path: kubeconfig, env: {} });
    const error = await readCluster({ access, maxObjects: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/more objects than aksguard reads in one scan/);
  });

  it('a password in the server URL is never printed', async () => {
    const text = readFileSync(kubeconfig, 'utf8').replace('https://127.0.0.1', 'https://admin:hunter2@127.0.0.1');
    const withPassword = join(dir, 'kubeconfig-password.yaml');
    writeFileSync(withPassword, text.replace('live-token', 'expired-token'));
    const run = await aksguardAsync(['scan', '--kubeconfig', withPassword]);
    expectOneLine(run, /^kube:prod: the API server https:\/\/\(sensitive\)@127\.0\.0\.1:\d+ rejected the credentials/);
    expect(run.stderr).not.toContain('hunter2');
  });
});
