import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { runMain } from '../support/cli.js';
import { describeWith } from '../support/layer.js';
import { chromiumPath, has } from '../support/prerequisites.js';

const HAS_CHROMIUM = has('chromium');
const INPUTS = ['examples/demo', 'test/report/fixtures/hostile-names.yaml'];
const XSS = '<img src=x onerror=alert(1)>';

let browser: Browser;
let page: Page;
let report: ScanResult;
const requests: string[] = [];
const dialogs: string[] = [];
let url: string;

const visible = () => page.locator('article.finding:visible');

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  const args = ['scan', ...INPUTS, '--as-of', '2026-11-28', '--fail-on', 'none'];
  const json = await runMain([...args, '--format', 'json']);
  const html = await runMain([...args, '--format', 'html']);
  expect([json.code, html.code]).toEqual([0, 0]);
  report = JSON.parse(json.stdout) as ScanResult;
  const file = join(mkdtempSync(join(tmpdir(), 'aksguard-html-')), 'report.html');
  writeFileSync(file, html.stdout);
  url = pathToFileURL(file).href;
  browser = await chromium.launch({
    executablePath: chromiumPath() as string,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describeWith('chromium')('the HTML report in Chromium', () => {
  it('shows the same counts as the JSON report', async () => {
    for (const key of ['critical', 'high', 'medium', 'low', 'info', 'suppressed', 'unknown'] as const) {
      expect(await page.locator(`[data-count="${key}"]`).textContent(), key).toBe(String(report.summary[key]));
    }
    const findings = report.findings.filter((f) => f.target !== '*').length;
    expect(await visible().count()).toBe(findings);
    expect(await page.locator('#shown').textContent()).toBe(`${findings} of ${findings} findings shown`);
  });

  it('the severity filter hides the unchecked severities', async () => {
    const total = await visible().count();
    const high = report.findings.filter((f) => f.severity === 'high').length;
    expect(high).toBeGreaterThan(0);
    await page.locator('input[name="severity"][value="high"]').uncheck();
    expect(await visible().count()).toBe(total - high);
    expect(await page.locator('article.finding[data-severity="high"]:visible').count()).toBe(0);
    await page.locator('input[name="severity"][value="high"]').check();
    expect(await visible().count()).toBe(total);
  });

  it('the domain and cluster filters narrow what is shown', async () => {
    const total = await visible().count();
    const patching = report.findings.filter((f) => f.ruleId.startsWith('patching/')).length;
    await page.locator('#domain').selectOption('patching');
    expect(await visible().count()).toBe(patching);
    await page.locator('#domain').selectOption('');
    await page.locator('#target').selectOption(report.targets[0]?.id as string);
    expect(await visible().count()).toBe(report.findings.filter((f) => f.target === report.targets[0]?.id).length);
    await page.locator('#target').selectOption('');
    expect(await visible().count()).toBe(total);
  });

  it('the search box shows only findings that mention the words', async () => {
    const total = await visible().count();
    await page.locator('#search').fill('win22');
    const shown = await visible().allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(total);
    for (const text of shown) expect(text).toContain('win22');
    await page.locator('#search').fill('');
    expect(await visible().count()).toBe(total);
  });

  it('each finding carries its remediation', async () => {
    const fix = report.findings.find((f) => f.ruleId === 'identity/local-accounts-enabled')?.remediation;
    const card = page.locator('article.finding[data-rule="identity/local-accounts-enabled"]');
    expect(await card.locator('pre.remediation').textContent()).toBe(fix);
  });

  it('a resource named like markup renders as text and runs nothing', async () => {
    const cards = await page.locator('article.finding .resource').allTextContents();
    expect(cards.some((text) => text.includes(`Namespace ${XSS}`))).toBe(true);
    expect(cards.some((text) => text.includes('Namespace </script><script>alert(2)</script>'))).toBe(true);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    expect(dialogs).toEqual([]);
  });

  it('makes no network request', () => {
    expect(requests.filter((r) => r !== url)).toEqual([]);
  });
});
