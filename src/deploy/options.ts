import { posix } from 'node:path';
import { UsageError } from '../model/errors.js';
import { DAEMON_FLAGS, type DaemonFlag, flagTokens, parseDaemonOptions } from '../reboot/flags.js';

/** The namespace the manifests install into when `--namespace` is not given. */
export const DEFAULT_NAMESPACE = 'aksguard-system';

/**
 * Daemon flags the manifests set themselves, so a user cannot: the node name and namespace come from the downward
 * API (each pod acts on its own node, its Leases live beside it), and the daemon always runs in-cluster.
 */
const SET_BY_MANIFEST: Readonly<Record<string, string>> = {
  'node-name': 'each pod gets its own node name from the downward API (spec.nodeName)',
  namespace: 'the daemon uses the namespace it is deployed to; choose it with --namespace',
  'pod-name': 'each pod gets its own name from the downward API (metadata.name)',
  'pod-uid': 'each pod gets its own uid from the downward API (metadata.uid)',
  kubeconfig: 'the daemon runs in-cluster with its ServiceAccount',
};

/** Where the pod sees the node's sentinel: the directory that holds the file on the node, mounted read-only. */
export const SENTINEL_MOUNT = '/sentinel';
const DEFAULT_SENTINEL_DIR = '/var/run';

/** Flags whose value in the manifests differs from the daemon's own default, because of how the pod is built. */
export const DEPLOY_DEFAULTS: Readonly<Record<string, string>> = {
  // The host's /var/run is mounted read-only at /sentinel.
  'reboot-sentinel': `${SENTINEL_MOUNT}/reboot-required`,
};

/** The sentinel file as the pod sees it, and the node's directory mounted at /sentinel for it. */
export interface SentinelPlacement {
  readonly hostDir: string;
  readonly podPath: string;
}

/**
 * `--reboot-sentinel` given to this command names the file on the node, as kured's flag does (kured's own
 * /sentinel/… paths are read through its mounts before they get here): the pod mounts the file's directory
 * read-only at /sentinel and the daemon reads it there. A path already under /sentinel/ is the pod's own (the node's
 * /var/run), as the generated manifests write it.
 */
export function sentinelPlacement(flags: FlagValues): SentinelPlacement {
  const given = flags.get('reboot-sentinel')?.at(-1);
  if (given === undefined || given.startsWith(`${SENTINEL_MOUNT}/`))
    return { hostDir: DEFAULT_SENTINEL_DIR, podPath: given ?? (DEPLOY_DEFAULTS['reboot-sentinel'] as string) };
  const path = posix.normalize(given);
  if (!path.startsWith('/') || path.endsWith('/') || posix.dirname(path) === '/')
    throw new UsageError(
      `--reboot-sentinel: '${given}' is not a file in a directory of the node (the pod mounts that directory at ${SENTINEL_MOUNT}; / is not mounted)`,
    );
  return { hostDir: posix.dirname(path), podPath: `${SENTINEL_MOUNT}/${posix.basename(path)}` };
}

/** The daemon flags a DaemonSet may set: every flag but those the manifests set themselves. */
export const DEPLOYABLE_FLAGS: readonly DaemonFlag[] = DAEMON_FLAGS.filter((f) => !(f.name in SET_BY_MANIFEST));

/** Flag name → its values in the order given (list flags may have several; others keep the last). */
export type FlagValues = ReadonlyMap<string, readonly string[]>;

export interface DeployArgs {
  readonly namespace: string | undefined;
  readonly image: string | undefined;
  readonly fromKured: string | undefined;
  readonly helmValues: boolean;
  /** A Secret (key `url`) the webhook URL comes from, so that it never appears in the DaemonSet. */
  readonly notifyUrlSecret: string | undefined;
  readonly flags: FlagValues;
}

const OWN = {
  namespace: 'value',
  image: 'value',
  'from-kured': 'value',
  'helm-values': 'switch',
  'notify-url-secret': 'value',
} as const;

/**
 * Reads `deploy reboot-daemon`'s arguments: its own `--namespace`, `--image`, `--from-kured`, `--helm-values`,
 * `--notify-url-secret`, and any daemon flag in the daemon's own syntax (`--name value`, `--name=value`, `--no-name`).
 */
export function parseDeployArgs(argv: readonly string[]): DeployArgs {
  const own = new Map<string, string>();
  const flags = new Map<string, string[]>();
  for (const { name, flag, text } of flagTokens(argv, 'deploy reboot-daemon', OWN)) {
    if (!flag) own.set(name, text);
    else if (name in SET_BY_MANIFEST)
      throw new UsageError(`--${name} is set by the manifests: ${SET_BY_MANIFEST[name]}`);
    else setFlag(flags, flag, text);
  }
  return {
    namespace: own.get('namespace'),
    image: own.get('image'),
    fromKured: own.get('from-kured'),
    helmValues: own.has('helm-values'),
    notifyUrlSecret: own.get('notify-url-secret'),
    flags,
  };
}

/** Records one value: list and repeated flags collect, other flags keep the last. */
export function setFlag(flags: Map<string, string[]>, flag: DaemonFlag, value: string): void {
  const previous = flags.get(flag.name);
  const repeatable = flag.kind === 'list' || flag.kind === 'repeated';
  flags.set(flag.name, repeatable && previous ? [...previous, value] : [value]);
}

/** `--name=value` for each value, in the table's order: what the DaemonSet passes the daemon. */
export function flagArguments(flags: FlagValues): string[] {
  return DEPLOYABLE_FLAGS.flatMap((flag) => (flags.get(flag.name) ?? []).map((value) => `--${flag.name}=${value}`));
}

/** The flags as the pod's daemon reads them: deploy defaults where the user gave none, the sentinel where the pod sees it. */
export function withDeployDefaults(flags: FlagValues): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>(Object.entries(DEPLOY_DEFAULTS).map(([k, v]) => [k, [v]]));
  for (const [name, values] of flags) out.set(name, values);
  out.set('reboot-sentinel', [sentinelPlacement(flags).podPath]);
  return out;
}

/**
 * Checks the flags as the daemon will read them, so a wrong value fails now with the daemon's own message and not
 * later in a crash-looping pod.
 */
export function checkFlags(flags: FlagValues): void {
  parseDaemonOptions(['--node-name=check', ...flagArguments(flags)], {});
  sentinelPlacement(flags);
}

/** A Secret name Kubernetes accepts (RFC 1123 subdomain). */
export function checkSecretName(name: string): string {
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name))
    throw new UsageError(`--notify-url-secret: '${name}' is not a Secret name (lower-case letters, digits, '-', '.')`);
  return name;
}

/** A namespace name Kubernetes accepts (RFC 1123 label). */
export function checkNamespace(namespace: string): string {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    throw new UsageError(`--namespace: '${namespace}' is not a namespace name (lower-case letters, digits, '-')`);
  }
  return namespace;
}
