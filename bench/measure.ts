import { spawnSync } from 'node:child_process';

/** One benchmark figure, the target it is held to, and whether it holds. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string;
  readonly holds: boolean;
  readonly detail: string;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Milliseconds `work` takes, best of `runs` after one warm-up (the machine is shared; the minimum is the signal). */
export async function timeBest(runs: number, work: () => unknown): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return Math.min(...times);
}

/** Runs a Node script in a fresh process; returns its parsed JSON output (the script prints one JSON line). */
export function inChild<T>(script: string, args: readonly string[]): T {
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', ...process.execArgv.filter((a) => !a.startsWith('--inspect')), script, ...args],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (run.status !== 0) throw new Error(`${script} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as T;
}
