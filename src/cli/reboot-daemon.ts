import { Option } from 'commander';
import { DAEMON_FLAGS, envName, parseDaemonOptions } from '../reboot/flags.js';
import type { Register } from './command.js';

/** The arguments after `reboot-daemon`, without the program-wide ones. */
function daemonArgs(argv: readonly string[]): string[] {
  const at = argv.indexOf('reboot-daemon');
  return argv.slice(at + 1).filter((a) => a !== '--debug');
}

/**
 * `aksguard reboot-daemon`: the reboot coordinator a DaemonSet runs on every Linux node. Commander only lists the
 * flags for --help and rejects unknown ones; the flag table's own parser reads them, so the environment
 * (`AKSGUARD_<FLAG>`) and the command line combine the same way here, in the deploy command and in tests.
 */
export const registerRebootDaemon: Register = (program, cli) => {
  const command = program
    .command('reboot-daemon')
    .summary('coordinate node reboots after patches: a safer kured (runs in the cluster as a DaemonSet)')
    .description(
      'Runs on one node (--node-name) and reboots it when the reboot sentinel appears: only inside the window, ' +
        'never while a blocker holds, holding one of --concurrency slots on the aksguard-reboot Lease from the ' +
        'drain until the reboot is verified, and only while its pool and zone have fewer unavailable nodes ' +
        '(NotReady, cordoned or rebooting) than their limits; draining through the Eviction API ' +
        '(PodDisruptionBudgets hold), and reporting success only once the node came back with a new boot ID. ' +
        'State lives on the Node (aksguard.io/reboot-state), so a ' +
        'restarted pod resumes. Serves /metrics, /healthz and /readyz. Every flag can also be set as ' +
        'AKSGUARD_<FLAG> (e.g. AKSGUARD_REBOOT_DAYS); the command line wins.',
    );
  for (const flag of DAEMON_FLAGS) {
    const shape = { list: 'value,...', repeated: 'value' } as Record<string, string>;
    const value = flag.kind === 'boolean' ? ' [bool]' : ` <${shape[flag.kind] ?? flag.kind}>`;
    const extras = [
      flag.default !== undefined && flag.default !== '' ? `default ${flag.default}` : undefined,
      envName(flag.name),
      flag.kind === 'list' || flag.kind === 'repeated' ? 'repeatable' : undefined,
    ].filter(Boolean);
    command.addOption(new Option(`--${flag.name}${value}`, `${flag.description} (${extras.join('; ')})`));
    if (flag.kind === 'boolean') command.addOption(new Option(`--no-${flag.name}`).hideHelp());
  }
  command
    .addHelpText(
      'after',
      '\nDurations: 30s, 5m, 1h30m. Days: su,mo,tu,we,th,fr,sa.\n' +
        'Examples:\n' +
        '  aksguard reboot-daemon --node-name "$NODE_NAME" --reboot-days mo,tu,we,th --start-time 22:00 --end-time 04:00 --time-zone Europe/Berlin\n' +
        '  aksguard reboot-daemon --node-name aks-nodepool1-0 --kubeconfig ~/.kube/config --dry-run\n' +
        'Install it in a cluster with `aksguard deploy reboot-daemon`.',
    )
    .action(async () => {
      const options = parseDaemonOptions(daemonArgs(cli.argv), cli.io.env);
      const { runDaemon } = await import('../reboot/main.js');
      cli.exit(
        await runDaemon(options, {
          env: cli.io.env,
          stdout: cli.io.stdout,
          onSignal: (signal, handler) => process.once(signal, handler),
        }),
      );
    });
};
