import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeconfig } from '../../src/kube/kubeconfig.js';
import { readCluster } from '../../src/kube/read.js';
import { InputError } from '../../src/model/errors.js';
import { FakeKube } from '../support/fake-kube/index.js';
import { seedSampleCluster } from '../support/fake-kube/sample-cluster.js';
import { hostileStatus } from '../support/misbehave.js';

/**
 * The live-cluster reader in process, where caps can be small: throttling waits and the object budget. The
 * misbehaving servers a user meets (endless or stalled bodies, dropped connections, HTML, paging loops,
 * redirects, hostile Status messages, bad certificates) run through the CLI in `test/robustness`.
 */
describe('reading a live cluster from an API server that throttles or overflows', () => {
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
