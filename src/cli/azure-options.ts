import { Option } from 'commander';
import type { ArmConnection } from '../azure/connection.js';
import { UsageError } from '../model/errors.js';
import { terminalLine } from '../report/terminal.js';
import type { Fragment } from '../sources/fragment.js';
import { collect } from './command.js';
import { type Io, VERSION } from './io.js';
import { progress } from './progress.js';

/** The options that read clusters straight from Azure Resource Manager. */
export interface AzureFlags {
  readonly azure: boolean;
  readonly subscriptions: readonly string[];
  readonly resourceGroup: string | undefined;
  readonly name: string | undefined;
  readonly endpoint: string;
  readonly concurrency: number;
}

export const azureOption = (): Option =>
  new Option('--azure', 'read clusters from Azure (az login, environment, workload or managed identity)');
export const subscriptionOption = (): Option =>
  new Option('--subscription <id>', 'with --azure: this subscription, repeatable')
    .argParser(collect)
    .default([], 'every one you can list');
export const resourceGroupOption = (): Option =>
  new Option('--resource-group <name>', 'with --azure: only clusters in this resource group');
export const nameOption = (): Option => new Option('--name <cluster>', 'with --azure: only the cluster of this name');
/** Sovereign clouds (e.g. https://management.chinacloudapi.cn) and test emulators. */
export const armEndpointOption = (): Option =>
  new Option('--arm-endpoint <url>', 'with --azure: the Azure Resource Manager endpoint (sovereign clouds)').default(
    PUBLIC_ARM_ENDPOINT,
  );
export const azureConcurrencyOption = (): Option =>
  new Option('--azure-concurrency <n>', 'with --azure: ARM requests in flight at once').default('8');

/** Every Azure option, for commands that add them in a loop. */
export const AZURE_OPTIONS = [
  azureOption,
  subscriptionOption,
  resourceGroupOption,
  nameOption,
  armEndpointOption,
  azureConcurrencyOption,
];

export function azureFlags(options: Record<string, unknown>): AzureFlags {
  const flags: AzureFlags = {
    azure: options.azure === true,
    subscriptions: (options.subscription as string[] | undefined) ?? [],
    resourceGroup: options.resourceGroup as string | undefined,
    name: options.name as string | undefined,
    endpoint: String(options.armEndpoint ?? PUBLIC_ARM_ENDPOINT).replace(/\/+$/, ''),
    concurrency: Number(options.azureConcurrency ?? 8),
  };
  const selecting = flags.subscriptions.length > 0 || flags.resourceGroup !== undefined || flags.name !== undefined;
  if (selecting && !flags.azure) {
    throw new UsageError('--subscription, --resource-group and --name select clusters in Azure: add --azure');
  }
  if (!Number.isInteger(flags.concurrency) || flags.concurrency < 1) {
    throw new UsageError(
      `--azure-concurrency must be a whole number of at least 1 (got '${String(options.azureConcurrency)}')`,
    );
  }
  if (!/^https:\/\//.test(flags.endpoint))
    throw new UsageError(`--arm-endpoint must be an https:// URL (got '${flags.endpoint}')`);
  return flags;
}

export const wantsAzure = (flags: AzureFlags | undefined): boolean => flags?.azure === true;

/** Azure Resource Manager of the public cloud; sovereign clouds (and the test emulator) pass their own. */
const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com';

/**
 * The Azure SDK is loaded only when a command talks to Azure: it would triple every other command's start-up.
 * Waits for throttled requests are told on stderr (unless `quiet`), so a slow scan says why it is slow.
 */
export async function armConnection(flags: AzureFlags, io?: Io, quiet = false): Promise<ArmConnection> {
  const { signedIn } = await import('../azure/credential.js');
  const onWait = (line: string) => quiet || io?.stderr.write(`aksguard: ${terminalLine(line)}\n`);
  return { endpoint: flags.endpoint, credential: signedIn(), userAgent: `aksguard/${VERSION}`, onWait };
}

/** The selected clusters, read from ARM, as fragments for `loadInputs`; nothing when --azure is not given. */
export async function azureFragments(flags: AzureFlags | undefined, io: Io, quiet: boolean): Promise<Fragment[]> {
  if (!flags || !wantsAzure(flags)) return [];
  const shown = progress(io, 'reading clusters from Azure', !quiet);
  const { readAzure } = await import('../azure/read.js');
  const read = await readAzure({
    connection: await armConnection(flags, io, quiet),
    selection: flags,
    concurrency: flags.concurrency,
    onProgress: shown.update,
  }).finally(shown.end);
  if (read.fragments.length === 0 && !quiet) {
    io.stderr.write(
      `aksguard: warning: no AKS cluster found in subscription(s) ${read.subscriptions.join(', ') || '(none listed)'}\n`,
    );
  }
  return [...read.fragments];
}
