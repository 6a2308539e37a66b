import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFrameworks, rulesOf } from '../../src/engine/frameworks.js';
import { controlId, FRAMEWORK_IDS, type Framework } from '../../src/model/framework.js';
import { RULES } from '../../src/rules/index.js';
import { ROOT } from '../support/cli.js';

/**
 * The mapping files in data/frameworks/ against the rule registry: every rule is listed (an empty list says it
 * evidences nothing there), every control a rule names is in the framework's control list, and the file says which
 * version of the framework it follows and when that was checked.
 */

const ruleIds = RULES.map((r) => r.meta.id);
const frameworks = loadFrameworks();
/** The shape of each framework's control ids. */
const CONTROL_ID: Record<Framework['id'], RegExp> = {
  'cis-aks': /^[1-5]\.\d+\.\d+$/,
  mcsb: /^(NS|IM|PA|DP|AM|LT|IR|PV|ES|BR|DS|GS)-\d+$/,
  'azure-policy': /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
};

describe('data/frameworks', () => {
  it('holds one file per framework id, named by it', () => {
    const files = readdirSync(join(ROOT, 'data/frameworks')).sort();
    expect(files).toEqual(FRAMEWORK_IDS.map((id) => `${id}.json`).sort());
    expect(frameworks.map((f) => f.id)).toEqual([...FRAMEWORK_IDS]);
  });

  describe.each(frameworks.map((f) => [f.id, f] as const))('%s', (id, framework) => {
    it('names its version, its source and the date it was checked', () => {
      expect(framework.name.length).toBeGreaterThan(5);
      expect(framework.version).toMatch(/^(v\d+(\.\d+)*|\d{4}-\d{2}-\d{2})$/);
      expect(framework.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(framework.checked))).toBe(false);
      expect(framework.source).toMatch(/https?:\/\/|\//);
      expect(framework.tagPrefix).toMatch(/^[A-Za-z-]+-$/);
    });

    it('lists its controls once each, with the id shape of the framework and a title', () => {
      const ids = framework.controls.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const control of framework.controls) {
        expect(control.id).toMatch(CONTROL_ID[id]);
        expect(control.title.trim()).toBe(control.title);
        expect(control.title.length).toBeGreaterThan(5);
      }
    });

    it('maps every registered rule, and only those', () => {
      expect(Object.keys(framework.rules).sort()).toEqual([...ruleIds].sort());
      expect(Object.keys(framework.notes).filter((rule) => !ruleIds.includes(rule))).toEqual([]);
    });

    it('maps rules only to controls in its own list, each once', () => {
      const known = new Set(framework.controls.map((c) => c.id));
      for (const [rule, refs] of Object.entries(framework.rules)) {
        const named = refs.map(controlId);
        expect(
          named.filter((c) => !known.has(c)),
          rule,
        ).toEqual([]);
        const plain = refs.filter((r) => typeof r === 'string');
        expect(new Set(plain).size, rule).toBe(plain.length);
      }
    });

    it('narrows by finding path only to a property the rule reports', () => {
      for (const [rule, refs] of Object.entries(framework.rules)) {
        const source = readFileSync(join(ROOT, 'src/rules', `${rule}.ts`), 'utf8');
        for (const ref of refs) if (typeof ref !== 'string') expect(source, rule).toContain(ref.findingPath);
      }
    });

    it('covers some controls and leaves others visibly uncovered', () => {
      const covered = new Set(Object.values(framework.rules).flatMap((refs) => refs.map(controlId)));
      expect(covered.size).toBeGreaterThan(0);
      expect(covered.size).toBeLessThan(framework.controls.length);
      expect(rulesOf(framework).length).toBeGreaterThan(0);
    });
  });

  it('names Azure Policy definitions with their version', () => {
    const policy = frameworks.find((f) => f.id === 'azure-policy') as Framework;
    for (const control of policy.controls) expect(control.version, control.id).toMatch(/^\d+\.\d+\.\d+(-preview)?$/);
  });

  it('keeps the CIS mapping on the controls the benchmark sections hold (2 to 5, no 1 and no 4.3)', () => {
    const cis = frameworks.find((f) => f.id === 'cis-aks') as Framework;
    const sections = new Set(cis.controls.map((c) => c.id.split('.').slice(0, 2).join('.')));
    expect([...sections]).toEqual([
      '2.1',
      '3.1',
      '3.2',
      '4.1',
      '4.2',
      '4.4',
      '4.5',
      '4.6',
      '5.1',
      '5.2',
      '5.3',
      '5.4',
      '5.5',
    ]);
  });
});
