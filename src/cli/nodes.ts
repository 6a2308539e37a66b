import { Option } from 'commander';
import { defaultRuleOptions } from '../engine/options.js';
import { runRules } from '../engine/run.js';
import { UsageError } from '../model/errors.js';
import { ruleDomain } from '../model/rule.js';
import { terminalText } from '../report/terminal.js';
import { RULES } from '../rules/index.js';
import { loadInputs } from '../sources/index.js';
import type { Register } from './command.js';
import { type Io, VERSION } from './io.js';
import { addKubeOptions, type KubeFlags, kubeFlags, liveFragments, wantsLiveCluster } from './kube-options.js';
import { nodeStatuses } from './node-status.js';
import { nodeJson, nodeTable } from './node-table.js';
import { parseDate } from './scan.js';

export interface NodesFlags {
  readonly format: string;
  readonly asOf: string | undefined;
  readonly kube: KubeFlags;
}

/** `aksguard nodes`: every node's patch status, worst first; 1 when any node breaks a patching rule. */
export async function nodes(inputs: readonly string[], flags: NodesFlags, io: Io): Promise<number> {
  if (inputs.length === 0 && !wantsLiveCluster(flags.kube)) {
    throw new UsageError(
      'give a live cluster (--kubeconfig, --context) or files with Node objects (kubectl get nodes,daemonsets -A -o json)',
    );
  }
  const now = flags.asOf === undefined ? io.now() : parseDate(flags.asOf);
  const extra = await liveFragments(flags.kube, io, false);
  const loaded = await loadInputs(inputs, { readStdin: io.readStdin, extra, join: { target: flags.kube.target } });
  const options = defaultRuleOptions();
  const rules = RULES.filter((rule) => ruleDomain(rule.meta.id) === 'patching');
  const result = runRules(loaded.snapshot, { rules, context: { now, options }, version: VERSION });
  const statuses = nodeStatuses(loaded.snapshot, result.findings, now, options);
  if (statuses.length === 0) {
    throw new UsageError('the inputs hold no Node objects (kubectl get nodes -o json gives them; or use --kubeconfig)');
  }
  // Names come from the cluster and the inputs: shown, never obeyed by the terminal.
  io.stdout.write(flags.format === 'json' ? nodeJson(statuses, now) : terminalText(nodeTable(statuses)));
  return statuses.some((s) => s.problems.length > 0) ? 1 : 0;
}

export const registerNodes: Register = (program, cli) => {
  addKubeOptions(
    program
      .command('nodes')
      .summary('patch status of every node: pending reboots, image age, reboot coordinator')
      .description(
        'One row per node: pool, OS, node image and its age, kubelet version, Ready/cordoned, since when it waits ' +
          'for a reboot (aksguard or kured annotations) and whether a reboot coordinator runs. Worst first; exit 1 ' +
          'when any node breaks a patching rule. Reads a live cluster (--kubeconfig/--context) or `kubectl get -o json` files.',
      )
      .argument('[inputs...]', 'files or folders with Node and DaemonSet objects (and, optionally, Azure settings)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('--as-of <date>', 'the time to measure ages and waits from (ISO date)'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  aksguard nodes --context prod-weu\n  kubectl get nodes,daemonsets -A -o json | aksguard nodes - --format json',
    )
    .action(async (inputs: string[], options: Record<string, unknown>) => {
      cli.exit(
        await nodes(
          inputs,
          { format: options.format as string, asOf: options.asOf as string | undefined, kube: kubeFlags(options) },
          cli.io,
        ),
      );
    });
};
