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
  kubeconfig: 'the daemon runs in-cluster with its ServiceAccount',
};

/** Flags whose value in the manifests differs from the daemon's own default, because of how the pod is built. */
export const DEPLOY_DEFAULTS: Readonly<Record<string, string>> = {
  // The host's /var/run is mounted read-only at /sentinel.
  'reboot-sentinel': '/sentinel/reboot-required',
};

/** The daemon flags a DaemonSet may set: every flag but those the manifests set themselves. */
export const DEPLOYABLE_FLAGS: readonly DaemonFlag[] = DAEMON_FLAGS.filter((f) => !(f.name in SET_BY_MANIFEST));

/** Flag name → its values in the order given (list flags may have several; others keep the last). */
export type FlagValues = ReadonlyMap<string, readonly string[]>;

export interface DeployArgs {
  readonly namespace: string | undefined;
  readonly image: string | undefined;
  readonly fromKured: string | undefined;
  readonly helmValues: boolean;
  /** `--notify-url-secret NAME[:KEY]`: the webhook URL from a Secret instead of the DaemonSet's arguments. */
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
 * Reads `deploy reboot-daemon`'s arguments: its own `--namespace`, `--image`, `--from-kured`, `--helm-values`, and
 * any daemon flag in the daemon's own syntax (`--name value`, `--name=value`, `--no-name` for booleans).
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

/** Records one value: list flags collect, other flags keep the last. */
export function setFlag(flags: Map<string, string[]>, flag: DaemonFlag, value: string): void {
  const previous = flags.get(flag.name);
  flags.set(flag.name, flag.kind === 'list' && previous ? [...previous, value] : [value]);
}

/** `--name=value` for each value, in the table's order: what the DaemonSet passes the daemon. */
export function flagArguments(flags: FlagValues): string[] {
  return DEPLOYABLE_FLAGS.flatMap((flag) => (flags.get(flag.name) ?? []).map((value) => `--${flag.name}=${value}`));
}

/** The flags with the deploy defaults filled in where the user gave none. */
export function withDeployDefaults(flags: FlagValues): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>(Object.entries(DEPLOY_DEFAULTS).map(([k, v]) => [k, [v]]));
  for (const [name, values] of flags) out.set(name, values);
  return out;
}

/**
 * Checks the flags as the daemon will read them, so a wrong value fails now with the daemon's own message and not
 * later in a crash-looping pod.
 */
export function checkFlags(flags: FlagValues): void {
  parseDaemonOptions(['--node-name=check', ...flagArguments(flags)], {});
}

/**
 * An image reference Kubernetes pulls: `[registry/]name[:tag][@sha256:<64 hex digits>]`. A digest is checked
 * whole, since a shortened one would be pulled by nobody and the pod would never start.
 */
export function checkImage(image: string): string {
  const [name = '', digest, ...rest] = image.split('@');
  if (rest.length > 0 || !/^[a-z0-9][\w./:-]*$/i.test(name))
    throw new UsageError(`--image: '${image}' is not an image reference (registry/name:tag or registry/name@sha256:…)`);
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest))
    throw new UsageError(`--image: '${digest}' is not an image digest (sha256: and 64 hexadecimal digits)`);
  return image;
}

/** `NAME` or `NAME:KEY` of `--notify-url-secret`: a Secret name Kubernetes accepts and the key in it (`url`). */
export function notifyUrlSecret(reference: string): { name: string; key: string } {
  const [name = '', key = 'url', ...rest] = reference.split(':');
  if (rest.length > 0 || !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name) || !/^[-._a-zA-Z0-9]+$/.test(key)) {
    throw new UsageError(
      `--notify-url-secret: '${reference}' is not NAME or NAME:KEY (a Secret name, and a key in it; default key url)`,
    );
  }
  return { name, key };
}

/** A namespace name Kubernetes accepts (RFC 1123 label). */
export function checkNamespace(namespace: string): string {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    throw new UsageError(`--namespace: '${namespace}' is not a namespace name (lower-case letters, digits, '-')`);
  }
  return namespace;
}
