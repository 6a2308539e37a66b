import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKube } from '../support/fake-kube/index.js';

const pod = (namespace: string, name: string, nodeName: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { nodeName, containers: [{ name: 'app', image: 'nginx' }] },
});

describe('fake Kubernetes API server, driven by @kubernetes/client-node', () => {
  let kube: FakeKube;
  let dir: string;
  let config: KubeConfig;

  beforeAll(async () => {
    kube = await FakeKube.start({ token: 'secret-token' });
    dir = mkdtempSync(join(tmpdir(), 'fake-kube-'));
    config = new KubeConfig();
    config.loadFromFile(kube.writeKubeconfig(dir));
    for (let i = 0; i < 120; i++)
      kube.store.seed(pod(`ns-${i % 3}`, `pod-${String(i).padStart(3, '0')}`, `node-${i % 4}`, { app: `a${i % 5}` }));
  });
  afterAll(async () => {
    await kube.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with a CA the client verifies', () => {
    expect(kube.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('pages with limit and continue until every object was seen once', async () => {
    const core = config.makeApiClient(CoreV1Api);
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 50, ...(token ? { _continue: token } : {}) });
      names.push(...page.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      token = page.metadata?._continue;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(names).size).toBe(120);
  });

  it('filters by spec.nodeName and by label', async () => {
    const core = config.makeApiClient(CoreV1Api);
    const onNode = await core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=node-1' });
    expect(onNode.items).toHaveLength(30);
    expect(onNode.items.every((p) => p.spec?.nodeName === 'node-1')).toBe(true);
    const labelled = await core.listNamespacedPod({ namespace: 'ns-0', labelSelector: 'app in (a0,a1),app!=a1' });
    expect(labelled.items.map((p) => p.metadata?.labels?.app)).toEqual(expect.arrayContaining(['a0']));
    expect(labelled.items.every((p) => p.metadata?.labels?.app === 'a0' && p.metadata.namespace === 'ns-0')).toBe(true);
  });

  it('answers 404 with a Status for a missing object and 401 for a wrong token', async () => {
    const core = config.makeApiClient(CoreV1Api);
    await expect(core.readNamespacedPod({ namespace: 'ns-0', name: 'nope' })).rejects.toMatchObject({ code: 404 });
    const stranger = new KubeConfig();
    stranger.loadFromString(kube.kubeconfig({ token: 'wrong' }));
    await expect(stranger.makeApiClient(CoreV1Api).listNode()).rejects.toMatchObject({ code: 401 });
  });

  it('injects faults: a status once, then normal service', async () => {
    kube.faults.push({ path: '/apis/apps/v1/daemonsets', status: 403, times: 1 });
    const apps = config.makeApiClient(AppsV1Api);
    await expect(apps.listDaemonSetForAllNamespaces()).rejects.toMatchObject({
      code: 403,
      body: expect.stringContaining(
        'cannot list resource \\"daemonsets\\" in API group \\"apps\\" at the cluster scope',
      ),
    });
    await expect(apps.listDaemonSetForAllNamespaces()).resolves.toMatchObject({ items: [] });
  });

  it('streams watch events from a resourceVersion', async () => {
    const core = config.makeApiClient(CoreV1Api);
    const { metadata } = await core.listNamespacedPod({ namespace: 'ns-1', limit: 1 });
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      void new Watch(config).watch(
        '/api/v1/namespaces/ns-1/pods',
        { resourceVersion: metadata?.resourceVersion },
        (type, object: { metadata: { name: string } }) => {
          seen.push(`${type} ${object.metadata.name}`);
          if (seen.length === 2) resolve();
        },
        () => undefined,
      );
    });
    kube.store.seed(pod('ns-1', 'late', 'node-0'));
    kube.store.seed(pod('ns-2', 'elsewhere', 'node-0'));
    kube.store.delete(kube.store.typeOf(pod('ns-1', 'late', 'node-0')), 'ns-1', 'late');
    await done;
    expect(seen).toEqual(['ADDED late', 'DELETED late']);
  });
});
