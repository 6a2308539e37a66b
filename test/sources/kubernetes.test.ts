import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defaultRuleOptions } from '../../src/engine/options.js';
import { runRules } from '../../src/engine/run.js';
import { InputError, MissingToolError, UsageError } from '../../src/model/errors.js';
import namespaceWithoutNetworkPolicy from '../../src/rules/isolation/namespace-without-network-policy.js';
import { assemble } from '../../src/sources/assemble.js';
import type { Fragment } from '../../src/sources/fragment.js';
import { loadInputs, readTexts } from '../../src/sources/index.js';
import { kubernetesSource } from '../../src/sources/kubernetes.js';
import { type JsonDoc, parseJson } from '../../src/sources/parse/json.js';
import { deployment, list, namespace, networkPolicy, podSpec } from '../support/kube-fixtures.js';
import { aks, pool } from '../support/rule-tester.js';

const read = (files: Record<string, string>, join = {}) =>
  readTexts(
    Object.entries(files).map(([file, text]) => ({ file, text, named: true })),
    undefined,
    [],
    join,
  );

const kubernetesOf = async (files: Record<string, string>) => {
  const { snapshot } = await read(files);
  const kubernetes = snapshot.clusters[0]?.kubernetes;
  if (!kubernetes) throw new Error('no Kubernetes objects read');
  return kubernetes;
};

const MANIFEST = `# rendered by helm template
---
# Source: shop/templates/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
---
just: a values file
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
          securityContext:
            privileged: true
`;

describe('Kubernetes YAML manifests', () => {
  it('reads each document that is a Kubernetes object, with line numbers inside it', async () => {
    const kubernetes = await kubernetesOf({ 'k8s/shop.yaml': MANIFEST });
    expect(kubernetes.objects.map((o) => `${o.kind}/${o.name}`)).toEqual(['Namespace/shop', 'Deployment/web']);
    const web = kubernetes.workloads[0];
    const path = ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'];
    expect(web?.anchor.doc.locate(path)).toEqual({ line: 24, column: 13 });
    expect(web?.anchor.doc.locate(['spec', 'template', 'spec', 'containers', 0, 'nothing', 'here'])).toEqual({
      line: 21,
      column: 11,
    });
    expect(kubernetes.live).toBe(false);
  });

  it('names a syntax error by line and column', async () => {
    const broken = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n spec: {}\n';
    const error = await read({ 'bad.yaml': broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).oneLine).toMatch(/^bad\.yaml:5:\d+: invalid YAML: /);
  });

  it('refuses duplicate keys, as kubectl does', async () => {
    const twice = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  name: q\n';
    await expect(read({ 'dup.yaml': twice })).rejects.toMatchObject({
      line: 5,
      message: expect.stringMatching(/unique/i),
    });
  });

  it('refuses a "billion laughs" alias bomb without expanding it', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`);
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    await expect(read({ 'bomb.yaml': bomb })).rejects.toThrow(/alias bomb/);
  });

  it('refuses deep nesting with a message, not a stack overflow', async () => {
    const deep = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: ${'['.repeat(200_000)}\n`;
    await expect(read({ 'deep.yaml': deep })).rejects.toBeInstanceOf(InputError);
  });

  it('reads YAML 1.1 as kubectl does: yes is true and 0644 is octal', async () => {
    const yaml =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: yes\n  volumes: [{name: c, configMap: {name: c, defaultMode: 0644}}]\n';
    const body = (await kubernetesOf({ 'p.yaml': yaml })).workloads[0]?.body as { spec: Record<string, unknown> };
    expect(body.spec.hostNetwork).toBe(true);
    expect(body.spec.volumes).toEqual([{ name: 'c', configMap: { name: 'c', defaultMode: 420 } }]);
  });

  it('passes over a Helm chart template in a folder (listed as skipped) and names it when given alone', async () => {
    const template = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n';
    const texts = [{ file: 'chart/templates/d.yaml', text: template, named: false }];
    const folder = await readTexts(texts);
    expect(folder.skipped).toEqual([
      { file: 'chart/templates/d.yaml', reason: expect.stringMatching(/helm template/) },
    ]);
    await expect(read({ 'd.yaml': template })).rejects.toBeInstanceOf(MissingToolError);
  });

  it('skips YAML that is not Kubernetes in a folder scan (az CLI recordings)', async () => {
    // A recorded az CLI test session (a vcrpy cassette), the shape the Azure CLI's own tests keep in recordings/.
    const recording =
      'interactions:\n- request:\n    body: null\n    headers:\n      Accept: [\'application/json\']\n    method: GET\n    uri: https://management.azure.com/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1?api-version=2025-10-01\n  response:\n    body: {string: \'{"name": "aks1"}\'}\n    headers:\n      content-type: [application/json]\n    status: {code: 200, message: OK}\nversion: 1\n';
    const folder = mkdtempSync(joinPath(tmpdir(), 'aksguard-recordings-'));
    writeFileSync(joinPath(folder, 'test_aks_create.yaml'), recording);
    writeFileSync(joinPath(folder, 'test_aks_nodepool.yml'), recording.replace('aks1', 'aks2'));
    const loaded = await loadInputs([folder], { readStdin: async () => '' });
    expect(loaded.files).toEqual([]);
    expect(loaded.snapshot.clusters).toEqual([]);
  });

  it('never keeps Secret or ConfigMap payloads', async () => {
    const yaml =
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: shop}\ndata: {token: c2VjcmV0}\nstringData: {password: hunter2}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop, labels: {app: x}, annotations: {kubectl.kubernetes.io/last-applied-configuration: secretcopy}}\ndata: {key: value}\n';
    const kubernetes = await kubernetesOf({ 's.yaml': yaml });
    expect(kubernetes.objects.map((o) => o.body)).toEqual([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop', labels: { app: 'x' } } },
    ]);
  });
});

describe('kubectl get -o json', () => {
  it('reads a List, keeping the parsed items (no copies) and pointing into them', async () => {
    const text = JSON.stringify(list(deployment('web', podSpec()), deployment('api', podSpec())), null, 2);
    const kubernetes = await kubernetesOf({ 'dump.json': text });
    const api = kubernetes.workloads[1];
    expect(api?.name).toBe('api');
    expect(api?.anchor.doc.describe?.(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe(
      'metadata.labels["app.kubernetes.io/name"]',
    );
    const line = api?.anchor.doc.locate(['metadata', 'name'])?.line as number;
    expect(text.split('\n')[line - 1]).toContain('"name": "api"');
  });

  it('keeps one parsed copy: every object, in every view, is the parsed item itself', async () => {
    const text = JSON.stringify(list(deployment('web', podSpec()), namespace('shop'), deployment('api', podSpec())));
    let parsed: JsonDoc | undefined;
    const input = { file: 'dump.json', text, json: () => (parsed ??= parseJson('dump.json', text)) };
    const snapshot = assemble([await kubernetesSource.load(input)]);
    const items = (input.json().value as { items: unknown[] }).items;
    const kubernetes = snapshot.clusters[0]?.kubernetes;
    expect(kubernetes?.objects.map((o) => o.body)).toEqual(items);
    for (const [i, object] of (kubernetes?.objects ?? []).entries()) expect(object.body).toBe(items[i]);
    expect(kubernetes?.workloads[1]).toBe(kubernetes?.objects[2]);
    expect(kubernetes?.namespaces[0]).toBe(kubernetes?.objects[1]);
  });

  it('gives the items of a typed list (PodList) the kind the API server leaves off', async () => {
    const podList = {
      apiVersion: 'v1',
      kind: 'PodList',
      metadata: {},
      items: [{ metadata: { name: 'p', namespace: 'x' }, spec: podSpec() }],
    };
    const kubernetes = await kubernetesOf({ 'pods.json': JSON.stringify(podList) });
    expect(kubernetes.workloads.map((o) => `${o.apiVersion} ${o.kind} ${o.namespace}/${o.name}`)).toEqual([
      'v1 Pod x/p',
    ]);
  });

  it('leaves kubescape ClusterDescribe (an Azure body) to the Azure source', () => {
    const text = JSON.stringify({
      apiVersion: 'management.azure.com/v1',
      kind: 'ClusterDescribe',
      metadata: { name: 'x' },
      data: {},
    });
    expect(kubernetesSource.detect({ file: 'aks.json', text, json: () => parseJson('aks.json', text) })).toBe(false);
  });
});

describe('joining Kubernetes objects to Azure settings', () => {
  const cluster = JSON.stringify(aks({ agentPoolProfiles: [pool()], fqdn: 'aks1-dns-1a2b.hcp.westeurope.azmk8s.io' }));
  const other = JSON.stringify(
    aks(
      { agentPoolProfiles: [pool()] },
      {
        name: 'aks2',
        id: '/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks2',
      },
    ),
  );
  const manifest = JSON.stringify(deployment('web', podSpec()));

  it('one cluster in the folder: one target with both', async () => {
    const { snapshot } = await read({ 'prod/cluster.json': cluster, 'prod/k8s.json': manifest });
    expect(snapshot.targets).toHaveLength(1);
    expect(snapshot.clusters[0]?.settings).toBeDefined();
    expect(snapshot.clusters[0]?.kubernetes?.workloads[0]?.anchor.owner.target).toBe(snapshot.targets[0]?.id);
  });

  it('two clusters: the objects stay a target of their own, unless --target names one', async () => {
    const files = { 'a/cluster.json': cluster, 'a/other.json': other, 'a/k8s.json': manifest };
    const apart = await read(files);
    expect(apart.snapshot.clusters.map((c) => [c.name, c.settings !== undefined, c.kubernetes !== undefined])).toEqual([
      ['aks1', true, false],
      ['aks2', true, false],
      ['a', false, true],
    ]);
    const joined = await read(files, { target: 'AKS2' });
    expect(joined.snapshot.clusters.find((c) => c.kubernetes)?.name).toBe('aks2');
    await expect(read(files, { target: 'nope' })).rejects.toBeInstanceOf(UsageError);
  });

  it('manifests in sub-folders are one cluster: a NetworkPolicy in one folder covers workloads in another', async () => {
    const files = {
      'repo/k8s/policies/default-deny.yaml': stringify(networkPolicy('shop')),
      'repo/k8s/apps/web/deployment.yaml': stringify(deployment('web', podSpec())),
      'repo/k8s/apps/api/deployment.yaml': stringify(deployment('api', podSpec(), 'orders')),
    };
    const { snapshot } = await read(files);
    expect(snapshot.targets).toEqual([{ id: 'repo/k8s#k8s', kind: 'aks-cluster', name: 'k8s', source: 'repo/k8s' }]);
    const findings = runRules(snapshot, {
      rules: [namespaceWithoutNetworkPolicy],
      context: { now: new Date('2026-11-28'), options: defaultRuleOptions() },
      version: 'test',
    }).findings;
    expect(findings.map((f) => f.resource.name)).toEqual(['orders']);
  });

  it('one manifest file alone is a target read from that file, named after its folder', async () => {
    const { snapshot } = await read({ 'deploy/app.yaml': stringify(deployment('web', podSpec())) });
    expect(snapshot.targets.map((t) => [t.name, t.source])).toEqual([['deploy', 'deploy/app.yaml']]);
  });

  it('manifests next to the only cluster of the scan join it from any folder', async () => {
    const { snapshot } = await read({
      'infra/cluster.json': cluster,
      'k8s/a/web.json': manifest,
      'k8s/b/policy.yaml': stringify(networkPolicy('shop')),
    });
    expect(snapshot.targets).toHaveLength(1);
    expect(snapshot.clusters[0]?.kubernetes?.workloads).toHaveLength(1);
    expect(snapshot.clusters[0]?.kubernetes?.networkPolicies).toHaveLength(1);
  });

  it('a live cluster joins by its API server host, even among several clusters', async () => {
    const fromKubeconfig: Fragment = {
      file: 'kube:prod',
      clusters: [],
      pools: [],
      upgradeProfiles: [],
      maintenanceConfigurations: [],
      mentions: [],
      kubernetes: [
        {
          live: true,
          cluster: { name: 'renamed-context-cluster', server: 'https://aks1-dns-1a2b.hcp.westeurope.azmk8s.io:443' },
          objects: [],
        },
      ],
    };
    const { snapshot } = await readTexts(
      [
        { file: 'x/cluster.json', text: cluster, named: true },
        { file: 'y/other.json', text: other, named: true },
      ],
      undefined,
      [fromKubeconfig],
    );
    expect(snapshot.clusters.map((c) => [c.name, c.kubernetes?.live])).toEqual([
      ['aks1', true],
      ['aks2', undefined],
    ]);
  });
});
