import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';
import { CONFIG_FILE, type Config } from '../engine/config.js';
import { loadFramework, loadFrameworks } from '../engine/frameworks.js';
import { defaultRuleOptions } from '../engine/options.js';
import { optionSources } from '../engine/rule-options.js';
import { UsageError } from '../model/errors.js';
import { controlsOf, FRAMEWORK_IDS, type Framework, type FrameworkId, frameworkTitle } from '../model/framework.js';
import { type Rule, ruleDomain } from '../model/rule.js';
import { ruleDocsUrl } from '../report/docs.js';
import { RULES } from '../rules/index.js';
import type { Register } from './command.js';
import type { Io } from './io.js';
import { readConfig } from './scan.js';

/** Where a rule's documentation lives, relative to the package root. */
export const docsPath = (id: string): string => `docs/rules/${id}.md`;

/** `aksguard rules`: the catalog as a table, or as JSON for tools. */
export function listRules(format: string, io: Io): number {
  if (format === 'json') {
    const catalog = RULES.map(({ meta }) => ({
      id: meta.id,
      domain: ruleDomain(meta.id),
      severity: meta.severity,
      title: meta.title,
      seed: meta.seed,
      refs: meta.refs,
      controls: Object.fromEntries(loadFrameworks().map((f) => [f.id, controlsOf(f, meta.id)])),
      remediation: meta.remediation,
      docs: docsPath(meta.id),
      docsUrl: ruleDocsUrl(meta.id),
    }));
    io.stdout.write(`${JSON.stringify(catalog, null, 2)}\n`);
    return 0;
  }
  if (format !== 'text') throw new UsageError(`--format must be text or json (got '${format}')`);
  const width = Math.max(...RULES.map((r) => r.meta.id.length));
  for (const { meta } of RULES)
    io.stdout.write(`${meta.id.padEnd(width)}  ${meta.severity.padEnd(8)}  ${meta.title}\n`);
  io.stdout.write(`\n${RULES.length} rules. \`aksguard explain <id>\` shows one in full.\n`);
  return 0;
}

/**
 * `aksguard rules --framework ID`: which rules evidence each control (and, as JSON, which controls each rule
 * evidences), including the controls no rule covers.
 */
export function listMapping(id: FrameworkId, format: string, io: Io): number {
  const framework = loadFramework(id);
  const rulesFor = (control: string) =>
    RULES.map((r) => r.meta.id).filter((r) => controlsOf(framework, r).includes(control));
  if (format === 'json') {
    const { name, version, checked, source, note } = framework;
    const mapping = {
      framework: { id, name, version, checked, source, note },
      controls: framework.controls.map((c) => ({ ...c, rules: rulesFor(c.id) })),
      rules: RULES.map(({ meta }) => ({
        id: meta.id,
        controls: controlsOf(framework, meta.id),
        ...(framework.notes[meta.id] ? { note: framework.notes[meta.id] } : {}),
      })),
    };
    io.stdout.write(`${JSON.stringify(mapping, null, 2)}\n`);
    return 0;
  }
  if (format !== 'text') throw new UsageError(`--format must be text or json (got '${format}')`);
  const width = Math.max(...framework.controls.map((c) => c.id.length));
  io.stdout.write(`${frameworkTitle(framework)} (mapping checked ${framework.checked})\n\n`);
  for (const control of framework.controls) {
    const rules = rulesFor(control.id);
    io.stdout.write(`${control.id.padEnd(width)}  ${control.title}\n`);
    io.stdout.write(
      `${' '.repeat(width)}  ${rules.length > 0 ? `→ ${rules.join(', ')}` : '(not covered by aksguard)'}\n`,
    );
  }
  const unmapped = RULES.map((r) => r.meta.id).filter((r) => controlsOf(framework, r).length === 0);
  io.stdout.write(
    `\nRules that evidence no control here (${unmapped.length}):\n${unmapped.map((r) => `  ${r}\n`).join('')}`,
  );
  io.stdout.write(`\nSource: ${framework.source}\n`);
  return 0;
}

/** `aksguard explain ID`: the rule's documentation page, and the options it runs with under this config. */
export async function explain(id: string, io: Io, config?: Config): Promise<number> {
  const rule = RULES.find((r) => r.meta.id === id);
  if (!rule) {
    const near = RULES.filter((r) => r.meta.id.includes(id.split('/').at(-1) ?? id)).map((r) => r.meta.id);
    throw new UsageError(
      `no rule '${id}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; run \`aksguard rules\``,
    );
  }
  const page = await readFile(new URL(`../../${docsPath(id)}`, import.meta.url), 'utf8').catch(() => summary(rule));
  io.stdout.write(
    `${page.trimEnd()}\n\n${compliance(id, loadFrameworks())}\n\n${optionsInEffect(rule, config)}${whereToRead(id)}\n`,
  );
  return 0;
}

/** The controls a rule evidences in each framework, with their titles, and why where the mapping says. */
function compliance(id: string, frameworks: readonly Framework[]): string {
  const blocks = frameworks.map((framework) => {
    const controls = framework.controls.filter((c) => controlsOf(framework, id).includes(c.id));
    const lines = controls.map((c) => `    ${c.id}  ${c.title}${c.version ? ` (${c.version})` : ''}`);
    const note = framework.notes[id];
    return [
      `  ${frameworkTitle(framework)}:`,
      ...(lines.length > 0 ? lines : ['    none']),
      ...(note ? [`    why: ${note}`] : []),
    ].join('\n');
  });
  return ['Compliance (the controls this rule evidences):', ...blocks].join('\n');
}

/** The rule's options with the values a scan here would use, and where each comes from. */
function optionsInEffect(rule: Rule, config: Config | undefined): string {
  const sources = optionSources(rule, defaultRuleOptions(), config?.rules ?? []);
  if (sources.length === 0) return '';
  const lines = sources.map(({ option, value, defaultValue, entry }) => {
    const origin = entry
      ? `${config?.file}:${entry.line} (rules.${entry.pattern}); default ${show(defaultValue)}`
      : 'default';
    return `  ${option} = ${show(value)}  [${origin}]`;
  });
  const file = config?.file ?? CONFIG_FILE;
  return `Options in effect (set them under \`rules:\` in ${file}):\n${lines.join('\n')}\n\n`;
}

const show = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : String(value));

/** The page's address, as reports link it: the repository's page of this version, or the file in the package. */
function whereToRead(id: string): string {
  const url = ruleDocsUrl(id);
  return url.startsWith('file:') ? `This page: ${fileURLToPath(url)}` : `This page online: ${url}`;
}

/** What the rule itself knows, for an install whose docs folder is missing (a trimmed package, a vendored copy). */
function summary({ meta }: Rule): string {
  const { az, kubectl, terraform } = meta.remediation;
  const fixes = [az, kubectl, terraform && `Terraform: ${terraform}`].filter(Boolean).map((f) => `    ${f}`);
  return [`# ${meta.id}`, '', `${meta.title} (${meta.severity})`, '', meta.seed, '', 'Fix:', ...fixes].join('\n');
}

export const registerRules: Register = (program, cli) => {
  program
    .command('rules')
    .description('list the rule catalog')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(
      new Option('--framework <id>', 'list which rules evidence each control of this compliance framework').choices(
        FRAMEWORK_IDS,
      ),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  aksguard rules --framework cis-aks\n  aksguard rules --framework mcsb --format json',
    )
    .action((options: { format: string; framework?: FrameworkId }) => {
      cli.exit(
        options.framework === undefined
          ? listRules(options.format, cli.io)
          : listMapping(options.framework, options.format, cli.io),
      );
    });
};

export const registerExplain: Register = (program, cli) => {
  program
    .command('explain')
    .description("show a rule's documentation: what it checks, why, and how to fix it")
    .argument('<id>', 'rule id, e.g. control-plane/api-server-unrestricted')
    .option('--config <file>', 'show the rule options this config sets (default: ./aksguard.config.yaml if present)')
    .action(async (id: string, options: { config?: string }) => {
      cli.exit(await explain(id, cli.io, await readConfig(options.config)));
    });
};
