import { type Command, Option } from 'commander';
import { UsageError } from '../model/errors.js';
import { commandWord } from '../model/shell-command.js';
import { type ApplyResult, applyPlan, type Outcome } from '../patch/apply.js';
import { planJson, planText } from '../patch/format.js';
import { type PoolPlan, planPatches } from '../patch/plan.js';
import { type MaintenanceWindow, parseWindowFlag } from '../patch/window.js';
import { terminalLine, terminalText } from '../report/terminal.js';
import { loadInputs } from '../sources/index.js';
import {
  AZURE_OPTIONS,
  type AzureFlags,
  armConnection,
  azureFlags,
  azureFragments,
  wantsAzure,
} from './azure-options.js';
import type { Cli, Register } from './command.js';
import type { Io } from './io.js';
import { parseDate } from './scan.js';

interface PlanFlags {
  readonly azure: AzureFlags;
  readonly window: MaintenanceWindow | undefined;
  readonly asOf: Date | undefined;
  readonly quiet: boolean;
}

/** Reads the inputs (files and/or --azure) and plans every pool; the shared first half of plan and apply. */
async function makePlan(inputs: readonly string[], flags: PlanFlags, io: Io): Promise<PoolPlan[]> {
  if (inputs.length === 0 && !wantsAzure(flags.azure)) {
    throw new UsageError('give --azure (with --subscription, --resource-group, --name) or files to plan from');
  }
  const extra = await azureFragments(flags.azure, io, flags.quiet);
  const loaded = await loadInputs(inputs, { readStdin: io.readStdin, extra });
  return planPatches(loaded.snapshot, flags.asOf ?? io.now(), flags.window);
}

/** `aksguard patch plan`: which pools to move to the newest node image, most urgent first. */
export async function patchPlan(
  inputs: readonly string[],
  flags: PlanFlags & { format: string },
  io: Io,
): Promise<number> {
  const plan = await makePlan(inputs, flags, io);
  io.stdout.write(flags.format === 'json' ? planJson(plan, flags.asOf ?? io.now()) : terminalText(planText(plan)));
  return 0;
}

interface ApplyFlags extends PlanFlags {
  readonly yes: boolean;
  readonly now: boolean;
  readonly poolsPerCluster: number;
  readonly pollIntervalMs: number;
}

/**
 * `aksguard patch apply`: starts the planned upgrades (only with --yes), inside maintenance windows (unless
 * --now). Exit 0 when every planned pool was upgraded, 1 when some were not, 130 when interrupted.
 */
export async function patchApply(flags: ApplyFlags, io: Io, signal: AbortSignal): Promise<number> {
  if (!wantsAzure(flags.azure)) throw new UsageError('patch apply works on live clusters: add --azure');
  const plan = await makePlan([], flags, io);
  const planned = plan.filter((p) => p.action === 'upgrade');
  if (planned.length === 0) {
    io.stdout.write('Every pool is on its latest node image: nothing to apply.\n');
    return 0;
  }
  if (!flags.yes) {
    io.stdout.write(
      terminalText(`${planText(planned)}Dry run: nothing was started. Add --yes to start these upgrades.\n`),
    );
    return 0;
  }
  const { armUpgrades } = await import('../azure/upgrade.js');
  const outcomes = await applyPlan(plan, {
    port: armUpgrades(await armConnection(flags.azure, io), flags.pollIntervalMs),
    now: () => io.now(),
    ignoreWindow: flags.now,
    poolsPerCluster: flags.poolsPerCluster,
    signal,
    onEvent: (pool, message) => io.stderr.write(`${terminalLine(`${pool.cluster}/${pool.pool}: ${message}`)}\n`),
  });
  io.stdout.write(terminalText(summary(outcomes)));
  if (outcomes.some((o) => o.result === 'interrupted' || o.result === 'not-started')) {
    io.stdout.write(terminalText(watchHint(outcomes)));
    return 130;
  }
  return outcomes.every((o) => o.result === 'succeeded') ? 0 : 1;
}

function summary(outcomes: readonly Outcome[]): string {
  const count = (result: ApplyResult) => outcomes.filter((o) => o.result === result).length;
  const lines = outcomes.map((o) => `${o.result.padEnd(14)} ${o.pool.cluster}/${o.pool.pool}  ${o.detail}`);
  return `${lines.join('\n')}\n\n${count('succeeded')} upgraded, ${count('failed')} failed, ${count('outside-window')} outside their window, ${count('interrupted')} still running in Azure.\n`;
}

function watchHint(outcomes: readonly Outcome[]): string {
  const running = outcomes.filter((o) => o.result === 'interrupted');
  const commands = running.map((o) => {
    // Names come from ARM: each is checked and quoted before it goes into a command someone copies.
    const rg = commandWord('resource group', /\/resourceGroups\/([^/]+)\//i.exec(o.pool.target)?.[1], '<rg>').word;
    const cluster = commandWord('cluster', o.pool.cluster, '<cluster>').word;
    const pool = commandWord('pool', o.pool.pool, '<pool>').word;
    return `  az aks nodepool show -g ${rg} --cluster-name ${cluster} -n ${pool} --query "{state: provisioningState, image: nodeImageVersion}"`;
  });
  return `Stopped waiting; started upgrades go on in Azure. Watch them with:\n${commands.join('\n')}\n`;
}

function planFlags(options: Record<string, unknown>): PlanFlags {
  const window = options.window === undefined ? undefined : parseWindowFlag(String(options.window));
  if (typeof window === 'string') throw new UsageError(window);
  return {
    azure: azureFlags(options),
    window,
    asOf: options.asOf === undefined ? undefined : parseDate(String(options.asOf)),
    quiet: options.quiet === true,
  };
}

function whole(value: unknown, flag: string, min: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min)
    throw new UsageError(`${flag} must be a whole number of at least ${min} (got '${String(value)}')`);
  return number;
}

function withSelection(command: Command): Command {
  for (const option of AZURE_OPTIONS) command.addOption(option());
  return command
    .option(
      '--window <spec>',
      'maintenance window instead of aksManagedNodeOSUpgradeSchedule, e.g. "Sat,Sun 01:00 4h +01:00"',
    )
    .option('--as-of <date>', 'plan as of this time (ISO date)')
    .option('-q, --quiet', 'no progress or warnings');
}

/** Ctrl-C aborts the waiting once; a second Ctrl-C ends the process as usual. */
function interruptible(io: Io): AbortController {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    io.stderr.write('\naksguard: interrupted: no new upgrades start; running ones go on in Azure\n');
    controller.abort();
  });
  return controller;
}

export const registerPatch: Register = (program, cli: Cli) => {
  const patch = program
    .command('patch')
    .summary('plan and apply node image upgrades')
    .description(
      'Move node pools to the newest node image: the only way Windows nodes get security fixes, and the cleanest for Linux.',
    );
  withSelection(
    patch
      .command('plan')
      .description('list each pool with its image, how far behind it is, its window and what to do, most urgent first')
      .argument(
        '[inputs...]',
        'files or folders (az aks show, nodepool list, get-upgrades, maintenanceconfiguration list)',
      )
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text')),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  aksguard patch plan --azure --subscription <id>\n  aksguard patch plan clusters/ --format json',
    )
    .action(async (inputs: string[], options: Record<string, unknown>) => {
      cli.exit(await patchPlan(inputs, { ...planFlags(options), format: String(options.format) }, cli.io));
    });
  withSelection(
    patch
      .command('apply')
      .description('start node-image-only upgrades for the planned pools (dry run unless --yes)')
      .option('--yes', 'start the upgrades (without it, only show what would start)')
      .option('--now', 'start even outside the maintenance window')
      .option('--pools-per-cluster <n>', 'pools of one cluster upgraded at the same time', '1')
      .addOption(new Option('--poll-interval <seconds>', 'seconds between status checks').default('15').hideHelp()),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  aksguard patch apply --azure --resource-group prod-rg --name prod   # dry run\n  aksguard patch apply --azure --subscription <id> --yes',
    )
    .action(async (options: Record<string, unknown>) => {
      const controller = interruptible(cli.io);
      const flags: ApplyFlags = {
        ...planFlags(options),
        yes: options.yes === true,
        now: options.now === true,
        poolsPerCluster: whole(options.poolsPerCluster, '--pools-per-cluster', 1),
        pollIntervalMs: whole(options.pollInterval, '--poll-interval', 1) * 1000,
      };
      cli.exit(await patchApply(flags, cli.io, controller.signal));
    });
};
