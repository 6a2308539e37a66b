import { posix } from 'node:path';
import { InputError } from '../model/errors.js';
import { DAEMON_FLAGS, type DaemonFlag, envName, parseDuration } from '../reboot/flags.js';
import { parseYamlDocuments } from '../sources/parse/yaml.js';
import { DEPLOYABLE_FLAGS, type FlagValues, setFlag } from './options.js';

/** kured flags with no aksguard flag of the same meaning, and why: printed so a migration loses nothing silently. */
const NO_EQUIVALENT: Readonly<Record<string, string>> = {
  'ds-name': 'the lock is the Lease aksguard-reboot in the daemon’s namespace, not an annotation on the DaemonSet',
  'ds-namespace': 'the Lease lives in the namespace the daemon is deployed to (--namespace)',
  'lock-annotation':
    'the lock is the Lease aksguard-reboot in the daemon’s namespace, not an annotation on the DaemonSet',
  'annotate-nodes': 'the daemon always annotates nodes (aksguard.io/reboot-required-since, aksguard.io/reboot-state)',
  'slack-username': 'Slack posts use the webhook’s own name',
  'slack-channel': 'Slack posts go to the webhook’s own channel',
};

/** Old kured flags that still mean an aksguard flag. */
const KURED_ALIASES: Readonly<Record<string, string>> = { 'slack-hook-url': 'notify-url' };

/** kured flags the manifests set themselves: translated by the manifest, nothing to report. */
const SET_BY_MANIFEST = new Set(['node-id']);

export interface KuredTranslation {
  /** aksguard daemon flag → values. */
  readonly flags: FlagValues;
  /** `AKSGUARD_<FLAG>` variables taken from the Secrets or ConfigMaps kured's `KURED_<FLAG>` came from. */
  readonly env: readonly EnvFrom[];
  /** One line per kured setting not carried over as it was, for stderr. */
  readonly notes: readonly string[];
}

/** An environment variable whose value the cluster supplies (`valueFrom`), kept as a reference. */
export interface EnvFrom {
  readonly name: string;
  readonly valueFrom: Record<string, unknown>;
}

/** One `--flag` kured was given, where it came from. */
interface KuredSetting {
  readonly name: string;
  readonly value: string | undefined;
  readonly from: string;
  /** Set from a Secret or ConfigMap: the manifest holds only the reference. */
  readonly valueFrom?: Record<string, unknown>;
}

/**
 * Translates a kured DaemonSet's settings (container `--flag=value`/`--flag value` arguments and `KURED_*`
 * environment variables; the command line wins, as in kured) into aksguard daemon flags of the same meaning.
 * Flags in `overridden` (given to this command) are left out. A value the daemon refuses (`check` says why) is an
 * error, because dropping it could widen the reboot window; only kured's `--lock-ttl=0` (never expire) becomes
 * aksguard's default, which never frees the slot of a node that is down either.
 */
export function translateKured(
  file: string,
  text: string,
  overridden: ReadonlySet<string>,
  check: (flags: FlagValues) => string | undefined,
): KuredTranslation {
  const { container, volumes } = kuredPod(file, text);
  const flags = new Map<string, string[]>();
  const sources = new Map<string, string>();
  const env = new Map<string, EnvFrom>();
  const notes: string[] = [];
  for (const setting of [...envSettings(container), ...argSettings(container)]) {
    const flag = aksguardFlag(setting.name);
    if (SET_BY_MANIFEST.has(setting.name) || (flag && overridden.has(flag.name))) continue;
    if (!flag || !DEPLOYABLE_FLAGS.includes(flag)) {
      const why = NO_EQUIVALENT[setting.name] ?? 'no aksguard reboot-daemon flag means this';
      notes.push(`kured ${setting.from}: not carried over: ${why}`);
      continue;
    }
    if (setting.valueFrom) {
      env.set(flag.name, { name: envName(flag.name), valueFrom: setting.valueFrom });
      notes.push(`kured ${setting.from}: carried over as ${envName(flag.name)} from ${sourceOf(setting.valueFrom)}`);
      continue;
    }
    const value = setting.value ?? (flag.kind === 'boolean' ? 'true' : undefined);
    if (value === undefined || value === '') continue;
    // The command line replaces what the environment set, even for repeatable flags.
    if (setting.from.startsWith('--') && !sources.get(flag.name)?.startsWith('--')) flags.delete(flag.name);
    env.delete(flag.name);
    setFlag(flags, flag, value);
    sources.set(flag.name, setting.from);
  }
  const sentinel = flags.get('reboot-sentinel')?.at(-1);
  if (sentinel) flags.set('reboot-sentinel', [onNode(sentinel, container, volumes)]);
  if (flags.get('lock-ttl')?.every((v) => parseDuration(v) === 0)) {
    notes.push(
      `kured ${sources.get('lock-ttl')}: the default --lock-ttl (60s) instead: aksguard holds a slot through the reboot too, and --lock-ttl only frees the slot of a holder that vanished while its node is healthy`,
    );
    flags.delete('lock-ttl');
  }
  const refused = refusedFlag(flags, check);
  if (refused) {
    const { name, why } = refused;
    const from = sources.get(name) as string;
    throw new InputError(
      file,
      `kured ${from}: ${why}; give --${name} to this command to choose a value aksguard takes`,
    );
  }
  return { flags, env: [...env.values()], notes };
}

/**
 * A translated flag the daemon refuses, and why: the one without which the rest is taken (so a flag that needs
 * another, such as --alert-filter-match-only, is judged with it), else the first refused on its own.
 */
function refusedFlag(
  flags: Map<string, string[]>,
  check: (flags: FlagValues) => string | undefined,
): { name: string; why: string } | undefined {
  const all = check(flags);
  if (!all) return undefined;
  const names = [...flags.keys()];
  const needed = names.find((name) => check(new Map([...flags].filter(([n]) => n !== name))) === undefined);
  if (needed) return { name: needed, why: all };
  for (const name of names) {
    const why = check(new Map([[name, flags.get(name) as string[]]]));
    if (why) return { name, why };
  }
  return { name: names[0] as string, why: all };
}

function aksguardFlag(kuredName: string): DaemonFlag | undefined {
  const name = KURED_ALIASES[kuredName];
  return DAEMON_FLAGS.find((f) => (name ? f.name === name : f.kured === kuredName));
}

interface Container {
  readonly name?: unknown;
  readonly image?: unknown;
  readonly command?: unknown;
  readonly args?: unknown;
  readonly env?: unknown;
  readonly volumeMounts?: unknown;
}

interface Volume {
  readonly name?: unknown;
  readonly hostPath?: { readonly path?: unknown };
}

/**
 * Where kured's sentinel is on the node: kured reads it inside its container, so a path under one of its hostPath
 * mounts (kured's own DaemonSet mounts the node's /var/run at /sentinel) is that host directory's file; a path no
 * mount covers is the node's own (older kured ran `test -f` on the host through nsenter). The deploy command then
 * mounts that directory where aksguard's pod reads it.
 */
function onNode(path: string, container: Container, volumes: readonly Volume[]): string {
  const mounts = Array.isArray(container.volumeMounts)
    ? (container.volumeMounts as { name?: unknown; mountPath?: unknown }[])
    : [];
  const within = (mountPath: string) => path === mountPath || path.startsWith(`${mountPath.replace(/\/$/, '')}/`);
  const mount = mounts
    .filter((m): m is { name: string; mountPath: string } => typeof m.mountPath === 'string' && within(m.mountPath))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  const host = volumes.find((v) => v.name === mount?.name)?.hostPath?.path;
  if (!mount || typeof host !== 'string') return path;
  return posix.join(host, posix.relative(mount.mountPath, path));
}

/** The kured container of the file's DaemonSet (the one whose name or image says kured, else the first), and its pod's volumes. */
function kuredPod(file: string, text: string): { container: Container; volumes: Volume[] } {
  const objects = parseYamlDocuments(file, text).flatMap(({ value }) => items(value));
  const daemonSets = objects.filter((o) => o.kind === 'DaemonSet');
  const kured = daemonSets.find((ds) => JSON.stringify(ds).includes('kured')) ?? daemonSets[0];
  if (!kured)
    throw new InputError(
      file,
      'no DaemonSet in this file: give the kured DaemonSet (kubectl get ds kured -n kube-system -o yaml)',
    );
  const spec = (kured.spec as { template?: { spec?: { containers?: unknown; volumes?: unknown } } } | undefined)
    ?.template?.spec;
  const containers = Array.isArray(spec?.containers) ? (spec.containers as Container[]) : [];
  const container = containers.find((c) => String(c.image ?? '').includes('kured')) ?? containers[0];
  if (!container) throw new InputError(file, 'the DaemonSet has no containers');
  return { container, volumes: Array.isArray(spec?.volumes) ? (spec.volumes as Volume[]) : [] };
}

/** The objects of one YAML document: itself, or the items of a `kubectl get -o yaml` List. */
function items(value: unknown): Record<string, unknown>[] {
  if (typeof value !== 'object' || value === null) return [];
  const object = value as Record<string, unknown>;
  return Array.isArray(object.items) ? object.items.flatMap(items) : [object];
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** `--name=value` and `--name value` tokens of the command and arguments (a following `--x` is not a value). */
function argSettings(container: Container): KuredSetting[] {
  const tokens = [...strings(container.command), ...strings(container.args)];
  const out: KuredSetting[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (!token.startsWith('--')) continue;
    const eq = token.indexOf('=');
    const name = eq < 0 ? token.slice(2) : token.slice(2, eq);
    let value = eq < 0 ? undefined : unquote(token.slice(eq + 1));
    const next = tokens[i + 1];
    if (value === undefined && aksguardFlag(name)?.kind !== 'boolean' && next !== undefined && !next.startsWith('--')) {
      value = unquote(next);
      i++;
    }
    out.push({ name, value, from: `--${name}` });
  }
  return out;
}

/** `KURED_REBOOT_DAYS=…` → `reboot-days`; a value from a Secret or ConfigMap stays a reference. */
function envSettings(container: Container): KuredSetting[] {
  const env = Array.isArray(container.env)
    ? (container.env as { name?: unknown; value?: unknown; valueFrom?: unknown }[])
    : [];
  return env.flatMap((entry): KuredSetting[] => {
    if (typeof entry.name !== 'string' || !entry.name.startsWith('KURED_')) return [];
    const name = entry.name.slice(6).toLowerCase().replace(/_/g, '-');
    const from = `env ${entry.name}`;
    if (typeof entry.valueFrom === 'object' && entry.valueFrom !== null) {
      return [{ name, value: undefined, from, valueFrom: entry.valueFrom as Record<string, unknown> }];
    }
    return [{ name, value: entry.value === undefined ? undefined : String(entry.value), from }];
  });
}

/** Where a `valueFrom` points, and what the user must do about it in the new namespace. */
function sourceOf(valueFrom: Record<string, unknown>): string {
  const ref = (key: string) => (valueFrom[key] as { name?: unknown } | undefined)?.name;
  if (ref('secretKeyRef')) return `Secret ${String(ref('secretKeyRef'))}: copy it to the daemon's namespace`;
  if (ref('configMapKeyRef')) return `ConfigMap ${String(ref('configMapKeyRef'))}: copy it to the daemon's namespace`;
  return `the same ${Object.keys(valueFrom).join(', ')}`;
}

/** kured examples often write `--flag=""`: quotes a shell would have removed are not part of the value. */
const unquote = (value: string): string => value.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
