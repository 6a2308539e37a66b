import { Command, InvalidArgumentError, Option } from 'commander';
import type { Io } from './io.js';

/** What a command module gets: the process I/O, the raw arguments, and a way to set the exit code. */
export interface Cli {
  readonly io: Io;
  readonly argv: readonly string[];
  exit(code: number): void;
}

/** Adds one command (with its options, help and action) to the program. */
export type Register = (program: Command, cli: Cli) => void;

/** For repeatable options that also accept comma-separated lists. */
export const collect = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

/**
 * An option with a fixed set of values, accepted in any case (`-f JSON` is `-f json`): `--help` lists the
 * choices, and anything else is refused with them.
 */
export function choiceOption(flags: string, description: string, choices: readonly string[]): Option {
  return new Option(flags, description).choices(choices).argParser((value: string) => {
    const lower = value.toLowerCase();
    if (choices.includes(lower)) return lower;
    throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')} (in any case).`);
  });
}

/** `--rule` and `--exclude-rule`: rule patterns, repeatable and comma-separated. */
export const ruleOption = (): Option =>
  new Option('--rule <pattern>', 'run only these rules (id, domain, domain/* or a glob), repeatable')
    .argParser(collect)
    .default([], 'every rule');
export const excludeRuleOption = (): Option =>
  new Option('--exclude-rule <pattern>', 'skip these rules (id, domain, domain/* or a glob), repeatable')
    .argParser(collect)
    .default([], 'none');

/** Values of `AKSGUARD_<FLAG>` that turn a flag without a value off rather than on. */
const OFF = /^(?:0|false|no|off|)$/i;

/**
 * A command whose every option has its `AKSGUARD_<FLAG>` variable (`--fail-on` → `AKSGUARD_FAIL_ON`, `--no-color`
 * → `AKSGUARD_NO_COLOR`): commander shows it in `--help` and reads it when the command line does not give the
 * option, over the default. A flag without a value is on for any value but 0, false, no, off or empty. Commander
 * listens for a variable only when the option has it as it is added, hence here rather than afterwards.
 */
export class CommandWithEnvironment extends Command {
  override addOption(option: Option): this {
    if (option.envVar !== undefined || option.long === undefined) return super.addOption(option);
    const variable = `AKSGUARD_${option.long.slice(2).replaceAll('-', '_').toUpperCase()}`;
    super.addOption(option.env(variable));
    if (!option.required && !option.optional) {
      // Runs after commander's own listener, which set the flag because the variable exists.
      this.on(`optionEnv:${option.name()}`, () => {
        if (OFF.test(process.env[variable]?.trim() ?? ''))
          this.setOptionValueWithSource(option.attributeName(), option.negate, 'env');
      });
    }
    return this;
  }
}
