/**
 * Hostile ARM templates (issue 13; the evaluator's budgets themselves are tested in
 * `test/sources/arm-hostile.test.ts`): here each runs through the CLI under the suite's time and memory bounds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nestedCopies, templateCluster } from '../support/arm-fixtures.js';
import type { HostileCase, Measured } from './harness.js';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const SECRET = 'Hunter2-cluster-name-9c4e';

type Body = Record<string, unknown>;
const cluster = templateCluster;

/** Writes the template and scans it, the JSON report on stdout. */
function scan(dir: string, template: Body): { args: string[] } {
  const file = join(dir, 'azuredeploy.json');
  writeFileSync(file, JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...template }));
  return { args: ['scan', file, '--format', 'json', '--as-of', '2026-11-28'] };
}

/** Variables v0 … v60, each twice the one before: 2^60 characters or items if evaluated. */
const doubling = (first: unknown, step: (previous: string) => string): Body => ({
  variables: Object.fromEntries(
    Array.from({ length: 61 }, (_, i) => [`v${i}`, i === 0 ? first : step(`variables('v${i - 1}')`)]),
  ),
  resources: [cluster({ kubernetesVersion: "[string(variables('v60'))]" })],
});

/** The version finding is undecided, and says why in one short line. */
const undecidedBecause =
  (reason: RegExp) =>
  (run: Measured): string | undefined => {
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; unknown?: boolean; message: string }[] };
    const version = report.findings.find((f) => f.ruleId === 'control-plane/kubernetes-version-unsupported');
    if (!version?.unknown) return 'the exploding version is not undecided';
    if (!reason.test(version.message) || version.message.length > 600)
      return `the undecided version does not say ${reason} in one short line: ${version.message.slice(0, 300)}`;
    return undefined;
  };

const budget = /200000 characters or items, aksguard's budget/;

export const ARM_CASES: readonly HostileCase[] = [
  {
    name: 'arm: strings that double 60 times (nested concat)',
    prepare: (dir) => ({
      ...scan(
        dir,
        doubling('xy', (p) => `[concat(${p}, ${p})]`),
      ),
      check: undecidedBecause(budget),
    }),
    expected: { exit: [1] },
  },
  {
    name: 'arm: arrays that double 60 times (nested concat)',
    prepare: (dir) => ({
      ...scan(
        dir,
        doubling(['x'], (p) => `[concat(${p}, ${p})]`),
      ),
      check: undecidedBecause(budget),
    }),
    expected: { exit: [1] },
  },
  {
    name: 'arm: nested replace, eight times longer each step',
    prepare: (dir) => ({
      ...scan(
        dir,
        doubling('ab', (p) => `[replace(${p}, 'a', 'aaaaaaaa')]`),
      ),
      check: undecidedBecause(budget),
    }),
    expected: { exit: [1] },
  },
  {
    name: 'arm: a copy loop of a million clusters',
    prepare: (dir) => ({
      ...scan(dir, {
        resources: [
          {
            ...cluster({ kubernetesVersion: "[format('1.{0}', copyIndex())]" }, "[format('c{0}', copyIndex())]"),
            copy: { name: 'many', count: 1_000_000 },
          },
        ],
      }),
      check: undecidedBecause(/its count 1000000 is above ARM's limit of 800/),
    }),
    expected: { exit: [1] },
  },
  {
    name: 'arm: copy loops of 800 nested three deployments deep',
    prepare: (dir) => scan(dir, nestedCopies(3, 800, cluster({}, "[concat('c', string(copyIndex()))]"))),
    expected: { exit: [2], stderr: /azuredeploy\.json: the template expands to more than 10000 resources/ },
  },
  {
    name: 'arm: an expression nested 100,000 calls deep',
    prepare: (dir) => ({
      ...scan(dir, {
        resources: [cluster({ kubernetesVersion: `[${'string('.repeat(100_000)}'1.30'${')'.repeat(100_000)}]` })],
      }),
      check: undecidedBecause(/cannot parse the expression: nested more than 100 levels deep/),
    }),
    expected: { exit: [1] },
  },
  {
    name: 'arm: a secureString parameter as the cluster name',
    prepare: (dir) =>
      scan(dir, {
        parameters: { clusterName: { type: 'securestring', defaultValue: SECRET } },
        resources: [cluster({}, "[parameters('clusterName')]")],
      }),
    expected: { exit: [1], absent: [SECRET, SECRET.slice(0, 12)] },
  },
];
