import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { parseBaseline } from '../engine/baseline.js';
import { type Config, findConfig, loadConfig } from '../engine/config.js';
import { inFrameworks, loadFrameworks, parseFrameworks, withFrameworks } from '../engine/frameworks.js';
import { compilePathGlob } from '../engine/glob.js';
import { defaultRuleOptions, versionTableWarning } from '../engine/options.js';
import { failsOn, runRules } from '../engine/run.js';
import { selectRules } from '../engine/select.js';
import { applySuppressions } from '../engine/suppress.js';
import { UsageError } from '../model/errors.js';
import { SEVERITIES } from '../model/finding.js';
import { FRAMEWORK_IDS } from '../model/framework.js';
import type { ScanResult } from '../model/result.js';
import type { Rule } from '../model/rule.js';
import { FORMATTERS, type FormatName, renderReport, ruleFailures } from '../report/index.js';
import { terminalLine } from '../report/terminal.js';
import { RULES } from '../rules/index.js';
import { type Loaded, loadInputs } from '../sources/index.js';
import { LIMITS_HELP, limits } from '../sources/limits.js';
import { readInputFile } from '../sources/read-input.js';
import { INPUT_FORMATS, type InputFormat } from '../sources/source.js';
import {
  type AzureFlags,
  armEndpointOption,
  azureConcurrencyOption,
  azureFlags,
  azureFragments,
  azureOption,
  nameOption,
  resourceGroupOption,
  subscriptionOption,
  wantsAzure,
} from './azure-options.js';
import {
  CommandWithEnvironment,
  choiceOption,
  collect,
  excludeRuleOption,
  type Register,
  ruleOption,
} from './command.js';
import { type Io, VERSION } from './io.js';
import {
  chunkSizeOption,
  contextOption,
  type KubeFlags,
  kubeconfigOption,
  kubeFlags,
  liveFragments,
  requestTimeoutOption,
  targetOption,
  wantsLiveCluster,
} from './kube-options.js';
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
  /** A live cluster to read (`--kubeconfig`, `--context`) and the `--target` its objects join. */
  readonly kube?: KubeFlags;
  /** Clusters to read from Azure (`--azure`, `--subscription`, `--resource-group`, `--name`). */
  readonly azure?: AzureFlags;
  /** `--config FILE`; without it `aksguard.config.yaml` in the working directory is read when present. */
  readonly config?: string | undefined;
  /** `--baseline FILE`: findings it lists are suppressed, so only new ones fail the scan. */
  readonly baseline?: string | undefined;
  /** `--framework ID…`: run only the rules mapped to these compliance frameworks and summarize their controls. */
  readonly framework?: readonly string[];
  /** `--skip-path GLOB…`: paths folder scans leave out (with the config's `skipPaths`). */
  readonly skipPath?: readonly string[];
  /** `--allow-empty`: a scan that finds no cluster passes instead of exiting 2. */
  readonly allowEmpty?: boolean;
  /** `--fail-on-undecided`: findings the input could not decide fail the scan. */
  readonly failOnUndecided?: boolean;
  /** The config already read (for its `scan:` defaults), so the scan does not read it again. */
  readonly loadedConfig?: Config | undefined;
}

/** `aksguard scan`: read the inputs, run the rules, write each requested report; 0 pass, 1 fail. */
export async function scan(inputs: readonly string[], flags: ScanFlags, io: Io): Promise<number> {
  const failOn = oneOf(flags.failOn, [...SEVERITIES, 'none'] as const, '--fail-on');
  const outputs = flags.outputs.map((o) => ({
    ...o,
    format: oneOf(o.format, Object.keys(FORMATTERS) as FormatName[], '--format'),
  }));
  const { result, rules } = await scanResult(inputs, flags, io);
  const failOnUndecided = flags.failOnUndecided === true;
  const failed = failsOn(result, failOn, failOnUndecided);

  for (const { format, file } of outputs) {
    const rendered = renderReport(format, result, {
      color: flags.color && file === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR,
      quiet: flags.quiet,
      failOn,
      failed,
      failOnUndecided,
      rules: rules.map((r) => r.meta),
      frameworks: loadFrameworks(),
    });
    if (file === undefined) for (const chunk of rendered) io.stdout.write(chunk);
    else await writeFile(file, rendered);
  }
  // A rule that threw could not judge the inputs: the scan is incomplete, so it must not pass (see RULES.md).
  for (const line of ruleFailures(result)) io.stderr.write(`aksguard: ${terminalLine(line)}\n`);
  if (result.summary.errors > 0) return 2;
  return failed ? 1 : 0;
}

/**
 * The scan itself, shared with `baseline create`: reads the config and the inputs, runs the rules the config
 * leaves enabled, applies severity overrides and suppressions, and prints what the user should know on stderr.
 */
export async function scanResult(
  inputs: readonly string[],
  flags: ScanFlags,
  io: Io,
): Promise<{ result: ScanResult; rules: readonly Rule[] }> {
  if (inputs.length === 0 && !wantsLiveCluster(flags.kube) && !wantsAzure(flags.azure))
    throw new UsageError('give a file, a folder or - (stdin) to scan, e.g. `aksguard scan cluster.json`');
  const inputFormat =
    flags.inputFormat === undefined ? undefined : oneOf(flags.inputFormat, INPUT_FORMATS, '--input-format');
  const now = flags.asOf === undefined ? io.now() : parseDate(flags.asOf);
  const ruleIds = RULES.map((r) => r.meta.id);
  const config = flags.loadedConfig ?? (await readConfig(flags.config));
  const baseline =
    flags.baseline === undefined ? undefined : parseBaseline(flags.baseline, await readInputFile(flags.baseline));
  const disabled = config?.disable.length ? selectRules(RULES, config.disable, []) : [];
  const frameworks = parseFrameworks(flags.framework ?? []);
  const mapped = inFrameworks(frameworks);
  const rules = selectRules(RULES, flags.rule, flags.excludeRule).filter(
    (r) => !disabled.includes(r) && mapped(r.meta.id),
  );

  const extra = [
    ...(await azureFragments(flags.azure, io, flags.quiet)),
    ...(await liveFragments(flags.kube, io, flags.quiet)),
  ];
  const shown = progress(io, 'reading inputs', !flags.quiet);
  const loaded = await loadInputs(inputs, {
    format: inputFormat as InputFormat | undefined,
    readStdin: io.readStdin,
    onProgress: shown.update,
    extra,
    join: { target: flags.kube?.target },
    skipPath: skipPaths([...(flags.skipPath ?? []), ...(config?.skipPaths ?? [])]),
  }).finally(shown.end);
  if (!flags.quiet)
    for (const skip of loaded.skipped)
      io.stderr.write(`aksguard: warning: skipped ${terminalLine(skip.file)}: ${terminalLine(skip.reason)}\n`);
  if (loaded.snapshot.targets.length === 0 && flags.allowEmpty !== true)
    throw new UsageError(nothingFound(inputs, loaded));

  const options = defaultRuleOptions();
  const warning = versionTableWarning(now, options.kubernetesVersions);
  if (warning && !flags.quiet) io.stderr.write(`aksguard: warning: ${terminalLine(warning)}\n`);
  const raw = runRules(loaded.snapshot, {
    rules,
    context: { now, options },
    version: VERSION,
    skipped: loaded.skipped,
    maxFindings: limits().findings,
    ruleOptions: config?.rules ?? [],
  });
  const { result, warnings } = applySuppressions(raw, loaded.snapshot, {
    config,
    baseline,
    now,
    ruleIds,
    inline: loaded.inline,
  });
  if (!flags.quiet) for (const line of warnings) io.stderr.write(`aksguard: warning: ${terminalLine(line)}\n`);
  const ran = rules.map((r) => r.meta.id);
  const kubernetesObjects = loaded.snapshot.clusters.some((c) => c.kubernetes !== undefined);
  return { result: withFrameworks(result, frameworks, ran, { kubernetesObjects }), rules };
}

/** One matcher for all `--skip-path` and `skipPaths` globs; a malformed one is a usage error. */
function skipPaths(globs: readonly string[]): ((path: string) => boolean) | undefined {
  if (globs.length === 0) return undefined;
  const matchers = globs.map((glob) => {
    const compiled = compilePathGlob(glob);
    if (typeof compiled === 'string') throw new UsageError(`--skip-path '${glob}' is not a valid glob: ${compiled}`);
    return compiled;
  });
  return (path) => matchers.some((matches) => matches(path));
}

/** Why a scan found no cluster, on one line: what was read, and what became of it. */
function nothingFound(inputs: readonly string[], loaded: Loaded): string {
  const what = inputs.length === 0 ? 'the live inputs' : inputs.join(', ');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [
    loaded.files.length > 0 ? `${plural(loaded.files.length, 'file')} read, none declares an AKS cluster` : '',
    loaded.skipped.length > 0 ? `${plural(loaded.skipped.length, 'file')} skipped (see the warnings above)` : '',
    loaded.passedOver > 0 ? `${plural(loaded.passedOver, 'file')} of no AKS input kind` : '',
  ].filter(Boolean);
  const found =
    parts.length > 0 ? parts.join('; ') : 'no file of a kind aksguard reads (.json, .yaml, .yml, .tf, .bicep)';
  return `no AKS cluster found in ${what}: ${found}. Nothing was judged, so this is not a pass; --allow-empty accepts an empty scan`;
}

/** `--config FILE`, else `aksguard.config.yaml` in the working directory when present, checked against the rules. */
export async function readConfig(explicit: string | undefined): Promise<Config | undefined> {
  const file = findConfig(explicit, process.cwd());
  return file === undefined ? undefined : loadConfig(file, await readInputFile(file), RULES);
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}

export function parseDate(value: string): Date {
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw new UsageError(`--as-of must be an ISO date such as 2026-11-28 or 2026-11-28T06:00:00Z (got '${value}')`);
  return new Date(time);
}

export const registerScan: Register = (program, cli) => {
  const command = new CommandWithEnvironment('scan').copyInheritedSettings(program);
  program.addCommand(command);
  command
    .summary('check clusters against the rule catalog')
    .description(
      'Check AKS clusters against the rule catalog. An input is a file, a folder (scanned recursively) or - for ' +
        'stdin: `az aks show`/`az aks list` JSON, ARM REST bodies, agent pools, upgrade profiles, maintenance ' +
        'configurations, ARM templates and Bicep files; Terraform folders (.tf: azurerm_kubernetes_cluster, node ' +
        'pools, azapi_resource; variables, .tfvars, locals and local modules resolved) and `terraform show -json` ' +
        'plans; Kubernetes manifests and `kubectl get -o json` output. ' +
        '--kubeconfig/--context also read a live cluster. Every option can also be set as AKSGUARD_<OPTION> ' +
        '(the command line wins over the environment, which wins over the scan: section of aksguard.config.yaml, ' +
        'which wins over the defaults).',
    )
    .argument('[inputs...]', 'files, folders, or - for stdin')
    .addOption(
      choiceOption(
        '-f, --format <format>',
        'report format (default: text), repeatable with --output per format',
        Object.keys(FORMATTERS),
      ),
    )
    .option('-o, --output <file>', 'write the preceding --format to a file instead of stdout')
    .addOption(
      choiceOption('--fail-on <severity>', 'exit 1 when a finding is at or above this severity', [
        ...SEVERITIES,
        'none',
      ]).default('high'),
    )
    .addOption(ruleOption())
    .addOption(excludeRuleOption())
    .option('--as-of <date>', 'scan time for time-dependent rules (ISO date), for reproducible reports')
    .addOption(
      choiceOption('--input-format <kind>', 'read every input as this kind instead of detecting it', INPUT_FORMATS),
    )
    .option(
      '--config <file>',
      'severity overrides, disabled rules, ignores and rule options (default: ./aksguard.config.yaml if present)',
    )
    .option(
      '--baseline <file>',
      'accept the findings listed in this file (`aksguard baseline create`): only new ones fail',
    )
    .addOption(
      new Option(
        '--framework <ids>',
        `run only the rules mapped to these compliance frameworks (${FRAMEWORK_IDS.join(', ')}; repeatable or comma-separated) and add a per-control summary to the report`,
      )
        .argParser(collect)
        .default([], 'all rules'),
    )
    .addOption(
      new Option(
        '--skip-path <glob>',
        'leave paths out of folder scans, repeatable: a name anywhere (tfplan.json, *.bicep) or a path from the folder (examples/**)',
      )
        .argParser(collect)
        .default([], 'none'),
    )
    .option('--allow-empty', 'exit 0 when the inputs hold no AKS cluster (by default that is exit 2, never a pass)')
    .option('--fail-on-undecided', 'exit 1 when any finding could not be decided from the input')
    .option('-q, --quiet', 'only failing findings and the summary; no progress or warnings')
    .option('--no-color', 'no ANSI colours (also NO_COLOR=1)')
    .addOption(kubeconfigOption())
    .addOption(contextOption())
    .addOption(targetOption())
    .addOption(chunkSizeOption())
    .addOption(requestTimeoutOption())
    .addOption(azureOption())
    .addOption(subscriptionOption())
    .addOption(resourceGroupOption())
    .addOption(nameOption())
    .addOption(armEndpointOption())
    .addOption(azureConcurrencyOption())
    .addHelpText(
      'after',
      '\nExamples:\n  az aks show -g rg -n prod -o json | aksguard scan -\n  aksguard scan infra/ --format json --output report.json --format text\n  aksguard scan cluster.json --fail-on medium --exclude-rule monitoring/*\n  aksguard scan . --skip-path "examples/**" --skip-path tfplan.json --fail-on-undecided\n  aksguard scan infra/ --framework cis-aks\n  aksguard scan prod.json --context prod-weu\n  AKSGUARD_FAIL_ON=medium AKSGUARD_FORMAT=sarif AKSGUARD_OUTPUT=aksguard.sarif aksguard scan infra/\n\nExit codes: 0 pass; 1 findings at or above --fail-on (or undecided ones with --fail-on-undecided);\n2 a usage or input error, a rule that failed, or no AKS cluster in the inputs (unless --allow-empty).\nA file named on the command line must be readable; one a folder scan cannot read is skipped with a warning.\n\n' +
        LIMITS_HELP,
    );
  const outputs = outputPairs(command);
  command.action(async (inputs: string[], given: Record<string, unknown>) => {
    const loadedConfig = await readConfig(given.config as string | undefined);
    const options = withConfigDefaults(command, given, loadedConfig);
    cli.exit(
      await scan(
        inputs,
        {
          outputs: outputs(),
          failOn: options.failOn as string,
          rule: options.rule as string[],
          excludeRule: options.excludeRule as string[],
          asOf: options.asOf as string | undefined,
          inputFormat: options.inputFormat as string | undefined,
          quiet: options.quiet === true,
          color: options.color !== false,
          kube: kubeFlags(options),
          azure: azureFlags(options),
          config: options.config as string | undefined,
          baseline: options.baseline as string | undefined,
          framework: options.framework as string[],
          skipPath: options.skipPath as string[],
          allowEmpty: options.allowEmpty === true,
          failOnUndecided: options.failOnUndecided === true,
          loadedConfig,
        },
        cli.io,
      ),
    );
  });
};

/**
 * The options with the config's `scan:` values for those the command line and the environment leave at their
 * defaults: command line over environment over config over defaults.
 */
function withConfigDefaults(
  command: Command,
  options: Record<string, unknown>,
  config: Config | undefined,
): Record<string, unknown> {
  const merged = { ...options };
  for (const [name, value] of Object.entries(config?.scan ?? {})) {
    const source = command.getOptionValueSource(name);
    if (source === undefined || source === 'default') merged[name] = value;
  }
  return merged;
}

interface OutputPair {
  format: string;
  file: string | undefined;
}

/**
 * The reports to write, as commander meets `--format` and `--output` (any spelling it accepts: `-fjson`,
 * `--format=json`, `-f json -o r.json`): `--format a --output x --format b` → [{a, x}, {b, stdout}]; an --output
 * without a --format before it is a text report. AKSGUARD_FORMAT and AKSGUARD_OUTPUT count only when the command
 * line has neither; with no format at all, one text report goes to stdout.
 */
function outputPairs(command: Command): () => OutputPair[] {
  const given = { cli: [] as OutputPair[], env: [] as OutputPair[] };
  const add = (pairs: OutputPair[], format: string | undefined, file: string | undefined) => {
    const last = pairs.at(-1);
    if (format !== undefined) pairs.push({ format: format.toLowerCase(), file: undefined });
    else if (last && last.file === undefined) last.file = file;
    else pairs.push({ format: 'text', file });
  };
  command.on('option:format', (value: string) => add(given.cli, value, undefined));
  command.on('option:output', (value: string) => add(given.cli, undefined, value));
  command.on('optionEnv:format', (value: string) => add(given.env, value, undefined));
  command.on('optionEnv:output', (value: string) => add(given.env, undefined, value));
  return () => {
    const pairs = given.cli.length > 0 ? given.cli : given.env;
    if (pairs.filter((p) => p.file === undefined).length > 1)
      throw new UsageError('only one --format can go to stdout; give the others an --output file');
    return pairs.length === 0 ? [{ format: 'text', file: undefined }] : pairs;
  };
}
