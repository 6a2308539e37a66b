/**
 * The large-cluster targets: a `kubectl get -o json` dump of 2,000 nodes and 60,000 pods scanned by the CLI, timed
 * against `JSON.parse` of the same bytes, at full and half size, with the scan's peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateKubeDump, type KubeDumpSize, LARGE } from './generate-kube.js';
import type { Figure } from './measure.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNS = 3;

interface Scan {
  readonly ms: number;
  readonly maxRss: number;
}

/** The CLI scanning `file` to a JSON report, as a user runs it: wall time from process start to exit, and peak RSS. */
function scanOnce(file: string, out: string): Scan {
  const rssFile = `${out}.rss`;
  const start = performance.now();
  const run = spawnSync(
    process.execPath,
    ['--require', './bench/maxrss.cjs', 'bin/aksguard', 'scan', file, '--format', 'json', '--output', `${out}.json`],
    { cwd: ROOT, env: { ...process.env, BENCH_MAXRSS_FILE: rssFile }, encoding: 'utf8' },
  );
  const ms = performance.now() - start;
  if (run.status !== 0 && run.status !== 1) throw new Error(`scan of ${file} exited ${run.status}: ${run.stderr}`);
  const { maxRss } = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRss: number };
  rmSync(rssFile);
  return { ms, maxRss };
}

function parseOnce(file: string): number {
  const run = spawnSync(process.execPath, ['bench/parse-only.mjs', file], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`JSON.parse of ${file} failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { ms: number }).ms;
}

const fastest = (scans: readonly Scan[]): Scan => scans.reduce((a, b) => (b.ms < a.ms ? b : a));

const half = (size: KubeDumpSize): KubeDumpSize => ({
  nodes: size.nodes / 2,
  namespaces: size.namespaces / 2,
  pods: size.pods / 2,
  rbac: size.rbac / 2,
});

export function benchKubeDump(outDir: string): Figure[] {
  const full = `${outDir}kube-full.json`;
  const small = `${outDir}kube-half.json`;
  const bytes = generateKubeDump(full, LARGE);
  generateKubeDump(small, half(LARGE));
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
  // Interleaved, best of each: a busy neighbour slows all of them alike.
  const parses: number[] = [];
  const scans: Scan[] = [];
  const halves: Scan[] = [];
  for (let i = 0; i < RUNS; i++) {
    parses.push(parseOnce(full));
    scans.push(scanOnce(full, `${outDir}kube-full-report`));
    halves.push(scanOnce(small, `${outDir}kube-half-report`));
  }
  const parseMs = Math.min(...parses);
  const scan = fastest(scans);
  const halfScan = fastest(halves);
  const timeRatio = scan.ms / parseMs;
  const rssRatio = scan.maxRss / bytes;
  const linearity = scan.ms / halfScan.ms;
  return [
    {
      name: 'large dump: scan time / JSON.parse time',
      value: Number(timeRatio.toFixed(2)),
      unit: '×',
      target: '≤ 2×',
      holds: timeRatio <= 2,
      detail: `${mb(bytes)} dump (${LARGE.nodes} nodes, ${LARGE.pods} pods, ${LARGE.rbac} RBAC objects, ${LARGE.namespaces} namespaces): CLI scan ${(scan.ms / 1000).toFixed(2)} s process start to exit, JSON.parse ${(parseMs / 1000).toFixed(2)} s; best of ${RUNS}`,
    },
    {
      name: 'large dump: peak RSS / file size',
      value: Number(rssRatio.toFixed(2)),
      unit: '×',
      target: '≤ 3×',
      holds: rssRatio <= 3,
      detail: `peak RSS ${mb(scan.maxRss)} for a ${mb(bytes)} file`,
    },
    {
      name: 'large dump: time at 2× size / time at 1×',
      value: Number(linearity.toFixed(2)),
      unit: '×',
      target: '≤ 2.2×',
      holds: linearity <= 2.2,
      detail: `${(halfScan.ms / 1000).toFixed(2)} s at half size, ${(scan.ms / 1000).toFixed(2)} s at full size`,
    },
  ];
}
