import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ScanResult } from '../../src/model/result.js';
import { param, template } from '../support/arm-fixtures.js';
import { ROOT, runMain } from '../support/cli.js';
import { deployment, networkPolicy, podSpec } from '../support/kube-fixtures.js';

const DEMO_CLUSTER = readFileSync(join(ROOT, 'examples/demo/prod-weu.json'), 'utf8');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aksguard-inputs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string) => {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
};

const scan = async (...args: string[]) => {
  const run = await runMain(['scan', '--format', 'json', ...args]);
  return { ...run, report: run.code === 2 ? undefined : (JSON.parse(run.stdout) as ScanResult) };
};

describe('a scan that finds nothing to judge never says pass', () => {
  it('an empty folder: exit 2 with one line saying so; --allow-empty accepts it', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const run = await runMain(['scan', empty]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `aksguard: no AKS cluster found in ${empty}: no file of a kind aksguard reads (.json, .yaml, .yml, .tf, .bicep). Nothing was judged, so this is not a pass; --allow-empty accepts an empty scan\n`,
    );
    const allowed = await scan(empty, '--allow-empty');
    expect(allowed.code).toBe(0);
    expect(allowed.report?.targets).toEqual([]);
  });

  it('a folder of unrelated files: what was read, and that none is an AKS input', async () => {
    write('unrelated/package.json', '{ "name": "x", "version": "1.0.0" }');
    write('unrelated/values.yaml', 'replicas: 3\n');
    write('unrelated/empty-template.json', JSON.stringify({ ...template({}), resources: [] }));
    const run = await runMain(['scan', join(dir, 'unrelated')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /no AKS cluster found in .*unrelated: 1 file read, none declares an AKS cluster; 2 files of no AKS input kind\. Nothing was judged/,
    );
  });
});

describe('folder scans are not brittle', () => {
  it('a broken file in a folder is a warning and a skipped entry; named on the command line it stays an error', async () => {
    write('infra/cluster.json', DEMO_CLUSTER);
    const plan = write('infra/tfplan.json', '');
    const truncated = write('infra/nested/azuredeploy.json', JSON.stringify(template({})).slice(0, 80));
    const { code, report, stderr } = await scan(join(dir, 'infra'), '--fail-on', 'none');
    expect(code).toBe(0);
    expect(report?.targets.map((t) => t.name)).toEqual(['prod-weu']);
    expect(report?.skipped).toEqual([
      {
        file: truncated,
        reason: `${truncated}:1:81: invalid JSON: unexpected end of file (is it truncated?)`,
      },
      { file: plan, reason: `${plan}: the file is empty` },
    ]);
    expect(stderr).toContain(`aksguard: warning: skipped ${plan}: ${plan}: the file is empty\n`);
    const text = await runMain(['scan', join(dir, 'infra'), '--fail-on', 'none']);
    expect(text.stdout).toMatch(/\(2 files skipped\) — pass/);
    const named = await runMain(['scan', plan]);
    expect(named.code).toBe(2);
    expect(named.stderr).toBe(`${plan}: the file is empty\n`);
  });

  it('--skip-path leaves out names anywhere and paths from the scanned folder; so does skipPaths in the config', async () => {
    write('repo/prod/cluster.json', DEMO_CLUSTER);
    write('repo/examples/demo/cluster.json', DEMO_CLUSTER.replaceAll('prod-weu', 'demo-cluster'));
    write('repo/prod/tfplan.json', '');
    const both = await scan(join(dir, 'repo'), '--fail-on', 'none');
    expect(both.report?.targets.map((t) => t.name).sort()).toEqual(['demo-cluster', 'prod-weu']);
    const skipped = await scan(join(dir, 'repo'), '--skip-path', 'examples/**', '--skip-path', 'tfplan.json');
    expect(skipped.report?.targets.map((t) => t.name)).toEqual(['prod-weu']);
    expect(skipped.report?.skipped).toEqual([]);
    const config = write('repo-config.yaml', 'skipPaths:\n  - examples\n  - "*.json.bak"\n');
    const configured = await scan(join(dir, 'repo'), '--config', config, '--skip-path', 'tfplan.json');
    expect(configured.report?.targets.map((t) => t.name)).toEqual(['prod-weu']);
    const bad = await runMain(['scan', join(dir, 'repo'), '--skip-path', '[oops']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("aksguard: --skip-path '[oops' is not a valid glob: unclosed '[' at character 1\n");
  });

  it('follows symbolic links to files and folders, reads a folder reached twice once, and skips a dangling link', async () => {
    const real = write('linked-real/cluster.json', DEMO_CLUSTER);
    mkdirSync(join(dir, 'links/sub'), { recursive: true });
    symlinkSync(real, join(dir, 'links/cluster.json'));
    symlinkSync(join(dir, 'links'), join(dir, 'links/sub/loop'));
    symlinkSync(join(dir, 'nowhere.json'), join(dir, 'links/dangling.json'));
    const { code, report } = await scan(join(dir, 'links'), '--fail-on', 'none');
    expect(code).toBe(0);
    expect(report?.targets.map((t) => [t.name, t.source])).toEqual([['prod-weu', join(dir, 'links/cluster.json')]]);
    expect(report?.skipped).toEqual([
      { file: join(dir, 'links/dangling.json'), reason: 'a symbolic link to a file that does not exist' },
    ]);
  });

  it('reads UTF-8 files with a byte order mark (YAML and JSON) in folder scans', async () => {
    const bom = '\uFEFF';
    write('bom/policy.yaml', bom + stringify(networkPolicy('shop')));
    write('bom/web.yaml', bom + stringify(deployment('web', podSpec())));
    write('bom/cluster.json', bom + DEMO_CLUSTER);
    const { report } = await scan(join(dir, 'bom'), '--fail-on', 'none');
    expect(report?.skipped).toEqual([]);
    expect(report?.targets.map((t) => t.name)).toEqual(['prod-weu']);
    // The manifests were read (and joined the cluster): shop has pods, and its Namespace object is not in the input.
    expect(report?.findings.some((f) => f.ruleId === 'isolation/namespace-without-pod-security')).toBe(true);
    expect(report?.findings.some((f) => f.ruleId === 'isolation/namespace-without-network-policy')).toBe(false);
  });
});

describe('undecided findings are counted and can fail the scan', () => {
  const undecided = () =>
    write(
      'undecided/azuredeploy.json',
      JSON.stringify(
        template(
          {
            enableRBAC: true,
            disableLocalAccounts: param('local'),
            networkProfile: { networkPlugin: 'azure', networkPolicy: 'azure' },
            apiServerAccessProfile: { enablePrivateCluster: true },
          },
          { parameters: ['local'] },
        ),
      ),
    );

  it('the verdict line and the JSON summary count them; --fail-on-undecided fails on them', async () => {
    const file = undecided();
    const args = ['--rule', 'identity/local-accounts-enabled', '--rule', 'isolation/network-policy-disabled'];
    const text = await runMain(['scan', file, ...args]);
    expect(text.code).toBe(0);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe(
      '1 cluster, 2 rules: 0 critical, 0 high, 0 medium, 0 low, 1 info — pass, 1 undecided (--fail-on high)',
    );
    const { report } = await scan(file, ...args);
    expect(report?.summary).toMatchObject({ info: 1, unknown: 1, undecided: 1 });
    const strict = await runMain(['scan', file, ...args, '--fail-on-undecided']);
    expect(strict.code).toBe(1);
    expect(strict.stdout.trimEnd().split('\n').at(-1)).toMatch(/ — FAIL \(1 undecided, --fail-on-undecided\)$/);
    const config = write(
      'undecided.config.yaml',
      'ignore:\n  - rule: identity/local-accounts-enabled\n    reason: set by the pipeline\n',
    );
    const accepted = await runMain(['scan', file, ...args, '--fail-on-undecided', '--config', config]);
    expect(accepted.code).toBe(0);
  });
});
