import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FORMATTERS } from '../../src/report/index.js';
import { aksguard } from '../support/cli.js';
import { container, deployment, list, node, podSpec } from '../support/kube-fixtures.js';

const TOKEN = 'ghp_aksguardCanary7d1e9b0c4f2a';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aksguard-kube-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
};

describe('bad manifests: one line, exit 2', () => {
  it('a malformed YAML document names file, line and column', () => {
    const file = write('broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {app: web\n');
    const run = aksguard(['scan', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^${file}:\\d+:\\d+: invalid YAML: .+\\n$`));
  });

  it('a malformed manifest in a folder is skipped with a warning; the rest is scanned', () => {
    write('folder/ok.yaml', stringify(deployment('web', podSpec())));
    const broken = write('folder/zz-broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: [\n');
    const run = aksguard(['scan', join(dir, 'folder'), '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`^aksguard: warning: skipped ${broken}: ${broken}:4:1: invalid YAML: .+\n$`));
    const report = JSON.parse(run.stdout);
    expect(report.skipped).toEqual([{ file: broken, reason: expect.stringMatching(/invalid YAML/) }]);
    expect(report.findings.map((f: { resource: { name: string } }) => f.resource.name)).toContain('shop');
  });

  it('a "billion laughs" alias bomb is refused, not expanded', () => {
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 15; i++) {
      const [previous, name] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const file = write(
      'lol.yaml',
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: lol\n  annotations:\n${levels.map((l) => `    ${l}`).join('\n')}\n`,
    );
    const run = aksguard(['scan', file], { timeout: 20_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${file}:1:1: its aliases expand too far (a "billion laughs" alias bomb?); refused\n`);
  });
});

describe('manifests from stdin and forced formats', () => {
  it('reads `kubectl get -o yaml` output from stdin', () => {
    const privileged = deployment('web', podSpec({ containers: [container('app', { privileged: true })] }));
    const text = stringify(privileged);
    const line = text.split('\n').findIndex((l) => l.includes('privileged: true')) + 1;
    const run = aksguard(['scan', '-', '--format', 'json', '--rule', 'workload/privileged-container'], { input: text });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings).toMatchObject([
      {
        ruleId: 'workload/privileged-container',
        resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
        location: { file: '<stdin>', line },
      },
    ]);
  });

  it('--input-format kubernetes reads a file of any name', () => {
    const file = write('dump.txt', JSON.stringify(list(deployment('web', podSpec()))));
    const run = aksguard(['scan', file, '--input-format', 'kubernetes', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).targets).toHaveLength(1);
  });
});

describe('secret values never reach a report', () => {
  const manifest = [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'api', namespace: 'shop', annotations: { note: TOKEN } },
      data: { token: Buffer.from(TOKEN).toString('base64') },
      stringData: { raw: TOKEN },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { token: TOKEN } },
    deployment(
      'web',
      podSpec({
        containers: [
          container(
            'app',
            { privileged: true },
            {
              env: [{ name: 'API_TOKEN', value: TOKEN }],
              args: ['--token', TOKEN],
              command: ['run', `--key=${TOKEN}`],
            },
          ),
        ],
      }),
    ),
  ];

  for (const format of Object.keys(FORMATTERS)) {
    it(`--format ${format}`, () => {
      const file = write(`secrets-${format}.yaml`, manifest.map((o) => stringify(o)).join('---\n'));
      const run = aksguard(['scan', file, '--format', format]);
      expect(run.code).toBe(1);
      expect(run.stdout.length).toBeGreaterThan(0);
      expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
      expect(`${run.stdout}${run.stderr}`).not.toContain(Buffer.from(TOKEN).toString('base64'));
    });
  }
});

describe('aksguard nodes from files', () => {
  const IMAGE = 'kubernetes.azure.com/node-image-version';
  const fresh = node('aks-np1-0', {
    'kubernetes.azure.com/agentpool': 'np1',
    [IMAGE]: 'AKSUbuntu-2204gen2containerd-202611.20.0',
  });
  const stale = node('aks-np2-0', {
    'kubernetes.azure.com/agentpool': 'np2',
    [IMAGE]: 'AKSUbuntu-2204gen2containerd-202608.01.0',
  });

  it('prints a table, worst first, and exits 1 when a node breaks a patching rule', () => {
    const file = write('nodes.json', JSON.stringify(list(fresh, stale)));
    const run = aksguard(['nodes', file, '--as-of', '2026-11-28']);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[1]).toMatch(
      /^NODE\s+POOL\s+OS\s+IMAGE\s+AGE\s+KUBELET\s+STATUS\s+REBOOT NEEDED SINCE\s+COORDINATOR\s+BREAKS$/,
    );
    expect(lines[2]).toMatch(
      /^aks-np2-0\s+np2\s+-\s+AKSUbuntu-2204gen2containerd-202608\.01\.0\s+119d\s.*node-image-outdated$/,
    );
    expect(lines[3]).toMatch(/^aks-np1-0\s+np1\s.*\s8d\s.*\s-$/);
    expect(run.stdout).toContain('2 nodes, 1 breaking a patching rule');
  });

  it('exits 0 when every node is current, and 2 when there are no nodes', () => {
    expect(aksguard(['nodes', write('fresh.json', JSON.stringify(fresh)), '--as-of', '2026-11-28']).code).toBe(0);
    const none = aksguard(['nodes', write('none.json', JSON.stringify(deployment('web', podSpec())))]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^aksguard: the inputs hold no Node objects/);
  });
});
