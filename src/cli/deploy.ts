import { DEFAULT_NAMESPACE, DEPLOY_DEFAULTS, DEPLOYABLE_FLAGS, parseDeployArgs } from '../deploy/options.js';
import { HOME } from '../model/package.js';
import type { Register } from './command.js';

/**
 * The image a release of this version publishes (from package.json `repository`), or `aksguard:<version>` as
 * `docker build` names it while there is none; `--image` points elsewhere (your registry, a mirror, a digest).
 */
export const DEFAULT_IMAGE = HOME.image;

/** The arguments after `deploy reboot-daemon`: the daemon's flags are many and data-driven, so they are read raw. */
function rawArgs(argv: readonly string[]): string[] {
  const at = argv.indexOf('reboot-daemon');
  return argv.slice(at + 1).filter((arg) => arg !== '--debug');
}

/** One line per daemon flag, names aligned, with the value the manifests use when it is not given. */
function flagHelp(): string {
  const names = DEPLOYABLE_FLAGS.map((f) => `--${f.name}${f.kind === 'boolean' ? '' : ` <${f.kind}>`}`);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return DEPLOYABLE_FLAGS.map((f, i) => {
    const fallback = DEPLOY_DEFAULTS[f.name] ?? f.default;
    const shown = fallback ? ` (default ${fallback})` : '';
    return `  ${(names[i] as string).padEnd(width)}${f.description}${shown}`;
  }).join('\n');
}

export const registerDeploy: Register = (program, cli) => {
  const deploy = program
    .command('deploy')
    .summary('print manifests that install aksguard components in a cluster')
    .description('Print ready-to-apply manifests for aksguard components.');
  deploy
    .command('reboot-daemon')
    .summary('the reboot coordinator DaemonSet with its RBAC (kubectl apply -f -)')
    .description(
      'Print the Namespace, ServiceAccount, RBAC and DaemonSet of `aksguard reboot-daemon` as multi-document YAML, ' +
        'with the daemon flags given. --from-kured FILE carries over the settings of a kured DaemonSet (each kured ' +
        'setting without an equivalent is named on stderr); flags given here win. --helm-values prints the Helm ' +
        "chart's values.yaml for the same settings instead.",
    )
    .helpOption('-h, --help', 'show this help')
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText(
      'after',
      `\nOptions of this command:\n  --namespace <ns>     namespace to install into (default ${DEFAULT_NAMESPACE})\n` +
        `  --image <ref>        image to run (default ${DEFAULT_IMAGE})\n` +
        '  --from-kured <file>  carry over the settings of a kured DaemonSet (YAML)\n' +
        `  --helm-values        print values.yaml for deploy/helm/aksguard-reboot-daemon instead\n\nDaemon flags:\n${flagHelp()}\n\n` +
        'Examples:\n  aksguard deploy reboot-daemon --reboot-days mo,tu,we,th --start-time 2:00 --end-time 5:00 | kubectl apply -f -\n' +
        '  kubectl get ds kured -n kube-system -o yaml > kured.yaml && aksguard deploy reboot-daemon --from-kured kured.yaml',
    )
    .action(async () => {
      // The manifests, the kured translator and the renderer load only for this command, not with every scan.
      const { deployRebootDaemon } = await import('../deploy/index.js');
      const output = deployRebootDaemon(parseDeployArgs(rawArgs(cli.argv)), DEFAULT_IMAGE);
      for (const note of output.notes) cli.io.stderr.write(`${note}\n`);
      cli.io.stdout.write(output.text);
      cli.exit(0);
    });
};
