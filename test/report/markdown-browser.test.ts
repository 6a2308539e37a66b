import { readFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { MARKDOWN_MARKER } from '../../src/report/markdown.js';
import { artefactPath, CUT_OFF, launchChromium } from '../support/browser.js';
import { runMain } from '../support/cli.js';
import { describeWith } from '../support/layer.js';
import { has } from '../support/prerequisites.js';

/**
 * The Markdown report as a pull-request comment: rendered (CommonMark + GFM tables, raw HTML kept, as GitHub does)
 * into a page 780 px wide with the layout rules of GitHub's comment body that decide what wraps, then checked in
 * headless Chromium: the verdict comes first, each failing rule shows its resources and fix, and nothing is cut off
 * with every `<details>` open. The screenshot is kept in test-results/ (CI uploads it).
 */

const WIDTH = 780;
const SCREENSHOT = 'markdown-report-780.png';
const ARGS = [
  'scan',
  'examples/demo',
  'test/report/fixtures/hostile-names.yaml',
  'test/report/fixtures/many-workloads.yaml',
  '--config',
  'test/report/fixtures/suppress-local-accounts.yaml',
  '--framework',
  'cis-aks,azure-policy',
  '--as-of',
  '2026-11-28',
];

/** GitHub's comment body, as far as wrapping goes: tables scroll inside their own box, inline code wraps. */
const STYLE = `
body{margin:0;font:14px/1.5 -apple-system,"Segoe UI",sans-serif;color:#1f2328}
.markdown-body{box-sizing:border-box;padding:16px;overflow-wrap:break-word}
table{display:block;width:max-content;max-width:100%;overflow:auto;border-spacing:0;border-collapse:collapse}
th,td{padding:6px 13px;border:1px solid #d1d9e0}
code{padding:.2em .4em;font-size:85%;white-space:break-spaces;background:#eff1f3;border-radius:6px}
pre{overflow:auto}
details summary{cursor:pointer}
`;

const HAS_CHROMIUM = has('chromium');
let browser: Browser;
let page: Page;
let source: string;
let report: ScanResult;

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  const [markdown, json] = await Promise.all([
    runMain([...ARGS, '--format', 'markdown']),
    runMain([...ARGS, '--format', 'json']),
  ]);
  expect([markdown.code, json.code]).toEqual([1, 1]);
  source = markdown.stdout;
  report = JSON.parse(json.stdout) as ScanResult;
  const body = new MarkdownIt({ html: true, linkify: true }).render(source);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
  await page.setContent(`<!doctype html><meta charset="utf-8"><style>${STYLE}</style>
<article class="markdown-body">${body}</article>`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describeWith('chromium')('the Markdown report as a PR comment at 780 px', () => {
  it('starts with the hidden marker, then the verdict and the counts', async () => {
    expect(source.startsWith(`${MARKDOWN_MARKER}\n## aksguard: :x: **FAIL**`)).toBe(true);
    expect(await page.locator('article > *').first().textContent()).toBe(
      'aksguard: :x: FAIL: findings at or above high',
    );
    const counts = await page.locator('article > table').first().locator('td').allTextContents();
    const { summary } = report;
    expect(counts).toEqual(
      [summary.critical, summary.high, summary.medium, summary.low, summary.info, summary.suppressed]
        .map(String)
        .concat(String(summary.undecided)),
    );
    expect(await page.locator('article').textContent()).not.toContain('aksguard-report');
  });

  it('shows one <details> per failing rule and cluster, open, with every resource and the fix', async () => {
    const decided = report.findings.filter((f) => !f.suppressed && !f.unknown && f.target !== '*');
    const rules = new Set(decided.map((f) => `${f.target} ${f.ruleId}`));
    const details = page.locator('article > details:has(> summary > b)');
    expect(await details.count()).toBe(rules.size);
    const privileged = decided.filter((f) => f.ruleId === 'workload/privileged-container');
    expect(new Set(privileged.map((f) => f.severity))).toEqual(new Set(['critical', 'info']));
    const block = page.locator('article > details', {
      has: page.locator('summary code', { hasText: /^workload\/privileged-container$/ }),
    });
    expect(await block.count()).toBe(1);
    expect(await block.locator('li').count()).toBe(privileged.length);
    const fix = privileged[0]?.remediation.split('\n')[0] as string;
    const shown = block.locator('code', { hasText: fix }).first();
    expect(await shown.isVisible()).toBe(true);
    const box = await shown.boundingBox();
    expect((box?.x ?? WIDTH) + (box?.width ?? 0)).toBeLessThanOrEqual(WIDTH);
  });

  it('renders names from the input as text', async () => {
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('article').textContent()).toContain('Deployment shop/<img src=x onerror=alert(3)>');
  });

  it('keeps a screenshot of the comment as a reader first sees it', async () => {
    const file = artefactPath(SCREENSHOT);
    await page.screenshot({ path: file, fullPage: true });
    const png = readFileSync(file);
    expect(png.readUInt32BE(16)).toBe(WIDTH);
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
  });

  it('cuts nothing off with every <details> open', async () => {
    expect(await page.evaluate(CUT_OFF)).toEqual([]);
    await page.evaluate('document.body.insertAdjacentHTML("beforeend", "<pre>" + "x".repeat(400) + "</pre>")');
    expect(await page.evaluate(CUT_OFF)).toEqual([expect.stringMatching(/^pre "x+" holds \d+ px in \d+ px$/)]);
    await page.evaluate('document.body.lastElementChild.remove()');
  });
});
