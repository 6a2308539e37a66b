import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultRuleOptions } from '../../src/engine/options.js';
import type { Rule } from '../../src/model/rule.js';
import { RULES } from '../../src/rules/index.js';
import { aksguard, ROOT } from '../support/cli.js';

/**
 * The registry, the rule files, their docs pages and their tests must agree: a rule exists when it is listed in
 * `src/rules/index.ts`, lives in `src/rules/<id>.ts`, is explained by `docs/rules/<id>.md` (what `aksguard
 * explain` prints and SARIF links to) and is tested by `test/rules/<id>.test.ts`. Everything here is derived
 * from the registry and the file system, so rules added later are covered without touching this file.
 */

const RULES_DIR = join(ROOT, 'src/rules');
/** Folders under src/rules that hold shared helpers, not rules. */
const HELPER_FOLDERS = new Set(['util']);
/** Every docs page has these sections, in this order. */
const SECTIONS = ['What it checks', 'Why it matters', 'Defaults', 'How to fix', 'Example', 'References'];
/** Pages stay readable in a terminal, complete examples included. */
const PAGE_LINES = { min: 40, max: 130 };

const ids = RULES.map((rule) => rule.meta.id);
const docsPage = (id: string) => join(ROOT, 'docs/rules', `${id}.md`);
const testFile = (id: string) => join(ROOT, 'test/rules', `${id}.test.ts`);
const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** Each rule file on disk as the id its path implies: `src/rules/<domain>/<name>.ts` → `<domain>/<name>`. */
function idsOfRuleFiles(): string[] {
  return readdirSync(RULES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !HELPER_FOLDERS.has(entry.name))
    .flatMap((domain) =>
      readdirSync(join(RULES_DIR, domain.name))
        .filter((file) => file.endsWith('.ts'))
        .map((file) => `${domain.name}/${file.slice(0, -'.ts'.length)}`),
    )
    .sort();
}

describe('the rule registry', () => {
  it('lists every rule file under src/rules/<domain>/, and no other', () => {
    expect([...ids].sort()).toEqual(idsOfRuleFiles());
  });

  it('is sorted by id, without duplicates', () => {
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(idsOfRuleFiles())('%s: the file exports the registered rule, with the id of its path', async (id) => {
    const module = (await import(pathToFileURL(join(RULES_DIR, `${id}.ts`)).href)) as { default: Rule };
    expect(module.default.meta.id).toBe(id);
    expect(RULES).toContain(module.default);
  });

  it.each(RULES.map((rule) => [rule.meta.id, rule] as const))('%s: metadata a report can show', (id, rule) => {
    expect(id).toMatch(/^[a-z]+(-[a-z]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(['critical', 'high', 'medium', 'low', 'info']).toContain(rule.meta.severity);
    expect(rule.meta.title.length).toBeGreaterThan(10);
    expect(rule.meta.seed.length).toBeGreaterThan(10);
    expect(Object.values(rule.meta.remediation).some((how) => typeof how === 'string' && how.length > 0)).toBe(true);
  });
});

describe.each(ids)('%s', (id) => {
  const rule = RULES.find((r) => r.meta.id === id) as Rule;

  it(`has a docs page, docs/rules/${id}.md, in the common structure`, () => {
    expect(existsSync(docsPage(id))).toBe(true);
    const lines = readFileSync(docsPage(id), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(`# ${id}`);
    expect(lines[2]).toMatch(new RegExp(`^\\*\\*${capitalised(rule.meta.severity)}\\*\\* — \\S`));
    const sections = rule.meta.options ? [...SECTIONS.slice(0, 3), 'Options', ...SECTIONS.slice(3)] : SECTIONS;
    expect(lines.filter((line) => line.startsWith('## ')).map((line) => line.slice(3))).toEqual(sections);
    expect(lines.length).toBeGreaterThanOrEqual(PAGE_LINES.min);
    expect(lines.length).toBeLessThanOrEqual(PAGE_LINES.max);
  });

  it.runIf(rule.meta.options)('documents each of its options with its default and a config example', () => {
    const page = readFileSync(docsPage(id), 'utf8');
    const section = page.slice(page.indexOf('\n## Options\n'), page.indexOf('\n## How to fix\n'));
    const defaults = defaultRuleOptions();
    for (const option of rule.meta.options ?? []) {
      const value = defaults[option];
      const shown = Array.isArray(value) ? value.map((v) => `\`${v}\``).join(', ') : `\`${value}\``;
      const row = section.split('\n').find((line) => line.startsWith(`| \`${option}\` `));
      expect(row?.split('|')[2]?.trim()).toBe(shown);
      expect(section).toMatch(new RegExp(`rules:\\n  ${id}:\\n    ${option}: `));
    }
  });

  it(`has a table-driven test, test/rules/${id}.test.ts, for this rule`, () => {
    expect(existsSync(testFile(id))).toBe(true);
    const test = readFileSync(testFile(id), 'utf8');
    expect(test).toContain(`src/rules/${id}.js'`);
    expect(test).toMatch(/testRule\(\w+, \{/);
  });
});

describe('aksguard rules --format json', () => {
  it('lists every registered rule with its id, severity, title and docs page', () => {
    const run = aksguard(['rules', '--format', 'json']);
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as { id: string; severity: string; title: string; docs: string }[];
    expect(listed.map(({ id, severity, title }) => ({ id, severity, title }))).toEqual(
      RULES.map(({ meta }) => ({ id: meta.id, severity: meta.severity, title: meta.title })),
    );
    for (const entry of listed) expect(existsSync(join(ROOT, entry.docs)), entry.docs).toBe(true);
  });
});
