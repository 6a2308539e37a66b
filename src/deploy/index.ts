import { readFileSync } from 'node:fs';
import { InputError, UsageError } from '../model/errors.js';
import { readScheduleFile } from '../reboot/window.js';
import { translateKured } from './kured.js';
import { rebootDaemonManifests } from './manifests.js';
import { checkFlags, checkNamespace, DEFAULT_NAMESPACE, type DeployArgs, type FlagValues } from './options.js';
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
  const image = args.image ?? defaultImage;
  if (image.trim() === '' || /\s/.test(image)) throw new UsageError(`--image: '${image}' is not an image reference`);
  const kured =
    args.fromKured === undefined
      ? undefined
      : translateKured(args.fromKured, readKured(args.fromKured), new Set(args.flags.keys()), refusal);
  const env = kured?.env ?? [];
  const flags = new Map([...(kured?.flags ?? []), ...args.flags]);
  checkFlags(flags);
  const schedule = scheduleText(flags.get('maintenance-schedule')?.at(-1));
  const text = args.helmValues
    ? helmValues(image, flags, { schedule, env })
    : manifestsYaml(
        rebootDaemonManifests({ namespace, image, flags, env, ...(schedule === undefined ? {} : { schedule }) }),
      );
  return { text, notes: kured?.notes ?? [] };
}

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
