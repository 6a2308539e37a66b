import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKube } from '../support/fake-kube/index.js';

interface Answer {
  readonly metadata: { readonly name: string; readonly resourceVersion: string; readonly annotations?: object };
  readonly spec: { readonly unschedulable?: boolean };
  readonly reason?: string;
}

/** What the reboot daemon needs of the fake API server beyond reads: PATCH, evictions with PDBs, Lease conflicts. */
describe('fake API server: writes the reboot daemon makes', () => {
  let kube: FakeKube;
  const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const response = await fetch(`${kube.url}${path}`, {
      method,
      headers: { 'Content-Type': type, Authorization: `Bearer ${kube.token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
  const pod = (name: string, app: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app } },
    spec: { nodeName: 'n1' },
    status: { phase: 'Running' },
  });

  beforeAll(async () => {
    kube = await FakeKube.start({ http: true });
    kube.store.seed(
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', annotations: { keep: 'yes', drop: 'x' } }, spec: {} },
      pod('db-0', 'db'),
      pod('db-1', 'db'),
      pod('web-0', 'web'),
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'db', namespace: 'default' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } },
      },
    );
  });
  afterAll(() => kube.close());

  it('applies merge patches (null removes) and JSON patches', async () => {
    const merged = await call(
      'PATCH',
      '/api/v1/nodes/n1',
      { metadata: { annotations: { drop: null, added: 'a' } }, spec: { unschedulable: true } },
      'application/merge-patch+json',
    );
    expect(merged.status).toBe(200);
    expect(merged.body.metadata.annotations).toEqual({ keep: 'yes', added: 'a' });
    expect(merged.body.spec.unschedulable).toBe(true);
    const json = await call(
      'PATCH',
      '/api/v1/nodes/n1',
      [{ op: 'remove', path: '/spec/unschedulable' }],
      'application/json-patch+json',
    );
    expect(json.body.spec).toEqual({});
    const stale = await call(
      'PATCH',
      '/api/v1/nodes/n1',
      { metadata: { resourceVersion: '1' } },
      'application/merge-patch+json',
    );
    expect(stale.status).toBe(409);
  });

  it('evicts through pods/eviction, answering 429 when a PodDisruptionBudget allows no more, 409 for a stale uid', async () => {
    const uid = (
      kube.store.get(kube.store.types.byKind('v1', 'Pod') as never, 'default', 'db-0').metadata as { uid: string }
    ).uid;
    const wrongUid = await call('POST', '/api/v1/namespaces/default/pods/db-0/eviction', {
      deleteOptions: { preconditions: { uid: 'someone-else' } },
    });
    expect(wrongUid.status).toBe(409);
    const first = await call('POST', '/api/v1/namespaces/default/pods/db-0/eviction', {
      deleteOptions: { preconditions: { uid } },
    });
    expect(first.status).toBe(201);
    const second = await call('POST', '/api/v1/namespaces/default/pods/db-1/eviction', {});
    expect(second.status).toBe(429);
    expect(second.body.reason).toBe('TooManyRequests');
    expect((await call('POST', '/api/v1/namespaces/default/pods/web-0/eviction', {})).status).toBe(201);
    expect((await call('POST', '/api/v1/namespaces/default/pods/gone/eviction', {})).status).toBe(404);
    expect(kube.evictions.map((e) => e.name)).toEqual(['db-0', 'web-0']);
  });

  it('refuses a Lease update carrying a stale resourceVersion with 409', async () => {
    const path = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases';
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'slot' },
      spec: { holderIdentity: 'a' },
    };
    const created = await call('POST', path, lease);
    expect(created.status).toBe(201);
    expect((await call('POST', path, lease)).status).toBe(409);
    const version = created.body.metadata.resourceVersion as string;
    const update = (holder: string) =>
      call('PUT', `${path}/slot`, {
        ...lease,
        metadata: { name: 'slot', resourceVersion: version },
        spec: { holderIdentity: holder },
      });
    expect((await update('b')).status).toBe(200);
    expect((await update('c')).status).toBe(409);
  });

  it('names generateName objects (Events) and cuts watches on dropWatches()', async () => {
    const event = await call('POST', '/api/v1/namespaces/default/events', {
      metadata: { generateName: 'n1.' },
      involvedObject: { kind: 'Node', name: 'n1' },
      reason: 'Test',
    });
    expect(event.status).toBe(201);
    expect(event.body.metadata.name).toMatch(/^n1\.\w+/);
    const controller = new AbortController();
    const watch = await fetch(`${kube.url}/api/v1/nodes?watch=true`, { signal: controller.signal });
    expect(watch.status).toBe(200);
    const reading = watch.text().then(
      () => 'ended',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(kube.dropWatches()).toBe(1);
    expect(['ended', 'cut']).toContain(await reading);
  });

  it('faults for one client by its token, with a delay drawn per request', async () => {
    const delays = [120, 0];
    kube.faults.push({
      path: '/api/v1/nodes/n1',
      when: ({ headers }) => headers.authorization === 'Bearer slow-client',
      delayMs: () => delays.shift() ?? 0,
      times: 2,
    });
    const timed = async (token: string) => {
      const started = performance.now();
      await fetch(`${kube.url}/api/v1/nodes/n1`, { headers: { Authorization: `Bearer ${token}` } });
      return performance.now() - started;
    };
    expect(await timed('slow-client')).toBeGreaterThanOrEqual(100);
    // Another client is not touched, and the fault's second request drew no delay.
    expect(kube.faults.at(-1)?.times).toBe(1);
    await timed('other');
    expect(kube.faults.at(-1)?.times).toBe(1);
    await timed('slow-client');
    expect(kube.faults.at(-1)?.times).toBe(0);
  });

  it('applies a write and loses its answer', async () => {
    kube.faults.push({ method: 'PATCH', path: '/api/v1/nodes/n1', lose: true, times: 1 });
    const lost = await call(
      'PATCH',
      '/api/v1/nodes/n1',
      { metadata: { annotations: { lost: 'but-written' } } },
      'application/merge-patch+json',
    ).then(
      () => 'answered',
      () => 'no answer',
    );
    expect(lost).toBe('no answer');
    const node = kube.store.get(kube.store.types.byKind('v1', 'Node') as never, undefined, 'n1');
    expect((node.metadata as { annotations: Record<string, string> }).annotations.lost).toBe('but-written');
  });

  it('keeps stalled watches open and silent, then sends again (what it missed is lost)', async () => {
    const controller = new AbortController();
    const watch = await fetch(`${kube.url}/api/v1/nodes?watch=true&resourceVersion=${kube.store.resourceVersion}`, {
      signal: controller.signal,
    });
    const reader = (watch.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })();
    const annotate = (value: string) =>
      call('PATCH', '/api/v1/nodes/n1', { metadata: { annotations: { step: value } } }, 'application/merge-patch+json');
    kube.stallWatches(true);
    await annotate('while-stalled');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(text).toBe('');
    kube.stallWatches(false);
    await annotate('after');
    for (let i = 0; i < 40 && !text.includes('"after"'); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(text).toContain('"after"');
    expect(text).not.toContain('while-stalled');
    controller.abort();
    await pump;
  });
});
