import { container, deployment, namespace, networkPolicy, podSpec } from '../kube-fixtures.js';
import type { ResourceStore } from './store.js';

export interface SampleSize {
  readonly namespaces: number;
  /** Pods per namespace, all created by the namespace's one Deployment through its ReplicaSet. */
  readonly podsPerNamespace: number;
  readonly nodes: number;
}

/** A token no report may ever print: it sits in a Secret and in a container's env. */
export const CANARY_TOKEN = 'aksguard-canary-2f9c1e7b4d5a';

/**
 * Seeds a cluster as the API server holds it: namespaces (every other one enforcing Pod Security and with a
 * NetworkPolicy), per namespace a Deployment, its ReplicaSet and the pods they own (the first Deployment
 * privileged), AKS nodes (the first waiting for a reboot for days), a running kured DaemonSet, a Secret and an env
 * var holding `CANARY_TOKEN`, and a ClusterRoleBinding that grants cluster-admin to a user.
 */
export function seedSampleCluster(store: ResourceStore, size: SampleSize): void {
  for (let n = 0; n < size.namespaces; n++) {
    const ns = `team-${String(n).padStart(2, '0')}`;
    const hardened = n % 2 === 0;
    store.seed(namespace(ns, hardened ? { 'pod-security.kubernetes.io/enforce': 'restricted' } : {}));
    if (hardened) store.seed(networkPolicy(ns));
    const spec = podSpec({
      containers: [
        container('app', n === 0 ? { privileged: true } : {}, { env: [{ name: 'API_TOKEN', value: CANARY_TOKEN }] }),
      ],
    });
    const hash = `5d8f${n}`;
    store.seed(deployment('web', spec, ns));
    store.seed({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `web-${hash}`,
        namespace: ns,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true, uid: 'u' }],
      },
      spec: { template: { spec } },
    });
    for (let p = 0; p < size.podsPerNamespace; p++) {
      store.seed({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `web-${hash}-${String(p).padStart(4, '0')}`,
          namespace: ns,
          labels: { app: 'web', 'pod-template-hash': hash },
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${hash}`, controller: true, uid: 'u' },
          ],
        },
        spec: { ...spec, nodeName: `aks-np1-${p % size.nodes}` },
        status: { phase: 'Running' },
      });
    }
  }
  for (let i = 0; i < size.nodes; i++) store.seed(sampleNode(i));
  store.seed({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'api', namespace: 'team-00' },
    type: 'Opaque',
    data: { token: Buffer.from(CANARY_TOKEN).toString('base64') },
    stringData: { token: CANARY_TOKEN },
  });
  store.seed({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kured', namespace: 'kube-system' },
    spec: {
      template: {
        spec: {
          hostPID: true,
          containers: [
            { name: 'kured', image: 'ghcr.io/kubereboot/kured:1.23.0', securityContext: { privileged: true } },
          ],
        },
      },
    },
    status: { numberReady: size.nodes, desiredNumberScheduled: size.nodes },
  });
  store.seed({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'oncall-admin' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'User', name: 'oncall@example.com' }],
  });
}

function sampleNode(i: number) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `aks-np1-${i}`,
      labels: {
        'kubernetes.azure.com/agentpool': 'np1',
        'kubernetes.azure.com/node-image-version': 'AKSUbuntu-2204gen2containerd-202611.20.0',
        'kubernetes.io/os': 'linux',
      },
      annotations: i === 0 ? { 'weave.works/kured-most-recent-reboot-needed': '2026-11-21T03:00:00Z' } : {},
    },
    spec: i === 1 ? { unschedulable: true } : {},
    status: {
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-10T08:00:00Z' }],
      nodeInfo: { kubeletVersion: 'v1.35.4', operatingSystem: 'linux' },
    },
  };
}
