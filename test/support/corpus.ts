import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { runMain } from './cli.js';

/** Every file below `dir`, recursively, whose name ends with one of `extensions`. */
export const filesUnder = (dir: string, extensions: readonly string[]): string[] =>
  readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path, extensions) : [path];
    })
    .filter((path) => extensions.some((e) => path.endsWith(e)));

/** The JSON report of an in-process scan that prints nothing on stderr but the files it skipped (also in the report). */
export async function scanCorpus(path: string): Promise<{ code: number | null; report: ScanResult }> {
  const run = await runMain(['scan', path, '--format', 'json', '--as-of', '2026-11-28']);
  const report = JSON.parse(run.stdout) as ScanResult;
  expect(run.stderr).toBe(report.skipped.map((s) => `aksguard: warning: skipped ${s.file}: ${s.reason}\n`).join(''));
  return { code: run.code, report };
}

/** (ruleId, resource name, unknown) of every finding, for compact assertions. */
export const fired = (report: ScanResult): string[] =>
  report.findings.map((f) => `${f.ruleId} ${f.resource.name}${f.unknown ? ' ?' : ''}`);
