import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { ROOT, runMain } from '../support/cli.js';

/**
 * Templates written to exhaust the expression evaluator, and secure parameters that must never be shown. Each
 * hostile case runs the real CLI in a Node limited to 400 MB of heap: above its budget a value becomes unknown,
 * with one clear reason, and the scan ends normally.
 */

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aksguard-arm-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Body = Record<string, unknown>;
const cluster = (properties: Body, name: unknown = 'c1'): Body => ({
  type: 'Microsoft.ContainerService/managedClusters',
  apiVersion: '2024-09-01',
  name,
  properties: { agentPoolProfiles: [{ name: 'sys', mode: 'System' }], ...properties },
});

function write(name: string, template: Body): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...template }));
  return file;
}

/** The JSON report of a scan in a Node with a 400 MB heap, and how long it took. */
function scanBounded(file: string): { report: ScanResult; seconds: number } {
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    ['--max-old-space-size=400', 'bin/aksguard', 'scan', file, '--format', 'json', '--fail-on', 'none'],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.status !== 0) throw new Error(`exit ${run.status} ${run.signal ?? ''}: ${run.stderr}`);
  return { report: JSON.parse(run.stdout) as ScanResult, seconds: (Date.now() - started) / 1000 };
}

/** Variables v0 … vN, each built from the one before by `step` (which names it `PREV`). */
const chain = (n: number, first: unknown, step: string): Body =>
  Object.fromEntries(
    Array.from({ length: n + 1 }, (_, i) => [
      `v${i}`,
      i === 0 ? first : step.replaceAll('PREV', `variables('v${i - 1}')`),
    ]),
  );

const probe = (report: ScanResult) =>
  report.findings.find((f) => f.ruleId === 'control-plane/kubernetes-version-unsupported');

describe('hostile templates end quickly, with the exploding value unknown', () => {
  const cases: [string, Body, RegExp][] = [
    ['nested concat of arrays', { variables: chain(60, ['x'], '[concat(PREV, PREV)]') }, /200000 characters or items/],
    ['nested concat of strings', { variables: chain(60, 'xy', '[concat(PREV, PREV)]') }, /200000 characters or items/],
    [
      'createArray(x, x) shares its parts until written out',
      { variables: { ...chain(80, 'x', '[createArray(PREV, PREV)]'), v81: "[string(variables('v80'))]" } },
      /200000 characters or items/,
    ],
    [
      'nested replace',
      { variables: chain(40, 'ab', "[replace(PREV, 'a', 'aaaaaaaa')]") },
      /200000 characters or items/,
    ],
    [
      'format with many holes',
      { variables: chain(20, 'x', `[format('${'{0}'.repeat(50)}', PREV)]`) },
      /200000 characters or items/,
    ],
    ['padLeft to a billion', { variables: { v60: "[padLeft('1', 1000000000, '0')]" } }, /200000 characters or items/],
    [
      'a lambda inside a lambda over 100,000 items each',
      {
        variables: {
          v1: "[string(map(range(0, 100000), lambda('i', length(map(range(0, 100000), lambda('j', 1))))))]",
        },
      },
      /more than 2000000 evaluation steps/,
    ],
    ['range of a billion', { variables: { v60: '[string(range(0, 1000000000))]' } }, /200000 characters or items/],
    [
      'variables defined through 5,000 others',
      { variables: chain(5000, '1.30', '[PREV]') },
      /more than 64 other variables/,
    ],
  ];
  for (const [name, extra, reason] of cases) {
    it(name, () => {
      const last = Object.keys((extra.variables as Body) ?? {}).at(-1) as string;
      const file = write(`${name.replaceAll(/\W/g, '-')}.json`, {
        ...extra,
        resources: [cluster({ kubernetesVersion: `[variables('${last}')]` })],
      });
      const { report, seconds } = scanBounded(file);
      expect(seconds).toBeLessThan(20);
      const finding = probe(report);
      expect(finding?.unknown).toBe(true);
      expect(finding?.message).toMatch(reason);
      expect(finding?.message.length).toBeLessThan(400);
    });
  }

  it("a copy loop of a million clusters is refused at ARM's limit: one stand-in whose copyIndex() is unknown", () => {
    const file = write('copy-million.json', {
      resources: [
        {
          ...cluster({ kubernetesVersion: "[format('1.{0}', copyIndex())]" }, "[format('c{0}', copyIndex())]"),
          copy: { name: 'many', count: 1000000 },
        },
      ],
    });
    const { report, seconds } = scanBounded(file);
    expect(seconds).toBeLessThan(20);
    expect(report.targets).toHaveLength(1);
    expect(probe(report)?.message).toMatch(/its count 1000000 is above ARM's limit of 800/);
  });

  it('copy loops nested through deployments stop at the resource budget with one line', () => {
    const inner = (depth: number): Body =>
      depth === 0
        ? { $schema: SCHEMA, contentVersion: '1.0.0.0', resources: [cluster({}, "[concat('c', string(copyIndex()))]")] }
        : {
            $schema: SCHEMA,
            contentVersion: '1.0.0.0',
            resources: [
              {
                type: 'Microsoft.Resources/deployments',
                name: "[concat('d', string(copyIndex()))]",
                copy: { name: `level${depth}`, count: 800 },
                properties: { mode: 'Incremental', template: inner(depth - 1) },
              },
            ],
          };
    const file = write('copy-nested.json', inner(3));
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--max-old-space-size=400', 'bin/aksguard', 'scan', file], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect((Date.now() - started) / 1000).toBeLessThan(20);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `${file}: the template expands to more than 10000 resources (copy loops in nested deployments?); aksguard reads templates up to that size\n`,
    );
  });
});

describe('secure parameters are never shown', () => {
  const SECRET = 'Sup3rS3cret-cluster-7f3a';
  const PASSWORD = 'Pa55w0rd-canary-91c2';

  it('a secureString name and a secureObject setting read "(sensitive)" in every report and the baseline', async () => {
    const file = write('secure.json', {
      parameters: {
        clusterName: { type: 'securestring', defaultValue: SECRET },
        windows: {
          type: 'secureObject',
          defaultValue: { adminUsername: 'azureuser', adminPassword: PASSWORD, enableCSIProxy: true },
        },
      },
      resources: [
        cluster(
          { windowsProfile: "[parameters('windows')]", dnsPrefix: "[format('{0}-dns', parameters('clusterName'))]" },
          "[parameters('clusterName')]",
        ),
      ],
    });
    const json = await runMain(['scan', file, '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(json.stdout) as ScanResult;
    expect(report.targets.map((t) => t.name)).toEqual(['(sensitive)']);
    const text = await runMain(['scan', file, '--fail-on', 'none']);
    expect(text.stdout).toMatch(/^\(sensitive\) {2}/m);
    const baseline = join(dir, 'baseline.json');
    await runMain(['baseline', 'create', file, '--output', baseline]);
    for (const output of [json.stdout, json.stderr, text.stdout, text.stderr, readFileSync(baseline, 'utf8')]) {
      expect(output).not.toContain(SECRET);
      expect(output).not.toContain(PASSWORD);
    }
  });

  it('a secure value passed into a nested deployment is sensitive there too, and a Key Vault reference is unknown', async () => {
    const file = write('secure-nested.json', {
      parameters: { name: { type: 'string', defaultValue: SECRET } },
      resources: [
        {
          type: 'Microsoft.Resources/deployments',
          name: 'aks',
          properties: {
            expressionEvaluationOptions: { scope: 'inner' },
            parameters: {
              clusterName: { value: "[parameters('name')]" },
              spSecret: { reference: { keyVault: { id: '/subscriptions/x/vaults/kv' }, secretName: 'sp' } },
            },
            template: {
              $schema: SCHEMA,
              contentVersion: '1.0.0.0',
              parameters: { clusterName: { type: 'secureString' }, spSecret: { type: 'secureString' } },
              resources: [
                cluster(
                  { servicePrincipalProfile: { clientId: 'app-id', secret: "[parameters('spSecret')]" } },
                  "[parameters('clusterName')]",
                ),
              ],
            },
          },
        },
      ],
    });
    const run = await runMain(['scan', file, '--format', 'json', '--fail-on', 'none']);
    expect(run.stdout).not.toContain(SECRET);
    const report = JSON.parse(run.stdout) as ScanResult;
    expect(report.targets.map((t) => t.name)).toEqual(['(sensitive)']);
  });
});
