import { describe, expect, it } from 'vitest';
import { defaultRuleOptions } from '../../src/engine/options.js';
import { runRules } from '../../src/engine/run.js';
import type { Finding } from '../../src/model/finding.js';
import { CONFIGURABLE_OPTIONS, type Rule, type RuleOptions } from '../../src/model/rule.js';
import { readTexts } from '../../src/sources/index.js';

/** Files of one case: name → content (objects are written as JSON). */
export type Files = Record<string, unknown>;

export interface Case {
  readonly name: string;
  /** One ARM/az resource (written as `cluster.json`), or several files by name. */
  readonly input: unknown;
  readonly files?: boolean;
  readonly now?: string;
  readonly options?: Partial<RuleOptions>;
}

export interface Expected {
  /** `Kind/name`, e.g. `AgentPool/np1`. */
  readonly resource: string;
  /** The finding's property path (`properties.apiServerAccessProfile.authorizedIPRanges`): where it points. */
  readonly path: string;
  readonly unknown?: boolean;
  readonly message?: RegExp;
  /** When the finding's severity differs from the rule's (e.g. `info` in a system namespace). */
  readonly severity?: Finding['severity'];
}

export interface InvalidCase extends Case {
  readonly errors: readonly Expected[];
}

/** Runs one rule over a case's input through the real sources and engine; returns its findings. */
export async function findingsOf(rule: Rule, testCase: Case): Promise<Finding[]> {
  const files: Files = testCase.files ? (testCase.input as Files) : { 'cluster.json': testCase.input };
  const texts = Object.entries(files).map(([file, content]) => ({
    file,
    text: typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    named: true,
  }));
  const { snapshot } = await readTexts(texts);
  const options = declaredOnly(rule, { ...defaultRuleOptions(), ...testCase.options });
  const now = new Date(testCase.now ?? '2026-11-28T00:00:00Z');
  return [...runRules(snapshot, { rules: [rule], context: { now, options }, version: 'test' }).findings];
}

/**
 * The options, such that reading a configurable option the rule does not declare in `meta.options` throws: a rule
 * that reads one must declare it, or the config could not set it and its docs would not list it.
 */
function declaredOnly(rule: Rule, options: RuleOptions): RuleOptions {
  const configurable: readonly string[] = CONFIGURABLE_OPTIONS;
  return new Proxy(options, {
    get(target, key, receiver) {
      if (typeof key === 'string' && configurable.includes(key) && !rule.meta.options?.includes(key as never))
        throw new Error(`${rule.meta.id} reads option ${key} but does not declare it in meta.options`);
      return Reflect.get(target, key, receiver);
    },
  });
}

/** ESLint RuleTester style: `valid` cases produce no finding, `invalid` ones exactly the listed findings. */
export function testRule(rule: Rule, cases: { valid: readonly Case[]; invalid: readonly InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    for (const testCase of cases.valid) {
      it(`valid: ${testCase.name}`, async () => {
        expect(await findingsOf(rule, testCase)).toEqual([]);
      });
    }
    for (const testCase of cases.invalid) {
      it(`invalid: ${testCase.name}`, async () => {
        const findings = await findingsOf(rule, testCase);
        expect(findings.map(shape)).toEqual(testCase.errors.map((e) => expect.objectContaining(expected(e))));
        for (const finding of findings) expect(finding.ruleId).toBe(rule.meta.id);
        testCase.errors.forEach((e, i) => {
          if (e.message) expect(findings[i]?.message).toMatch(e.message);
        });
      });
    }
  });
}

const shape = (f: Finding) => ({
  resource: `${f.resource.kind}/${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`,
  path: f.path,
  unknown: f.unknown,
  severity: f.severity,
});

function expected(e: Expected): Record<string, unknown> {
  return {
    resource: e.resource,
    path: e.path,
    unknown: e.unknown ?? false,
    ...(e.severity === undefined ? {} : { severity: e.severity }),
  };
}

/** Where a finding about one label or annotation points: `metadata.annotations["weave.works/kured-…"]`. */
export const metadataPath = (map: 'labels' | 'annotations', key: string) => `metadata.${map}["${key}"]`;

/** An ARM managed cluster resource with the given `properties`. */
export const aks = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: 'aks1',
  type: 'Microsoft.ContainerService/managedClusters',
  id: '/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1',
  properties,
  ...extra,
});

/** A Linux system pool entry for `agentPoolProfiles`. */
export const pool = (overrides: Record<string, unknown> = {}) => ({
  name: 'np1',
  mode: 'System',
  osType: 'Linux',
  count: 3,
  vmSize: 'Standard_D4s_v5',
  ...overrides,
});
