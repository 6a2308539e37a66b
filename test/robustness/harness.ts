/**
 * Runs the built CLI on one hostile input, as a user (or a CI job) would, and measures what it cost: exit code,
 * what it printed, wall time, CPU time and peak RSS (written at exit by `bench/maxrss.cjs`). `problems` says what
 * is wrong with a run; the robustness suite asserts there is nothing, and `npm run bench` prints the worst figures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';

export interface Bounds {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssBytes: number;
}

/** DESIGN.md: every hostile input ends within 30 s under 1.5 GB. */
export const DESIGN_BOUNDS: Bounds = { ms: 30_000, cpuMs: 30_000, rssBytes: 1.5 * 2 ** 30 };
/**
 * What the tests hold each run to: the memory and CPU bounds as they are; wall time tripled, for runs made a few
 * at a time on a shared machine (CPU time is what the load does not inflate).
 */
export const TEST_BOUNDS: Bounds = { ...DESIGN_BOUNDS, ms: 90_000 };
/** A run still going after this is killed (and fails). */
const KILL_AFTER_MS = 150_000;
/** Output kept for the checks; the rest is counted and dropped. */
const KEPT_BYTES = 1 << 20;

export interface Setup {
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Written to stdin; `endless` repeats its bytes until aksguard stops reading. */
  readonly stdin?: string | Buffer | { readonly endless: Buffer };
  /** A check of this run's own beyond `expected`; returns what is wrong, if anything. */
  readonly check?: (run: Measured) => string | undefined;
  /** Stops what `prepare` started (servers, writers). */
  readonly cleanup?: () => unknown;
}

export interface Expected {
  /** The exit codes this input may give (always among 0, 1 and 2). */
  readonly exit: readonly (0 | 1 | 2)[];
  /** What stderr must say (the whole of it, one line, when the exit is 2). */
  readonly stderr?: RegExp;
  /** Strings that must appear in neither stdout nor stderr (secrets, raw escapes). */
  readonly absent?: readonly string[];
}

export interface HostileCase {
  readonly name: string;
  /** Makes the input in `dir` (a fresh folder) and says how to run aksguard on it. */
  prepare(dir: string): Setup | Promise<Setup>;
  readonly expected: Expected;
}

export interface Measured {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBytes: number;
  readonly ms: number;
  readonly cpuMs: number | undefined;
  readonly maxRss: number | undefined;
}

/** Prepares the case in a fresh folder, runs it, cleans up. */
export async function runCase(
  hostile: HostileCase,
  bounds: Bounds = TEST_BOUNDS,
): Promise<{ run: Measured; problems: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'aksguard-hostile-'));
  const setup = await hostile.prepare(dir);
  try {
    const run = await measure(setup, dir);
    const own = setup.check?.(run);
    return { run, problems: [...problems(run, hostile.expected, bounds), ...(own ? [own] : [])] };
  } finally {
    await setup.cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

function measure(setup: Setup, dir: string): Promise<Measured> {
  const usageFile = join(dir, 'usage.json');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', './bench/maxrss.cjs', 'bin/aksguard', ...setup.args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', BENCH_MAXRSS_FILE: usageFile, ...setup.env },
    });
    const out = collector();
    const err = collector();
    child.stdout.on('data', out.add);
    child.stderr.on('data', err.add);
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      const usage = readUsage(usageFile);
      resolve({
        code,
        stdout: out.text(),
        stderr: err.text(),
        stdoutBytes: out.bytes(),
        ms: performance.now() - started,
        cpuMs: usage?.cpuMs,
        maxRss: usage?.maxRss,
      });
    });
    feed(child.stdin, setup.stdin);
  });
}

function feed(stdin: NodeJS.WritableStream & { destroyed?: boolean }, input: Setup['stdin']): void {
  stdin.on('error', () => undefined); // aksguard stopping reading early is the point of the endless inputs
  if (input === undefined || typeof input === 'string' || Buffer.isBuffer(input)) {
    stdin.end(input ?? '');
    return;
  }
  const pump = () => {
    while (!stdin.destroyed && stdin.write(input.endless)) {
      // until the pipe is full; then wait for it to drain
    }
    if (!stdin.destroyed) stdin.once('drain', pump);
  };
  pump();
}

function collector() {
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  return {
    add: (chunk: Buffer) => {
      total += chunk.length;
      if (kept < KEPT_BYTES) {
        chunks.push(chunk);
        kept += chunk.length;
      }
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
    bytes: () => total,
  };
}

function readUsage(file: string): { maxRss: number; cpuMs: number } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { maxRss: number; cpuMs: number };
  } catch {
    return undefined;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** What is wrong with a run: the shared rules for every hostile input, then the case's own expectations. */
export function problems(run: Measured, expected: Expected, bounds: Bounds): string[] {
  const found: string[] = [];
  const say = (problem: string) => found.push(problem);
  if (run.code === null || ![0, 1, 2].includes(run.code)) say(`exit ${run.code} (killed or crashed?)`);
  else if (!expected.exit.includes(run.code as 0 | 1 | 2))
    say(`exit ${run.code}, expected ${expected.exit.join(' or ')}`);
  if (run.code === 2) {
    if (run.stdoutBytes > 0) say('exit 2 with a report on stdout');
    if (!/^[^\n]+\n$/.test(run.stderr))
      say(`stderr is not exactly one line: ${JSON.stringify(run.stderr.slice(0, 300))}`);
  }
  if (/\n\s+at /.test(run.stderr)) say('a stack trace on stderr');
  if (/internal error/.test(run.stderr)) say(`an internal error: ${run.stderr.trim().slice(0, 300)}`);
  if (RAW_CONTROL.test(run.stderr)) say('a raw control character on stderr');
  if (expected.stderr && !expected.stderr.test(run.stderr.trimEnd())) {
    say(`stderr ${JSON.stringify(run.stderr.slice(0, 300))} does not match ${expected.stderr}`);
  }
  for (const text of expected.absent ?? []) {
    if (run.stdout.includes(text) || run.stderr.includes(text)) say(`the output contains ${JSON.stringify(text)}`);
  }
  if (run.ms > bounds.ms) say(`took ${Math.round(run.ms)} ms (bound ${bounds.ms} ms)`);
  if (run.cpuMs !== undefined && run.cpuMs > bounds.cpuMs)
    say(`used ${run.cpuMs} ms of CPU (bound ${bounds.cpuMs} ms)`);
  if (run.maxRss === undefined) say('no usage figures (the process did not exit normally)');
  else if (run.maxRss > bounds.rssBytes)
    say(`peak RSS ${Math.round(run.maxRss / 2 ** 20)} MB (bound ${bounds.rssBytes / 2 ** 20} MB)`);
  return found;
}
