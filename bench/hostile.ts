/**
 * The hostile-inputs target of DESIGN.md: every case of the robustness suite (`test/robustness`), and the inputs
 * just under each cap, run one at a time through the built CLI; the worst wall time, CPU time and peak RSS.
 */
import { ARM_CASES } from '../test/robustness/arm-cases.js';
import { AT_THE_CAPS, FILE_CASES } from '../test/robustness/file-cases.js';
import { DESIGN_BOUNDS, type Measured, runCase } from '../test/robustness/harness.js';
import { SERVER_CASES } from '../test/robustness/server-cases.js';
import { TERRAFORM_CASES } from '../test/robustness/terraform-cases.js';
import type { Figure } from './measure.js';

export async function benchHostileInputs(): Promise<Figure> {
  const cases = [...FILE_CASES, ...SERVER_CASES, ...TERRAFORM_CASES, ...ARM_CASES, ...AT_THE_CAPS];
  const runs: { name: string; run: Measured; problems: string[] }[] = [];
  for (const hostile of cases) runs.push({ name: hostile.name, ...(await runCase(hostile, DESIGN_BOUNDS)) });
  const worst = (key: 'ms' | 'cpuMs' | 'maxRss') =>
    runs.reduce((a, b) => ((b.run[key] ?? 0) > (a.run[key] ?? 0) ? b : a));
  const slowest = worst('ms');
  const busiest = worst('cpuMs');
  const biggest = worst('maxRss');
  const failing = runs.filter((r) => r.problems.length > 0);
  const mb = (bytes: number | undefined) => `${Math.round((bytes ?? 0) / 2 ** 20)} MB`;
  return {
    name: `hostile inputs: ${runs.length} cases, worst time`,
    value: Number((slowest.run.ms / 1000).toFixed(1)),
    unit: 's',
    target: '≤ 30 s and ≤ 1.5 GB each, exit 0/1/2',
    holds: failing.length === 0,
    detail: [
      `slowest: ${slowest.name} (${(slowest.run.ms / 1000).toFixed(1)} s wall)`,
      `most CPU: ${busiest.name} (${((busiest.run.cpuMs ?? 0) / 1000).toFixed(1)} s)`,
      `peak RSS ${mb(biggest.run.maxRss)}: ${biggest.name}`,
      ...failing.map((f) => `FAILS ${f.name}: ${f.problems.join('; ')}`),
    ].join('\n        '),
  };
}
