import { not } from '../../model/fact.js';
import { defineRule } from '../../model/rule.js';
import { configured } from '../util/cluster.js';
import { judge } from '../util/report.js';

export default defineRule({
  meta: {
    id: 'control-plane/run-command-enabled',
    title: 'Run command lets Azure users execute kubectl without network access to the API server',
    severity: 'medium',
    seed: 'Control who can reach the API server: run command is a path around network restrictions.',
    refs: {},
    remediation: {
      az: 'az aks update -g <rg> -n <cluster> --disable-run-command',
      terraform: 'run_command_enabled = false',
    },
  },
  check(snapshot) {
    return configured(snapshot).flatMap(({ settings }) => {
      const disabled = settings.get('apiServerAccessProfile.disableRunCommand');
      return judge(
        disabled,
        not(disabled.isTrue()),
        `run command is enabled (disableRunCommand: ${disabled.shown}): anyone with the Azure role can run commands in the cluster from the Azure API`,
      );
    });
  },
});
