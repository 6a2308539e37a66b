import { writeFile } from 'node:fs/promises';
import { defaultRuleOptions, versionTableWarning } from '../engine/options.js';
import { failsOn, runRules } from '../engine/run.js';
import { selectRules } from '../engine/select.js';
import { UsageError } from '../model/errors.js';
import { SEVERITIES } from '../model/finding.js';
import { FORMATTERS, type FormatName } from '../report/index.js';
import { RULES } from '../rules/index.js';
import { loadInputs } from '../sources/index.js';
import { INPUT_FORMATS, type InputFormat } from '../sources/source.js';
import { type Io, VERSION } from './io.js';
import { progress } from './progress.js';

export interface ScanFlags {
  readonly outputs: readonly { readonly format: string; readonly file: string | undefined }[];
  readonly failOn: string;
  readonly rule: readonly string[];
  readonly excludeRule: readonly string[];
  readonly asOf: string | undefined;
  readonly inputFormat: string | undefined;
  readonly quiet: boolean;
  readonly color: boolean;
}

/** `aksguard scan`: read the inputs, run the rules, write each requested report; 0 pass, 1 fail. */
export async function scan(inputs: readonly string[], flags: ScanFlags, io: Io): Promise<number> {
  if (inputs.length === 0)
    throw new UsageError('give a file, a folder or - (stdin) to scan, e.g. `aksguard scan cluster.json`');
  const failOn = oneOf(flags.failOn, [...SEVERITIES, 'none'] as const, '--fail-on');
  const inputFormat =
    flags.inputFormat === undefined ? undefined : oneOf(flags.inputFormat, INPUT_FORMATS, '--input-format');
  const outputs = flags.outputs.map((o) => ({
    ...o,
    format: oneOf(o.format, Object.keys(FORMATTERS) as FormatName[], '--format'),
  }));
  const now = flags.asOf === undefined ? io.now() : parseDate(flags.asOf);
  const rules = selectRules(RULES, flags.rule, flags.excludeRule);

  const shown = progress(io, 'reading inputs', !flags.quiet);
  const loaded = await loadInputs(inputs, {
    format: inputFormat as InputFormat | undefined,
    readStdin: io.readStdin,
    onProgress: shown.update,
  }).finally(shown.end);

  const options = defaultRuleOptions();
  const warning = versionTableWarning(now, options.kubernetesVersions);
  if (warning && !flags.quiet) io.stderr.write(`aksguard: warning: ${warning}\n`);
  const result = runRules(loaded.snapshot, {
    rules,
    context: { now, options },
    version: VERSION,
    skipped: loaded.skipped,
  });
  const failed = failsOn(result, failOn);

  for (const { format, file } of outputs) {
    const rendered = FORMATTERS[format](result, {
      color: flags.color && file === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR,
      quiet: flags.quiet,
      failOn,
      failed,
    });
    if (file === undefined) io.stdout.write(rendered);
    else await writeFile(file, rendered);
  }
  if (result.summary.errors > 0) io.stderr.write(`aksguard: ${result.summary.errors} rule(s) failed; see the report\n`);
  return failed ? 1 : 0;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}

function parseDate(value: string): Date {
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw new UsageError(`--as-of must be an ISO date such as 2026-11-28 or 2026-11-28T06:00:00Z (got '${value}')`);
  return new Date(time);
}
