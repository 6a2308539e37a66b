import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runAsync } from '../support/cli.js';

/**
 * Runs a composite action's steps the way a GitHub runner does, as far as one machine can: each `run` step in
 * `bash --noprofile --norc -eo pipefail` with the runner's variables (GITHUB_ACTION_PATH, GITHUB_WORKSPACE,
 * RUNNER_TEMP, and fresh GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files per step), `${{ }}` in `env`, `with` and `if`
 * evaluated, outputs read back for later steps, and a step whose `if` lacks `always()` skipped after a failure.
 * A `uses` step cannot run here: it is recorded with its evaluated `with`. Expressions this runner does not know
 * throw, so a test never passes on an expression it misread.
 */
export interface Step {
  readonly name: string;
  readonly id?: string;
  readonly if?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly shell?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string>;
}

export interface Action {
  readonly inputs: Record<string, { readonly default?: string }>;
  readonly runs: { readonly using: string; readonly steps: readonly Step[] };
}

export interface StepResult {
  readonly name: string;
  readonly outcome: 'success' | 'failure' | 'skipped' | 'not run here';
  readonly code?: number | null;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly with?: Record<string, string>;
}

export interface RunnerContext {
  readonly actionPath: string;
  readonly workspace: string;
  readonly temp: string;
  readonly inputs: Record<string, string>;
  /** Appended to by every step, as the job summary is. */
  readonly summaryFile: string;
  /** Steps to leave out (by name), e.g. an install that already ran in this action path. */
  readonly skip?: readonly string[];
}

export const readAction = (file: string): Action => parse(readFileSync(file, 'utf8')) as Action;

export async function runComposite(action: Action, context: RunnerContext): Promise<StepResult[]> {
  expect(action.runs.using === 'composite', 'a composite action');
  const outputs: Record<string, Record<string, string>> = {};
  const results: StepResult[] = [];
  let failed = false;
  const value = (ref: string): string => {
    const input = /^inputs\.([\w-]+)$/.exec(ref);
    if (input) return context.inputs[input[1] as string] ?? action.inputs[input[1] as string]?.default ?? '';
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(ref);
    if (output) return outputs[output[1] as string]?.[output[2] as string] ?? '';
    throw new Error(`expression not understood by this runner: ${ref}`);
  };
  const evaluate = (text: string) => text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, ref: string) => value(ref));
  const condition = (expression: string | undefined): boolean => {
    if (!expression) return !failed;
    const terms = expression.split(/\s*&&\s*/);
    return (
      terms.every((term) => {
        if (term === 'always()') return true;
        const comparison = /^([\w.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(term);
        if (!comparison) throw new Error(`condition not understood by this runner: ${term}`);
        const equal = value(comparison[1] as string) === comparison[3];
        return comparison[2] === '==' ? equal : !equal;
      }) &&
      (terms.includes('always()') || !failed)
    );
  };

  for (const [index, step] of action.runs.steps.entries()) {
    if (context.skip?.includes(step.name) || !condition(step.if)) {
      results.push({ name: step.name, outcome: 'skipped' });
      continue;
    }
    const withValues = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluate(String(v))]));
    if (step.uses) {
      results.push({ name: step.name, outcome: 'not run here', with: withValues });
      continue;
    }
    expect(step.shell === 'bash', `${step.name}: shell bash`);
    const dir = join(context.temp, `_step${index}`);
    mkdirSync(dir, { recursive: true });
    const script = join(dir, 'script.sh');
    writeFileSync(script, step.run ?? '');
    const files = {
      output: join(dir, 'output'),
      summary: join(dir, 'summary'),
      env: join(dir, 'env'),
      path: join(dir, 'path'),
    };
    for (const file of Object.values(files)) writeFileSync(file, '');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: context.temp,
      GITHUB_WORKSPACE: context.workspace,
      GITHUB_ACTION_PATH: context.actionPath,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v))])),
    };
    const run = await runAsync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: context.workspace,
      env,
      timeout: 600_000,
    });
    if (step.id) outputs[step.id] = readOutputs(files.output);
    if (existsSync(files.summary)) appendFileSync(context.summaryFile, readFileSync(files.summary));
    const outcome = run.code === 0 ? 'success' : 'failure';
    if (outcome === 'failure') failed = true;
    results.push({ name: step.name, outcome, ...run });
  }
  return results;
}

function expect(ok: boolean, what: string): void {
  if (!ok) throw new Error(`this runner needs ${what}`);
}

/** `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks, as GITHUB_OUTPUT holds them. */
export function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const block = /^([\w-]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2] as string, i + 1);
      outputs[block[1] as string] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}
