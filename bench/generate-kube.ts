import { closeSync, openSync, writeSync } from 'node:fs';
import { type Random, seeded } from './random.js';

export interface KubeDumpSize {
  readonly nodes: number;
  readonly namespaces: number;
  readonly pods: number;
  readonly rbac: number;
}

/** The DESIGN.md large cluster: 2,000 nodes, 60,000 pods, 20,000 RBAC objects, 3,000 namespaces (≈ 300 MB). */
export const LARGE: KubeDumpSize = { nodes: 2000, namespaces: 3000, pods: 60_000, rbac: 20_000 };

/**
 * Writes a `kubectl get -A -o json`-style `List` the way a real cluster looks: pods owned by ReplicaSets of
 * Deployments with several containers, probes, env, volumes and status; nodes with AKS labels and conditions;
 * roles and bindings; namespaces with Pod Security labels; network policies; DaemonSets. Streamed to disk item by
 * item, so generating 300 MB needs little memory. Returns the bytes written.
 */
export function generateKubeDump(file: string, size: KubeDumpSize, seed = 7): number {
  const random = seeded(seed);
  const fd = openSync(file, 'w');
  let bytes = 0;
  let first = true;
  const emit = (item: unknown) => {
    const text = `${first ? '' : ',\n'}    ${JSON.stringify(item)}`;
    first = false;
    bytes += writeSync(fd, text);
  };
  bytes += writeSync(fd, '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [\n');
  const namespaces = Array.from({ length: size.namespaces }, (_, i) => `team-${i}`);
  for (const ns of namespaces) emit(namespace(ns, random));
  for (let i = 0; i < size.nodes; i++) emit(node(i, random));
  const perDeployment = 10;
  for (let d = 0; d * perDeployment < size.pods; d++) {
    const ns = namespaces[d % namespaces.length] as string;
    const app = `app-${d}`;
    emit(deployment(ns, app, random));
    for (let r = 0; r < perDeployment && d * perDeployment + r < size.pods; r++) {
      emit(pod(ns, app, r, size.nodes, random));
    }
  }
  for (let i = 0; i < size.rbac; i++) emit(rbacObject(i, namespaces, random));
  for (const ns of namespaces) if (random.chance(0.6)) emit(networkPolicy(ns));
  emit(daemonSet('kube-system', 'kube-proxy', 'mcr.microsoft.com/oss/kubernetes/kube-proxy:v1.35.4'));
  if (random.chance(0.5)) emit(daemonSet('kube-system', 'kured', 'ghcr.io/kubereboot/kured:1.17.1'));
  bytes += writeSync(fd, '\n  ],\n  "metadata": { "resourceVersion": "" }\n}\n');
  closeSync(fd);
  return bytes;
}

const uid = (random: Random) =>
  `${random.int(0x10000000, 0xffffffff).toString(16)}-${random.int(0x1000, 0xffff).toString(16)}-4${random.int(0x100, 0xfff).toString(16)}-a${random.int(0x100, 0xfff).toString(16)}-${random.int(0x10000000, 0xffffffff).toString(16)}${random.int(0x1000, 0xffff).toString(16)}`;

const metadata = (
  name: string,
  namespace: string | undefined,
  random: Random,
  extra: Record<string, unknown> = {},
) => ({
  name,
  ...(namespace ? { namespace } : {}),
  uid: uid(random),
  resourceVersion: String(random.int(1_000_000, 99_999_999)),
  creationTimestamp: `2026-${String(random.int(1, 11)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}T10:00:00Z`,
  ...extra,
});

function namespace(name: string, random: Random) {
  const level = random.pick(['restricted', 'baseline', 'privileged', undefined]);
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: metadata(name, undefined, random, {
      labels: {
        'kubernetes.io/metadata.name': name,
        ...(level ? { 'pod-security.kubernetes.io/enforce': level } : {}),
      },
    }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function node(i: number, random: Random) {
  const pool = `pool${i % 8}`;
  const name = `aks-${pool}-${String(10_000_000 + i)}-vmss${String(i).padStart(6, '0')}`;
  const pending = random.chance(0.05);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: metadata(name, undefined, random, {
      labels: {
        'kubernetes.azure.com/agentpool': pool,
        'kubernetes.azure.com/node-image-version': `AKSUbuntu-2204gen2containerd-2026${String(random.int(8, 11)).padStart(2, '0')}.${String(random.int(1, 28)).padStart(2, '0')}.0`,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'Standard_D8ds_v5',
        'topology.kubernetes.io/zone': `westeurope-${(i % 3) + 1}`,
        'kubernetes.io/hostname': name,
      },
      annotations: pending ? { 'weave.works/kured-most-recent-reboot-needed': '2026-11-20T03:00:00Z' } : {},
    }),
    spec: {
      podCIDR: `10.244.${i % 256}.0/24`,
      providerID: `azure:///subscriptions/s/resourceGroups/mc/providers/Microsoft.Compute/virtualMachineScaleSets/${pool}/virtualMachines/${i}`,
    },
    status: {
      capacity: { cpu: '8', memory: '32863152Ki', pods: '110' },
      allocatable: { cpu: '7820m', memory: '28354480Ki', pods: '110' },
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          lastHeartbeatTime: '2026-11-27T23:59:00Z',
          lastTransitionTime: '2026-11-10T08:00:00Z',
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
        },
        {
          type: 'DiskPressure',
          status: 'False',
          lastHeartbeatTime: '2026-11-27T23:59:00Z',
          lastTransitionTime: '2026-11-10T08:00:00Z',
          reason: 'KubeletHasNoDiskPressure',
          message: 'kubelet has no disk pressure',
        },
        {
          type: 'Ready',
          status: 'True',
          lastHeartbeatTime: '2026-11-27T23:59:00Z',
          lastTransitionTime: '2026-11-10T08:00:00Z',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.35.4',
        osImage: 'Ubuntu 22.04.5 LTS',
        kernelVersion: '5.15.0-1079-azure',
        containerRuntimeVersion: 'containerd://1.7.27-1',
        bootID: uid(random),
        architecture: 'amd64',
        operatingSystem: 'linux',
      },
      addresses: [
        { type: 'InternalIP', address: `10.224.${Math.floor(i / 256)}.${i % 256}` },
        { type: 'Hostname', address: name },
      ],
    },
  };
}

const container = (name: string, random: Random, hardened: boolean) => ({
  name,
  image: `acrprod.azurecr.io/${name}:${random.int(1, 9)}.${random.int(0, 30)}.${random.int(0, 9)}`,
  imagePullPolicy: 'IfNotPresent',
  ports: [{ containerPort: random.pick([8080, 8443, 3000, 9090]), protocol: 'TCP', name: 'http' }],
  env: [
    { name: 'LOG_LEVEL', value: random.pick(['info', 'debug', 'warn']) },
    { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
    { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
  ],
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  readinessProbe: {
    httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
    periodSeconds: 10,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 3,
  },
  livenessProbe: {
    httpGet: { path: '/livez', port: 'http', scheme: 'HTTP' },
    initialDelaySeconds: 15,
    periodSeconds: 20,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 3,
  },
  volumeMounts: [
    { name: 'config', mountPath: '/etc/app', readOnly: true },
    { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
  ],
  securityContext: hardened
    ? {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      }
    : random.chance(0.1)
      ? { privileged: true }
      : {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
});

function podSpec(app: string, random: Random, hardened: boolean, nodeName?: string) {
  return {
    containers: [container(app, random, hardened), container(`${app}-sidecar`, random, hardened)],
    ...(random.chance(0.3) ? { initContainers: [container(`${app}-init`, random, hardened)] } : {}),
    volumes: [
      { name: 'config', configMap: { name: `${app}-config`, defaultMode: 420 } },
      {
        name: 'kube-api-access',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          ],
        },
      },
      ...(random.chance(0.05) ? [{ name: 'docker', hostPath: { path: '/var/run/docker.sock', type: 'Socket' } }] : []),
    ],
    serviceAccountName: random.chance(0.5) ? 'default' : app,
    securityContext: hardened ? { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } : {},
    ...(random.chance(0.02) ? { hostNetwork: true } : {}),
    ...(nodeName ? { nodeName } : {}),
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  };
}

function deployment(ns: string, app: string, random: Random) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(app, ns, random, { labels: { app }, annotations: { 'deployment.kubernetes.io/revision': '3' } }),
    spec: {
      replicas: 10,
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: podSpec(app, random, random.chance(0.5)) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
    status: { replicas: 10, readyReplicas: 10, availableReplicas: 10, updatedReplicas: 10, observedGeneration: 3 },
  };
}

function pod(ns: string, app: string, replica: number, nodes: number, random: Random) {
  const hash = random.int(0x1000000, 0xfffffff).toString(16);
  const name = `${app}-${hash}-${random.int(10000, 99999)}`;
  const nodeName = `aks-pool${replica % 8}-${String(10_000_000 + random.int(0, nodes - 1))}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: metadata(name, ns, random, {
      generateName: `${app}-${hash}-`,
      labels: { app, 'pod-template-hash': hash },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${app}-${hash}`,
          uid: uid(random),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    }),
    spec: podSpec(app, random, random.chance(0.5), nodeName),
    status: {
      phase: 'Running',
      hostIP: `10.224.${random.int(0, 7)}.${random.int(1, 254)}`,
      podIP: `10.244.${random.int(0, 255)}.${random.int(1, 254)}`,
      qosClass: 'Burstable',
      startTime: '2026-11-20T10:00:00Z',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2026-11-20T10:00:05Z',
      })),
      containerStatuses: [app, `${app}-sidecar`].map((c) => ({
        name: c,
        ready: true,
        restartCount: random.int(0, 3),
        started: true,
        image: `acrprod.azurecr.io/${c}:1.2.3`,
        imageID: `acrprod.azurecr.io/${c}@sha256:${random.int(0x10000000, 0xffffffff).toString(16).repeat(8)}`,
        containerID: `containerd://${random.int(0x10000000, 0xffffffff).toString(16).repeat(8)}`,
        state: { running: { startedAt: '2026-11-20T10:00:04Z' } },
        lastState: {},
      })),
    },
  };
}

function rbacObject(i: number, namespaces: readonly string[], random: Random) {
  const ns = namespaces[i % namespaces.length] as string;
  const verbs = random.pick([['get', 'list', 'watch'], ['*'], ['create', 'update', 'patch', 'delete'], ['get']]);
  const resources = random.pick([['pods'], ['secrets'], ['deployments', 'replicasets'], ['*'], ['pods/exec']]);
  switch (i % 4) {
    case 0:
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: metadata(`role-${i}`, ns, random),
        rules: [{ apiGroups: ['', 'apps'], resources, verbs }],
      };
    case 1:
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: metadata(`binding-${i}`, ns, random),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${i - 1}` },
        subjects: [{ kind: 'ServiceAccount', name: `app-${i}`, namespace: ns }],
      };
    case 2:
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: metadata(`cluster-role-${i}`, undefined, random),
        rules: [{ apiGroups: [''], resources, verbs }],
      };
    default:
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: metadata(`cluster-binding-${i}`, undefined, random),
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: random.chance(0.01) ? 'cluster-admin' : `cluster-role-${i - 1}`,
        },
        subjects: [
          random.chance(0.5)
            ? { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `aad-group-${i}` }
            : { kind: 'ServiceAccount', name: 'default', namespace: ns },
        ],
      };
  }
}

const networkPolicy = (ns: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny', namespace: ns },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
});

const daemonSet = (ns: string, name: string, image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, namespace: ns, labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { hostPID: name === 'kured', containers: [{ name, image, securityContext: { privileged: true } }] },
    },
  },
  status: { numberReady: 2000, desiredNumberScheduled: 2000 },
});
