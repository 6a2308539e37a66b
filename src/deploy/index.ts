import { readFileSync } from 'node:fs';
import { InputError, UsageError } from '../model/errors.js';
import { envName } from '../reboot/flags.js';
import { readScheduleFile } from '../reboot/window.js';
import type { EnvFrom } from './kured.js';
import { translateKured } from './kured.js';
import { rebootDaemonManifests } from './manifests.js';
import {
  checkFlags,
  checkImage,
  checkNamespace,
  DEFAULT_NAMESPACE,
  type DeployArgs,
  type FlagValues,
  notifyUrlSecret,
} from './options.js';
import { helmValues, manifestsYaml } from './render.js';

export { DEFAULT_NAMESPACE } from './options.js';

export interface DeployOutput {
  /** The YAML to apply, or the chart values with `--helm-values`. */
  readonly text: string;
  /** One line per kured setting `--from-kured` did not carry over. */
  readonly notes: readonly string[];
}

/**
 * `aksguard deploy reboot-daemon`: the manifests (or Helm values) for the given daemon flags, over the flags
 * translated from a kured DaemonSet when one is given. Flags are checked by the daemon's own parser first.
 */
export function deployRebootDaemon(args: DeployArgs, defaultImage: string): DeployOutput {
  const namespace = checkNamespace(args.namespace ?? DEFAULT_NAMESPACE);
  const image = checkImage(args.image ?? defaultImage);
  const kured =
    args.fromKured === undefined
      ? undefined
      : translateKured(args.fromKured, readKured(args.fromKured), overridden(args), refusal);
  const flags = new Map([...(kured?.flags ?? []), ...args.flags]);
  const env = [...(kured?.env ?? []), ...notifyFromSecret(args.notifyUrlSecret, flags)];
  checkFlags(flags);
  const schedule = scheduleText(flags.get('maintenance-schedule')?.at(-1));
  const text = args.helmValues
    ? helmValues(image, flags, { schedule, env })
    : manifestsYaml(
        rebootDaemonManifests({ namespace, image, flags, env, ...(schedule === undefined ? {} : { schedule }) }),
      );
  return { text, notes: [...(kured?.notes ?? []), ...inlineSecretNotes(flags)] };
}

/**
 * `--notify-url-secret NAME[:KEY]` as the daemon's `AKSGUARD_NOTIFY_URL`, read from the Secret by the kubelet: a
 * webhook URL carries its token, and DaemonSet arguments are readable by anyone who may read DaemonSets. The
 * daemon's arguments would override the variable, so a URL given both ways is refused.
 */
function notifyFromSecret(reference: string | undefined, flags: Map<string, readonly string[]>): EnvFrom[] {
  if (reference === undefined) return [];
  if (flags.has('notify-url'))
    throw new UsageError('--notify-url-secret and --notify-url both set the webhook: give one');
  const secretKeyRef = notifyUrlSecret(reference);
  return [{ name: envName('notify-url'), valueFrom: { secretKeyRef } }];
}

/** The daemon flags this command's arguments set, which a kured DaemonSet's settings do not replace. */
const overridden = (args: DeployArgs): Set<string> =>
  new Set([...args.flags.keys(), ...(args.notifyUrlSecret === undefined ? [] : ['notify-url'])]);

/** A webhook URL printed into the DaemonSet's arguments is a secret in plain sight: say so, and what to use. */
const inlineSecretNotes = (flags: FlagValues): string[] =>
  flags.has('notify-url')
    ? [
        'aksguard: warning: --notify-url puts the webhook URL (and its token) in the DaemonSet arguments, readable by anyone who may read DaemonSets; keep it in a Secret and give --notify-url-secret NAME[:KEY] instead',
      ]
    : [];

/**
 * The `--maintenance-schedule` file names a file here, on the machine that runs this command; the pod gets its
 * content in a ConfigMap. It is checked with the daemon's own reader first.
 */
function scheduleText(file: string | undefined): string | undefined {
  if (file === undefined || file === '') return undefined;
  readScheduleFile(file);
  return readFileSync(file, 'utf8');
}

function readKured(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(file, code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(error)})`);
  }
}

/** Why the daemon would refuse these flags, or undefined when it takes them. */
function refusal(flags: FlagValues): string | undefined {
  try {
    checkFlags(flags);
    return undefined;
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
}
