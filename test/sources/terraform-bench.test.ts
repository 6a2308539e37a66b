import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTerraformFiles } from '../../bench/generate-terraform.js';
import { loadInputs } from '../../src/sources/index.js';

describe('bench Terraform generator', () => {
  it('is deterministic by seed, and every stack scans as one cluster with its pools', async () => {
    const a = generateTerraformFiles(mkdtempSync(join(tmpdir(), 'aksguard-tfbench-')), 5, 7);
    const b = generateTerraformFiles(mkdtempSync(join(tmpdir(), 'aksguard-tfbench-')), 5, 7);
    expect(a.map((f) => readFileSync(f, 'utf8'))).toEqual(b.map((f) => readFileSync(f, 'utf8')));
    expect(a.length).toBeGreaterThanOrEqual(25);

    const dir = join(a[0] as string, '..', '..');
    const { snapshot, skipped } = await loadInputs([dir], { readStdin: async () => '' });
    expect(skipped).toEqual([]);
    expect(snapshot.clusters.map((c) => c.name).sort()).toEqual(['aks-0', 'aks-1', 'aks-2', 'aks-3', 'aks-4']);
    for (const cluster of snapshot.clusters) {
      expect(cluster.settings?.get('apiServerAccessProfile.enablePrivateCluster').unresolved).toBeUndefined();
      expect(cluster.pools.map((p) => p.name)[0]).toBe('system');
    }
    // Stacks 0-3 declare their pools beside the cluster; stack 4 calls a local module.
    expect(snapshot.clusters.find((c) => c.name === 'aks-0')?.pools.map((p) => p.name)).toContain('apps');
  });
});
