import { type Command, Option } from 'commander';
import { DEFAULT_CHUNK_SIZE } from '../kube/defaults.js';
import { UsageError } from '../model/errors.js';
import { terminalLine } from '../report/terminal.js';
import type { Fragment } from '../sources/fragment.js';
import type { Io } from './io.js';
import { progress } from './progress.js';

/** The options that read a live cluster and join its objects to Azure settings. */
export interface KubeFlags {
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  readonly target: string | undefined;
  readonly chunkSize: number;
  /** How long one request to the API server may take. */
  readonly timeoutMs: number;
}

export const kubeconfigOption = (): Option =>
  new Option(
    '--kubeconfig <path>',
    'read a live cluster through this kubeconfig (default $KUBECONFIG, ~/.kube/config)',
  );
export const contextOption = (): Option =>
  new Option('--context <name>', 'the kubeconfig context to read (default: its current context)');
export const targetOption = (): Option =>
  new Option('--target <name>', 'the cluster (by name) the Kubernetes objects of this scan belong to');
/** kubectl's name for the page size of list requests. */
export const chunkSizeOption = (): Option =>
  new Option('--chunk-size <n>', 'with a live cluster: objects per list request to the API server').default(
    String(DEFAULT_CHUNK_SIZE),
  );

/** kubectl's name and format (`30s`, `1m`, plain seconds) for the time one request may take. */
export const requestTimeoutOption = (): Option =>
  new Option(
    '--request-timeout <duration>',
    'with a live cluster: how long one request to the API server may take',
  ).default('30s');

/** Adds the live-cluster options to a command. */
export function addKubeOptions(command: Command): Command {
  const options = [kubeconfigOption, contextOption, targetOption, chunkSizeOption, requestTimeoutOption];
  for (const option of options) command.addOption(option());
  return command;
}

export function kubeFlags(options: Record<string, unknown>): KubeFlags {
  const chunkSize = Number(options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new UsageError(`--chunk-size must be a whole number of at least 1 (got '${String(options.chunkSize)}')`);
  }
  return {
    kubeconfig: options.kubeconfig as string | undefined,
    context: options.context as string | undefined,
    target: options.target as string | undefined,
    chunkSize,
    timeoutMs: duration(String(options.requestTimeout ?? '30s')),
  };
}

function duration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match || Number(match[1]) <= 0) {
    throw new UsageError(`--request-timeout must be a duration such as 30s, 2m or 500ms (got '${text}')`);
  }
  const unit = { ms: 1, s: 1000, m: 60_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm'];
  return Number(match[1]) * unit;
}

/** Whether the flags ask for a live cluster (a kubeconfig or a context named). */
export const wantsLiveCluster = (flags: KubeFlags | undefined): boolean =>
  flags !== undefined && (flags.kubeconfig !== undefined || flags.context !== undefined);

/** The live cluster's objects as a fragment for `loadInputs`, or nothing when no cluster was asked for. */
export async function liveFragments(flags: KubeFlags | undefined, io: Io, quiet: boolean): Promise<Fragment[]> {
  if (!flags || !wantsLiveCluster(flags)) return [];
  // The Kubernetes client is loaded only for a live cluster: it would double every other command's start-up.
  const [{ loadKubeconfig }, { readCluster }] = await Promise.all([
    import('../kube/kubeconfig.js'),
    import('../kube/read.js'),
  ]);
  const access = loadKubeconfig({ path: flags.kubeconfig, context: flags.context, env: io.env });
  const shown = progress(io, `reading cluster ${access.context}`, !quiet);
  const reading = {
    access,
    chunkSize: flags.chunkSize,
    timeoutMs: flags.timeoutMs,
    onProgress: shown.update,
    onWait: (line: string) => quiet || io.stderr.write(`aksguard: ${terminalLine(line)}\n`),
  };
  const fragment = await readCluster(reading).finally(shown.end);
  return [fragment];
}
