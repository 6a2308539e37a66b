import { DAEMON_FLAGS } from '../reboot/flags.js';
import { LOCK_NAME } from '../reboot/lease.js';
import type { EnvFrom } from './kured.js';
import { type FlagValues, flagArguments, SENTINEL_MOUNT, sentinelPlacement, withDeployDefaults } from './options.js';

export type Manifest = Record<string, unknown>;

/** The label the scanner's `patching/reboot-coordinator-missing` recognises the daemon by. */
export const APP_LABEL = { 'app.kubernetes.io/name': 'aksguard-reboot-daemon' } as const;
export const NAME = 'aksguard-reboot-daemon';

export interface RebootDaemonSpec {
  readonly namespace: string;
  readonly image: string;
  /** Daemon flags as given (deploy defaults are added here). */
  readonly flags: FlagValues;
  /** More daemon settings as `AKSGUARD_<FLAG>` variables from Secrets or ConfigMaps (carried over from kured). */
  readonly env?: readonly EnvFrom[];
  /** The `--maintenance-schedule` file's JSON: shipped in a ConfigMap, since the daemon reads it inside the pod. */
  readonly schedule?: string;
}

/** Where the pod finds the maintenance schedule from its ConfigMap. */
export const SCHEDULE_DIR = '/etc/aksguard';
export const SCHEDULE_FILE = 'maintenance-schedule.json';
const SCHEDULE_CONFIG_MAP = 'aksguard-reboot-daemon-schedule';

/**
 * What REBOOT.md grants the daemon, and nothing more: its own node (read, cordon, annotate), the pods on it (list,
 * watch, evict — never delete), Events on the Node. Tests compare the emitted rules to this exactly.
 */
export const CLUSTER_RULES = [
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
];

/**
 * The one Lease the daemons coordinate through, in their own namespace: named, except for `create` (which RBAC cannot
 * restrict by name). The daemon reads and watches it by name (field selector), so nothing else is readable.
 */
export const NAMESPACE_RULES = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  {
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    resourceNames: [LOCK_NAME],
    verbs: ['get', 'list', 'watch', 'update'],
  },
];

/** Every object `kubectl apply` needs, in the order it needs them (namespace first, DaemonSet last). */
export function rebootDaemonManifests(spec: RebootDaemonSpec): Manifest[] {
  const { namespace } = spec;
  const labels = { ...APP_LABEL, 'app.kubernetes.io/part-of': 'aksguard' };
  const meta = (extra: Manifest = {}) => ({ name: NAME, ...extra, labels });
  const subject = { kind: 'ServiceAccount', name: NAME, namespace };
  return [
    // The pod needs host PIDs (and, with the command method, privileged): say so, so a cluster whose default Pod
    // Security level is baseline or restricted admits it here and only here.
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'privileged' } },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta({ namespace }) },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(), rules: CLUSTER_RULES },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
      subjects: [subject],
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta({ namespace }), rules: NAMESPACE_RULES },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta({ namespace }),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: NAME },
      subjects: [subject],
    },
    ...(spec.schedule === undefined
      ? []
      : [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: SCHEDULE_CONFIG_MAP, namespace, labels },
            data: { [SCHEDULE_FILE]: spec.schedule },
          },
        ]),
    networkPolicy(spec, labels),
    daemonSet(spec, labels),
  ];
}

/** Nothing but the metrics port (`/metrics`, `/healthz`, `/readyz`) is reachable; the daemon listens on no other. */
function networkPolicy(spec: RebootDaemonSpec, labels: Record<string, string>): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: NAME, namespace: spec.namespace, labels },
    spec: {
      podSelector: { matchLabels: APP_LABEL },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: metricsPort(withDeployDefaults(spec.flags)) }] }],
    },
  };
}

const metricsPort = (flags: ReadonlyMap<string, readonly string[]>): number =>
  Number(flags.get('metrics-port')?.at(-1) ?? defaultOf('metrics-port'));

function daemonSet(spec: RebootDaemonSpec, labels: Record<string, string>): Manifest {
  const flags = withDeployDefaults(spec.flags);
  const schedule = spec.schedule !== undefined;
  if (schedule) flags.set('maintenance-schedule', [`${SCHEDULE_DIR}/${SCHEDULE_FILE}`]);
  const port = metricsPort(flags);
  const probe = (path: string, periodSeconds: number) => ({
    httpGet: { path, port: 'metrics' },
    periodSeconds,
    failureThreshold: 3,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: NAME, namespace: spec.namespace, labels },
    spec: {
      selector: { matchLabels: APP_LABEL },
      // Never two daemon pods on one node: an updated pod starts only once the old one is gone.
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: NAME,
          // The reboot command enters PID 1's mount namespace, and the signal method signals PID 1: both need the
          // host's PIDs.
          hostPID: true,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          // A node that needs a reboot needs it whatever its taints; a daemon missing from a tainted pool leaves it
          // unpatched.
          tolerations: [{ operator: 'Exists' }],
          priorityClassName: 'system-node-critical',
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'reboot-daemon',
              image: spec.image,
              args: ['reboot-daemon', ...flagArguments(flags)],
              env: [
                { name: 'AKSGUARD_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                { name: 'AKSGUARD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'AKSGUARD_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'AKSGUARD_POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
                ...(spec.env ?? []),
              ],
              ports: [{ name: 'metrics', containerPort: port, protocol: 'TCP' }],
              livenessProbe: probe('/healthz', 20),
              readinessProbe: probe('/readyz', 10),
              resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
              securityContext: containerSecurity(flags),
              volumeMounts: [
                { name: 'sentinel', mountPath: SENTINEL_MOUNT, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
                ...(schedule ? [{ name: 'schedule', mountPath: SCHEDULE_DIR, readOnly: true }] : []),
              ],
            },
          ],
          volumes: [
            { name: 'sentinel', hostPath: { path: sentinelPlacement(spec.flags).hostDir, type: 'Directory' } },
            { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
            ...(schedule ? [{ name: 'schedule', configMap: { name: SCHEDULE_CONFIG_MAP } }] : []),
          ],
        },
      },
    },
  };
}

/**
 * `--reboot-method command` and `--reboot-sentinel-command` run `nsenter` into PID 1's mount namespace, which only
 * a privileged container can do. The signal method needs nothing but `CAP_KILL` to signal PID 1. Either way the
 * process runs as root: Kubernetes gives added capabilities to root only (no ambient capabilities), so a
 * non-root user with `CAP_KILL` added could still not signal PID 1.
 */
export function containerSecurity(flags: ReadonlyMap<string, readonly string[]>): Manifest {
  const method = flags.get('reboot-method')?.at(-1) ?? defaultOf('reboot-method');
  const sentinelCommand = flags.get('reboot-sentinel-command')?.at(-1);
  const common = { readOnlyRootFilesystem: true, runAsUser: 0, runAsNonRoot: false };
  if (method === 'command' || sentinelCommand) return { privileged: true, ...common };
  return {
    privileged: false,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'], add: ['KILL'] },
    ...common,
  };
}

const defaultOf = (name: string): string | undefined => DAEMON_FLAGS.find((f) => f.name === name)?.default;
