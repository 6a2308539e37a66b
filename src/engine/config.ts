import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Ajv, ErrorObject } from 'ajv';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { InputError } from '../model/errors.js';
import type { Severity } from '../model/finding.js';
import { isCalendarDay } from '../model/ignore.js';
import type { Rule } from '../model/rule.js';
import { yamlProblem } from '../model/yaml-errors.js';
import { compileGlob, compilePathGlob } from './glob.js';
import { type RuleOptionsEntry, ruleOptionsEntries } from './rule-options.js';
import { matchRulePattern } from './rule-pattern.js';

/** The file `scan` reads from the working directory when no `--config` is given. */
export const CONFIG_FILE = 'aksguard.config.yaml';

/** One accepted risk from the config file, with the line it is on for messages. */
export interface Ignore {
  readonly rule: string;
  readonly target: RegExp | undefined;
  readonly resource: RegExp | undefined;
  readonly reason: string;
  /** The last day it applies (YYYY-MM-DD), inclusive. */
  readonly expires: string | undefined;
  readonly line: number;
}

export interface Config {
  readonly file: string;
  readonly severity: Readonly<Record<string, Severity>>;
  readonly disable: readonly string[];
  readonly ignores: readonly Ignore[];
  /** Path globs folder scans leave out (`skipPaths`), checked when the config is read. */
  readonly skipPaths: readonly string[];
  /** Rule options (`rules:`), by rule pattern, in the order they apply. */
  readonly rules: readonly RuleOptionsEntry[];
  /** Defaults for scan options (`scan:`), by option name (`failOn`): under the environment and the command line. */
  readonly scan: Readonly<Record<string, unknown>>;
}

interface RawConfig {
  severity?: Record<string, Severity>;
  disable?: string[];
  skipPaths?: string[];
  ignore?: { rule: string; target?: string; resource?: string; reason: string; expires?: string }[];
  rules?: Record<string, Record<string, unknown>>;
  scan?: Record<string, unknown>;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/**
 * The JSON Schema that ships in `schemas/` (editors use the same file), compiled once. Ajv is loaded here, on
 * the first config, not with the module: most scans have no config and would pay 40 ms of start-up for it.
 */
function validate(): ReturnType<Ajv['compile']> {
  if (!validator) {
    const { Ajv: Validator } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    const schema = readFileSync(new URL('../../schemas/aksguard.config.schema.json', import.meta.url), 'utf8');
    validator = new Validator({ allErrors: false }).compile(JSON.parse(schema));
  }
  return validator;
}

/** `--config FILE`, else `aksguard.config.yaml` in `cwd` when it exists, else no config. */
export function findConfig(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit !== undefined) return explicit;
  const found = resolve(cwd, CONFIG_FILE);
  return existsSync(found) ? CONFIG_FILE : undefined;
}

/**
 * Reads and checks a config file. Anything wrong (YAML, schema, an unknown rule id, a bad glob, a date that is
 * not one) is an InputError naming the line, so the CLI exits 2 before scanning with a config it misread.
 */
export function loadConfig(file: string, text: string, rules: readonly Rule[]): Config {
  const ruleIds = rules.map((r) => r.meta.id);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lines.linePos(offset).line);
  const yamlError = doc.errors[0];
  if (yamlError) throw new InputError(file, `invalid YAML: ${yamlProblem(yamlError.code)}`, lineOf(yamlError.pos[0]));
  const raw = (doc.toJS() ?? {}) as RawConfig;
  const nodeLine = (path: readonly (string | number)[]) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lineOf(range[0]);
    }
    return undefined;
  };
  const keyLine = (path: readonly (string | number)[]) => {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    const key = path.at(-1);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lineOf(range[0]);
    }
    return nodeLine(path);
  };

  const check = validate();
  if (!check(raw)) {
    const error = check.errors?.[0] as ErrorObject;
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p.replaceAll('~1', '/').replaceAll('~0', '~')));
    throw new InputError(file, schemaMessage(error, path), nodeLine(path));
  }

  const known = (pattern: string, path: (string | number)[], what: string) => {
    const matched = matchRulePattern(pattern, ruleIds);
    if (typeof matched === 'string') throw new InputError(file, `${what}: ${matched}`, nodeLine(path));
  };
  for (const id of Object.keys(raw.severity ?? {})) {
    if (!ruleIds.includes(id))
      throw new InputError(
        file,
        `severity: unknown rule '${id}' (run \`aksguard rules\` for the list)`,
        keyLine(['severity', id]),
      );
  }
  for (const [i, pattern] of (raw.disable ?? []).entries()) known(pattern, ['disable', i], 'disable');
  for (const flag of ['rule', 'excludeRule'] as const)
    for (const [i, pattern] of ((raw.scan?.[flag] as string[] | undefined) ?? []).entries())
      known(pattern, ['scan', flag, i], `scan.${flag}`);
  const ignores = (raw.ignore ?? []).map((entry, i): Ignore => {
    known(entry.rule, ['ignore', i, 'rule'], 'ignore');
    const glob = (field: 'target' | 'resource') => {
      const value = entry[field];
      if (value === undefined) return undefined;
      const compiled = compileGlob(value);
      if (typeof compiled === 'string')
        throw new InputError(
          file,
          `ignore ${field} '${value}' is not a valid glob: ${compiled}`,
          nodeLine(['ignore', i, field]),
        );
      return compiled;
    };
    if (entry.expires !== undefined && !isCalendarDay(entry.expires))
      throw new InputError(file, `ignore expires '${entry.expires}' is not a date`, nodeLine(['ignore', i, 'expires']));
    return {
      rule: entry.rule,
      target: glob('target'),
      resource: glob('resource'),
      reason: entry.reason.trim(),
      expires: entry.expires,
      line: nodeLine(['ignore', i]) ?? 1,
    };
  });
  for (const [i, glob] of (raw.skipPaths ?? []).entries()) {
    const compiled = compilePathGlob(glob);
    if (typeof compiled === 'string')
      throw new InputError(file, `skipPaths '${glob}' is not a valid glob: ${compiled}`, nodeLine(['skipPaths', i]));
  }
  const ruleOptions = ruleOptionsEntries(
    raw.rules ?? {},
    rules,
    (key, message, option) => {
      throw new InputError(
        file,
        `rules.${key}: ${message}`,
        option === undefined ? keyLine(['rules', key]) : keyLine(['rules', key, option]),
      );
    },
    (key) => keyLine(['rules', key]) ?? 1,
  );
  return {
    file,
    severity: raw.severity ?? {},
    disable: raw.disable ?? [],
    ignores,
    skipPaths: raw.skipPaths ?? [],
    rules: ruleOptions,
    scan: raw.scan ?? {},
  };
}

/** A schema error in the words of the config file rather than of JSON Schema. */
function schemaMessage(error: ErrorObject, path: readonly (string | number)[]): string {
  const where =
    path.length === 0
      ? 'the config'
      : path
          .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
          .join('')
          .slice(1);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${where}: '${params.missingProperty}' is required${params.missingProperty === 'reason' ? ' (say why this risk is accepted)' : ''}`;
    case 'additionalProperties':
      return `${where}: unknown key '${params.additionalProperty}'`;
    case 'enum':
      return `${where}: must be one of ${(params.allowedValues as string[]).join(', ')}`;
    case 'pattern':
      return path.at(-1) === 'expires' ? `${where}: must be a date YYYY-MM-DD` : `${where}: must not be blank`;
    default:
      return `${where}: ${error.message}`;
  }
}
