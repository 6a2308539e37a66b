import { readFileSync } from 'node:fs';
import { InputError, UsageError } from '../model/errors.js';
import { readScheduleFile } from '../reboot/window.js';
import { parseImage } from './image.js';
import { type EnvFrom, translateKured } from './kured.js';
import { rebootDaemonManifests } from './manifests.js';
import {
  checkFlags,
  checkNamespace,
  checkSecretName,
  DEFAULT_NAMESPACE,
  type DeployArgs,
  type FlagValues,
} from './options.js';
import { helmValues, manifestsYaml } from './render.js';

export { DEFAULT_NAMESPACE } from './options.js';

export interface DeployOutput {
  /** The YAML to apply, or the chart values with `--helm-values`. */
  readonly text: string;
  /** One line per kured setting `--from-kured` did not carry over, and warnings (a webhook secret in the args). */
  readonly notes: readonly string[];
}

/**
 * `aksguard deploy reboot-daemon`: the manifests (or Helm values) for the given daemon flags, over the flags
 * translated from a kured DaemonSet when one is given. Flags are checked by the daemon's own parser first.
 */
export function deployRebootDaemon(args: DeployArgs, defaultImage: string): DeployOutput {
  const namespace = checkNamespace(args.namespace ?? DEFAULT_NAMESPACE);
  const image = args.image ?? defaultImage;
  parseImage(image);
  const secret = args.notifyUrlSecret === undefined ? undefined : checkSecretName(args.notifyUrlSecret);
  if (secret && args.flags.has('notify-url'))
    throw new UsageError(
      'give --notify-url or --notify-url-secret, not both (the Secret keeps the URL out of the DaemonSet)',
    );
  const overridden = new Set([...args.flags.keys(), ...(secret ? ['notify-url'] : [])]);
  const kured =
    args.fromKured === undefined
      ? undefined
      : translateKured(args.fromKured, readKured(args.fromKured), overridden, (kured) =>
          refusal(new Map([...kured, ...args.flags])),
        );
  const env = kured?.env ?? [];
  const flags = new Map([...(kured?.flags ?? []), ...args.flags]);
  checkFlags(flags);
  const schedule = scheduleText(flags.get('maintenance-schedule')?.at(-1));
  const text = args.helmValues
    ? helmValues(image, flags, { schedule, env, notifyUrlSecret: secret })
    : manifestsYaml(
        rebootDaemonManifests({
          namespace,
          image,
          flags,
          env: [...env, ...(secret ? [notifyUrlFrom(secret)] : [])],
          ...(schedule === undefined ? {} : { schedule }),
        }),
      );
  const inArgs = flags.has('notify-url')
    ? [
        '--notify-url is written into the DaemonSet in clear; a webhook URL holds a secret: keep it in a Secret and give --notify-url-secret NAME instead',
      ]
    : [];
  return { text, notes: [...(kured?.notes ?? []), ...inArgs] };
}

/** The daemon reads `AKSGUARD_NOTIFY_URL` like the flag: from the Secret's key `url`, never from the manifest. */
export const notifyUrlFrom = (secret: string): EnvFrom => ({
  name: 'AKSGUARD_NOTIFY_URL',
  valueFrom: { secretKeyRef: { name: secret, key: 'url' } },
});

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
