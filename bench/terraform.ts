import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateTerraformFiles } from './generate-terraform.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = fileURLToPath(new URL('./out/terraform/', import.meta.url));

/**
 * Seconds the built CLI takes, start-up included, to scan a folder of about `files` generated `.tf` files (40
 * root modules by default, some calling a local module): the target is under 5 s for 200 files. The
 * best of three runs after a warm-up, since the machine is shared. Needs `npm run build` first (`npm run bench`
 * builds).
 */
export function benchTerraform(folders = 40): { files: number; seconds: number; clusters: number } {
  rmSync(OUT, { recursive: true, force: true });
  const files = generateTerraformFiles(OUT, folders).length;
  const scan = () => {
    const start = performance.now();
    const run = spawnSync(process.execPath, ['bin/aksguard', 'scan', OUT, '--format', 'json', '--fail-on', 'none'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const seconds = (performance.now() - start) / 1000;
    if (run.status !== 0) throw new Error(`terraform bench scan failed (${run.status}): ${run.stderr}`);
    return { seconds, clusters: (JSON.parse(run.stdout) as { targets: unknown[] }).targets.length };
  };
  scan();
  const runs = [scan(), scan(), scan()];
  const best = Math.min(...runs.map((r) => r.seconds));
  return { files, seconds: Math.round(best * 1000) / 1000, clusters: runs[0]?.clusters ?? 0 };
}
