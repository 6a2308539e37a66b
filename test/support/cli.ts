import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would, from the project root. */
export function aksguard(
  args: readonly string[],
  options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Run {
  const run = spawnSync(process.execPath, ['bin/aksguard', ...args], {
    cwd: ROOT,
    input: options.input ?? '',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeout ?? 30_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The JSON report of a scan (`--format json`), with its exit code. */
export function scanJson(args: readonly string[], options: { input?: string } = {}) {
  const run = aksguard(['scan', '--format', 'json', '--as-of', '2026-11-28', ...args], options);
  if (run.code === 2 || run.code === null) throw new Error(`scan failed (${run.code}): ${run.stderr}`);
  return {
    code: run.code,
    report: JSON.parse(run.stdout) as import('../../src/model/result.js').ScanResult,
    stderr: run.stderr,
  };
}

/** Runs the CLI in-process (no spawn) with captured output: fast enough for one scan per corpus file. */
export async function runMain(args: readonly string[], options: { stdin?: string } = {}): Promise<Run> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    readStdin: async () => options.stdin ?? '',
    env: {},
    now: () => new Date('2026-11-28T00:00:00Z'),
  });
  return { code, stdout, stderr };
}

/**
 * Runs a program without blocking this process, for tests that serve it from here (the fake Kubernetes API server,
 * the ARM emulator): `spawnSync` would stop their event loop. The exit code is null when a signal (or the timeout)
 * ended it.
 */
export function runAsync(
  file: string,
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      timeout: options.timeout ?? 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A program that exits without reading its input closes the pipe (EPIPE): its exit code tells what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Runs the built CLI as `aksguard` does, without blocking this process (see `runAsync`). */
export function aksguardAsync(
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<Run> {
  return runAsync(process.execPath, ['bin/aksguard', ...args], {
    ...options,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
}
