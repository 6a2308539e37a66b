import { InputError, UsageError } from '../model/errors.js';
import type { Fragment } from './fragment.js';

/**
 * How much aksguard reads before it refuses: the bounds that keep a hostile input (an endless stream, a million
 * tiny objects, a huge YAML file) from exhausting the machine. Each is a clear one-line error, never a crash, and
 * each can be raised through the environment for an input that is really that big.
 */
export interface Limits {
  /** Bytes of one input (a file, stdin, a named pipe). `AKSGUARD_MAX_INPUT_MB`. */
  readonly inputBytes: number;
  /** Bytes of one YAML file: YAML parses about a hundred times slower than JSON. `AKSGUARD_MAX_YAML_MB`. */
  readonly yamlBytes: number;
  /** Kubernetes objects (and list items) in one scan. `AKSGUARD_MAX_OBJECTS`. */
  readonly objects: number;
  /** Findings in one scan: beyond this a report is no longer something anyone reads. `AKSGUARD_MAX_FINDINGS`. */
  readonly findings: number;
  /** How long a named pipe may stay silent before the read gives up. `AKSGUARD_PIPE_TIMEOUT` (seconds). */
  readonly pipeIdleMs: number;
}

const MB = 2 ** 20;

export const DEFAULT_LIMITS: Limits = {
  // The 300 MB cluster dump of DESIGN.md fits; reading a file takes up to three times its size at the peak (the
  // bytes, the text, and a parsed copy of its longest string), which keeps this under DESIGN.md's 1.5 GB.
  inputBytes: 400 * MB,
  yamlBytes: 8 * MB,
  // 2.5 times the 150,000 objects of the DESIGN.md large cluster.
  objects: 400_000,
  // Over three times the findings of that cluster; producing and reporting each costs about 0.1 ms.
  findings: 100_000,
  pipeIdleMs: 30_000,
};

/** The limits, each overridden by its environment variable when set. */
export function limits(env: Readonly<Record<string, string | undefined>> = process.env): Limits {
  return {
    inputBytes: positive(env, 'AKSGUARD_MAX_INPUT_MB', DEFAULT_LIMITS.inputBytes, MB),
    yamlBytes: positive(env, 'AKSGUARD_MAX_YAML_MB', DEFAULT_LIMITS.yamlBytes, MB),
    objects: positive(env, 'AKSGUARD_MAX_OBJECTS', DEFAULT_LIMITS.objects, 1),
    findings: positive(env, 'AKSGUARD_MAX_FINDINGS', DEFAULT_LIMITS.findings, 1),
    pipeIdleMs: positive(env, 'AKSGUARD_PIPE_TIMEOUT', DEFAULT_LIMITS.pipeIdleMs, 1000),
  };
}

function positive(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, unit: number) {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!(value > 0)) throw new UsageError(`${name} must be a positive number (got '${text}')`);
  return Math.floor(value * unit);
}

/** `400 MB`, `1.5 MB`. */
export const megabytes = (bytes: number): string => `${Number((bytes / MB).toFixed(1))} MB`;

export const tooLarge = (file: string, bytes: number, variable = 'AKSGUARD_MAX_INPUT_MB', why = ''): InputError =>
  new InputError(
    file,
    `larger than ${megabytes(bytes)}: refused (${why ? `${why}; ` : ''}${variable} raises the limit)`,
  );

/** A limit of the whole scan (not of one file): reached in a folder scan, it ends the scan instead of a skip. */
export class ScanLimit extends InputError {
  override name = 'ScanLimit';
}

export const tooManyObjects = (file: string, objects: number): InputError =>
  new ScanLimit(
    file,
    `more than ${objects.toLocaleString('en')} Kubernetes objects or list items in this scan: refused (scan fewer at once, or raise AKSGUARD_MAX_OBJECTS)`,
  );

/**
 * Wraps the per-item hook of the JSON reader so that a file of millions of tiny items is refused while it is
 * being read, long before it fills the memory.
 */
export function countingItems<T>(file: string, max: number, each: (item: unknown) => T): (item: unknown) => T {
  let count = 0;
  return (item) => {
    if (++count > max) throw tooManyObjects(file, max);
    return each(item);
  };
}

/** A running count of the Kubernetes objects the scan's files hold, refused past `max`. */
export function countObjects(max: number): { readonly max: number; add(file: string, fragment: Fragment): void } {
  let total = 0;
  return {
    max,
    add(file, fragment) {
      for (const part of fragment.kubernetes ?? []) total += part.objects.length;
      if (total > max) throw tooManyObjects(file, max);
    },
  };
}

/**
 * What V8 throws when a value outgrows it (`Invalid string length`, `Invalid array length`, `Maximum call stack
 * size exceeded`) while a file is evaluated, as that file's one-line error instead of an internal one.
 */
export function exhausted(file: string, error: unknown): unknown {
  if (!(error instanceof RangeError)) return error;
  const nesting = /call stack/i.test(error.message);
  return new InputError(
    file,
    nesting
      ? 'nested or recursive too deeply to evaluate: refused'
      : `a value in this file grows too large to evaluate (${error.message}): refused`,
  );
}

/** The limits and their variables, for `--help`. */
export const LIMITS_HELP = `Limits (raise them for an input that really is that big): AKSGUARD_MAX_INPUT_MB=${DEFAULT_LIMITS.inputBytes / MB}, AKSGUARD_MAX_YAML_MB=${DEFAULT_LIMITS.yamlBytes / MB}, AKSGUARD_MAX_OBJECTS=${DEFAULT_LIMITS.objects}, AKSGUARD_MAX_FINDINGS=${DEFAULT_LIMITS.findings}, AKSGUARD_PIPE_TIMEOUT=${DEFAULT_LIMITS.pipeIdleMs / 1000} (seconds).`;
