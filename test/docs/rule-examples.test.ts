import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { RULES } from '../../src/rules/index.js';
import { ROOT, runMain } from '../support/cli.js';

/**
 * Every rule page's "Fails" and "Passes" examples are true, checked as typescript-eslint checks its docs: each
 * example is scanned with `aksguard scan` (the real CLI, sources and engine), and the rule must report a decided
 * finding on a "Fails" example and nothing on a "Passes" one. The convention the pages follow (which blocks form
 * an example, `as-of=` for time-dependent ones) is in docs/rules/README.md.
 */

type Verdict = 'fails' | 'passes';

interface Block {
  readonly language: string;
  readonly asOf: string | undefined;
  readonly text: string;
  readonly line: number;
}

interface Example {
  readonly verdict: Verdict;
  readonly label: string;
  readonly blocks: Block[];
}

/** What each block's language is scanned as: the file extension `aksguard scan` recognises it by. */
const EXTENSIONS: Readonly<Record<string, string>> = { json: '.json', yaml: '.yaml', hcl: '.tf' };
/** Scan times of examples that do not name one: any two dates years apart would do. */
const TIMELESS_DATES = ['2026-11-28', '2031-06-15'];

const docsPage = (id: string) => join(ROOT, 'docs/rules', `${id}.md`);

/** The examples of one page: the fenced blocks of its `## Example` section, grouped under their Fails/Passes label. */
function examplesOf(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf('## Example');
  const examples: Example[] = [];
  let fence: { info: string; line: number; body: string[] } | undefined;
  for (let i = start + 1; i < lines.length && !lines[i]?.startsWith('## '); i++) {
    const line = lines[i] as string;
    if (fence) {
      if (line.startsWith('```')) {
        const current = examples.at(-1);
        if (!current) throw new Error(`line ${fence.line}: a block before any "Fails" or "Passes" paragraph`);
        current.blocks.push(block(fence.info, fence.body.join('\n'), fence.line));
        fence = undefined;
      } else fence.body.push(line);
    } else if (line.startsWith('```')) fence = { info: line.slice(3).trim(), line: i + 1, body: [] };
    else if (/^(Fails|Passes)\b/.test(line)) {
      examples.push({ verdict: line.startsWith('Fails') ? 'fails' : 'passes', label: line, blocks: [] });
    }
  }
  return examples;
}

function block(info: string, text: string, line: number): Block {
  const [language = '', ...attributes] = info.split(/\s+/);
  if (!(language in EXTENSIONS)) throw new Error(`line ${line}: an example block must be json, yaml or hcl`);
  const asOf = attributes.find((a) => a.startsWith('as-of='))?.slice('as-of='.length);
  return { language, asOf, text, line };
}

const scratch = mkdtempSync(join(tmpdir(), 'aksguard-docs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;

/** Writes an example's blocks as files of one folder and scans them, as a reader who copies them would. */
async function scan(id: string, example: Example, asOf: string) {
  const folder = join(scratch, String(folders++));
  mkdirSync(folder);
  const files = example.blocks.map((b, i) => {
    const file = join(folder, `example-${i + 1}${EXTENSIONS[b.language]}`);
    writeFileSync(file, b.text);
    return file;
  });
  const run = await runMain(['scan', ...files, '--rule', id, '--as-of', asOf, '--format', 'json', '--fail-on', 'none']);
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as ScanResult;
  return { report, findings: report.findings.filter((f) => f.ruleId === id) };
}

describe.each(RULES.map((rule) => rule.meta.id))('docs/rules/%s.md', (id) => {
  const examples = examplesOf(readFileSync(docsPage(id), 'utf8'));

  it('has at least one "Fails" and one "Passes" example, each with its input', () => {
    expect(examples.filter((e) => e.verdict === 'fails').length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.verdict === 'passes').length).toBeGreaterThan(0);
    for (const example of examples) expect(example.blocks.length, example.label).toBeGreaterThan(0);
  });

  it.each(examples.map((example) => [example.label, example] as const))('%s', async (_label, example) => {
    const named = example.blocks.find((b) => b.asOf !== undefined)?.asOf;
    for (const asOf of named ? [named] : TIMELESS_DATES) {
      const { report, findings } = await scan(id, example, asOf);
      // A complete input: the scan judged a cluster it could name, not a fragment it had to guess about.
      expect(report.targets.length).toBeGreaterThan(0);
      for (const target of report.targets) expect(target.name).not.toMatch(/not named/);
      const shown = `as of ${asOf}: ${JSON.stringify(findings.map((f) => f.message))}`;
      if (example.verdict === 'fails') expect(findings.filter((f) => !f.unknown).length, shown).toBeGreaterThan(0);
      else expect(findings, shown).toEqual([]);
    }
  });
});
