import { writeFile } from 'node:fs/promises';
import { createBaseline } from '../engine/baseline.js';
import { INPUT_FORMATS } from '../sources/source.js';
import { azureFlags, azureOption, nameOption, resourceGroupOption, subscriptionOption } from './azure-options.js';
import { choiceOption, excludeRuleOption, type Register, ruleOption } from './command.js';
import { contextOption, kubeconfigOption, kubeFlags, targetOption } from './kube-options.js';
import { scanResult } from './scan.js';

/**
 * `aksguard baseline create -o FILE [inputs]`: scans like `scan` (same inputs, config and rule selection) and
 * writes every finding not already suppressed as accepted. `scan --baseline FILE` then fails only on new ones.
 */
export const registerBaseline: Register = (program, cli) => {
  const baseline = program.command('baseline').summary('accept the current findings so only new ones fail a scan');
  baseline
    .command('create')
    .description(
      'Scan the inputs and write their findings (rule, cluster and resource; no line numbers) to a baseline file. ' +
        '`aksguard scan --baseline FILE` then marks those findings suppressed (by baseline) and fails only on new ' +
        'ones; it also lists baseline entries that no longer occur.',
    )
    .argument('[inputs...]', 'files, folders, or - for stdin')
    .requiredOption('-o, --output <file>', 'the baseline file to write, e.g. aksguard.baseline.json')
    .option('--config <file>', 'as for scan (default: ./aksguard.config.yaml if present)')
    .addOption(ruleOption())
    .addOption(excludeRuleOption())
    .option('--as-of <date>', 'scan time for time-dependent rules (ISO date)')
    .addOption(
      choiceOption('--input-format <kind>', 'read every input as this kind instead of detecting it', INPUT_FORMATS),
    )
    .option('-q, --quiet', 'no progress or warnings')
    .addOption(kubeconfigOption())
    .addOption(contextOption())
    .addOption(targetOption())
    .addOption(azureOption())
    .addOption(subscriptionOption())
    .addOption(resourceGroupOption())
    .addOption(nameOption())
    .addHelpText(
      'after',
      '\nExample:\n  aksguard baseline create -o aksguard.baseline.json infra/\n  aksguard scan infra/ --baseline aksguard.baseline.json',
    )
    .action(async (inputs: string[], options: Record<string, unknown>) => {
      const { result } = await scanResult(
        inputs,
        {
          outputs: [],
          failOn: 'none',
          rule: options.rule as string[],
          excludeRule: options.excludeRule as string[],
          asOf: options.asOf as string | undefined,
          inputFormat: options.inputFormat as string | undefined,
          quiet: options.quiet === true,
          color: false,
          kube: kubeFlags(options),
          azure: azureFlags(options),
          config: options.config as string | undefined,
        },
        cli.io,
      );
      const file = options.output as string;
      const text = createBaseline(result);
      await writeFile(file, text);
      const count = (JSON.parse(text) as { findings: unknown[] }).findings.length;
      if (options.quiet !== true) cli.io.stderr.write(`aksguard: wrote ${count} accepted finding(s) to ${file}\n`);
      cli.exit(0);
    });
};
