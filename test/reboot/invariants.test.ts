import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeKube, type StoredObject } from '../support/fake-kube/index.js';
import { Invariants } from '../support/reboot-invariants.js';

/**
 * The simulation's invariant checker can fail: each of REBOOT.md's invariants, broken by writing the fake API
 * server's objects directly (no daemon involved), is reported — and what the daemon could not have prevented is
 * not.
 */

const NS = 'kube-system';
let kube: FakeKube;
let invariants: Invariants;

const type = (kind: string, apiVersion = 'v1') => kube.store.types.byKind(apiVersion, kind) as never;
const node = (name: string) => kube.store.get(type('Node'), undefined, name);

/** A node of pool `a` or `b` by its name (aks-a-0, aks-b-1, …), Ready, schedulable, idle. */
function seedNode(name: string): void {
  kube.store.seed({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.azure.com/agentpool': name.split('-')[1] as string, 'topology.kubernetes.io/zone': 'z1' },
      annotations: {},
    },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { bootID: `${name}-boot-1` } },
  });
}

/** What a daemon, an operator or the kubelet would write on a node. */
function change(name: string, what: { phase?: string; cordoned?: boolean; ready?: boolean; bootId?: string }): void {
  const n = node(name) as StoredObject & { metadata: { annotations: Record<string, string> } };
  const status = n.status as { conditions: unknown[]; nodeInfo: { bootID: string } };
  kube.store.seed({
    ...n,
    metadata: {
      ...n.metadata,
      annotations: {
        ...n.metadata.annotations,
        ...(what.phase ? { 'aksguard.io/reboot-state': JSON.stringify({ phase: what.phase }) } : {}),
      },
    },
    spec: { ...(n.spec as object), ...(what.cordoned === undefined ? {} : { unschedulable: what.cordoned }) },
    status: {
      ...status,
      ...(what.ready === undefined ? {} : { conditions: [{ type: 'Ready', status: what.ready ? 'True' : 'False' }] }),
      nodeInfo: { bootID: what.bootId ?? status.nodeInfo.bootID },
    },
  });
}

function seedPod(name: string, on: string): void {
  kube.store.seed({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: on, containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running' },
  });
}

const evict = (pod: string) =>
  fetch(`${kube.url}/api/v1/namespaces/default/pods/${pod}/eviction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: 'default' } }),
  });

const found = () => invariants.violations.map((v) => v.what);

beforeEach(async () => {
  kube = await FakeKube.start({ http: true });
  for (const name of ['aks-a-0', 'aks-a-1', 'aks-a-2', 'aks-b-3']) seedNode(name);
  invariants = new Invariants(kube, {
    namespace: NS,
    concurrency: 2,
    perPool: 1,
    perZone: undefined,
    fenceMs: undefined,
    windowOpen: () => true,
    onPhase: () => undefined,
    onEviction: () => undefined,
  });
  invariants.attach();
});

afterEach(async () => {
  await kube.close();
});

describe('the simulation’s invariant checker, from the API server’s objects', () => {
  it('a second node of a pool taken out while a pool-mate is NotReady is a violation', () => {
    change('aks-a-0', { phase: 'rebooting', cordoned: true, ready: false });
    expect(found()).toEqual([]);
    change('aks-a-1', { phase: 'draining', cordoned: true });
    expect(found()).toEqual(['2 nodes of pool a unavailable (limit 1): aks-a-1, aks-a-0']);
    expect(invariants.max.pool).toBe(2);
  });

  it('a pool-mate cordoned by an operator before the daemon started a node counts; one cordoned after does not', () => {
    change('aks-a-2', { cordoned: true });
    change('aks-a-0', { phase: 'draining', cordoned: true });
    expect(found()).toEqual(['2 nodes of pool a unavailable (limit 1): aks-a-0, aks-a-2']);
    change('aks-b-3', { phase: 'draining', cordoned: true });
    expect(found().filter((v) => v.includes('pool b'))).toEqual([]);
  });

  it('an operator cordoning a pool-mate after the daemon started is not the daemon’s doing', () => {
    change('aks-a-0', { phase: 'draining', cordoned: true });
    change('aks-a-2', { cordoned: true });
    expect(found()).toEqual([]);
  });

  it('more nodes in an active phase than --concurrency is a violation, whatever their pools', () => {
    seedNode('aks-c-4');
    change('aks-a-0', { phase: 'draining', cordoned: true });
    change('aks-b-3', { phase: 'rebooting', cordoned: true });
    expect(found()).toEqual([]);
    change('aks-c-4', { phase: 'draining', cordoned: true });
    expect(found()).toEqual(['3 nodes in an active phase (aks-a-0, aks-b-3, aks-c-4)']);
  });

  it('an eviction from a schedulable node, or from a node in no draining phase, is a violation', async () => {
    seedPod('web-0', 'aks-a-0');
    await evict('web-0');
    expect(found()).toEqual([
      'eviction of web-0 from aks-a-0 while it is schedulable',
      'eviction of web-0 from aks-a-0 in phase undefined',
    ]);
  });

  it('an eviction from a cordoned, draining node is fine; a pod deleted without one is a violation', async () => {
    seedPod('web-0', 'aks-a-0');
    seedPod('web-1', 'aks-a-0');
    change('aks-a-0', { phase: 'draining', cordoned: true });
    expect((await evict('web-0')).status).toBe(201);
    expect(found()).toEqual([]);
    kube.store.delete(type('Pod'), 'default', 'web-1');
    expect(found()).toEqual(['pod web-1 removed without an eviction']);
  });

  it('a reboot of a node not in phase rebooting, or while schedulable, is a violation', () => {
    change('aks-a-0', { phase: 'draining' });
    invariants.onReboot('aks-a-0');
    expect(found()).toEqual(['aks-a-0 rebooted in phase draining', 'aks-a-0 rebooted while schedulable']);
  });

  it('success reported with the boot ID unchanged is a violation; after a new boot ID it is not', () => {
    change('aks-a-0', { phase: 'rebooting', cordoned: true });
    const rebooted = (name: string) =>
      kube.store.seed({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${name}.${Math.random()}`, namespace: 'default' },
        involvedObject: { kind: 'Node', name },
        reason: 'Rebooted',
      });
    rebooted('aks-a-0');
    expect(found()).toEqual(['aks-a-0 reported rebooted with its boot ID unchanged (aks-a-0-boot-1)']);
    invariants.violations.length = 0;
    change('aks-a-0', { bootId: 'aks-a-0-boot-2' });
    rebooted('aks-a-0');
    expect(found()).toEqual([]);
  });
});
