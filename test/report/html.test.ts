import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { launchChromium } from '../support/browser.js';
import { runMain } from '../support/cli.js';
import { describeWith } from '../support/layer.js';
import { has } from '../support/prerequisites.js';

const HAS_CHROMIUM = has('chromium');
const INPUTS = [
  'examples/demo',
  'test/report/fixtures/hostile-names.yaml',
  'test/report/fixtures/many-workloads.yaml',
  '--config',
  'test/report/fixtures/suppress-local-accounts.yaml',
];
const XSS = '<img src=x onerror=alert(1)>';

let browser: Browser;
let page: Page;
let report: ScanResult;
const requests: string[] = [];
const dialogs: string[] = [];
let url: string;

const visible = () => page.locator('li.finding:visible');

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
  browser = await launchChromium();
  page = await browser.newPage({ locale: 'en-US', timezoneId: 'Asia/Tokyo' });
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
    for (const key of ['critical', 'high', 'medium', 'low', 'info', 'suppressed', 'undecided'] as const) {
      expect(await page.locator(`[data-count="${key}"]`).textContent(), key).toBe(String(report.summary[key]));
    }
    const findings = report.findings.filter((f) => f.target !== '*').length;
    expect(await visible().count()).toBe(findings);
    expect(await page.locator('#shown').textContent()).toBe(`${findings} of ${findings} findings shown`);
  });

  it('groups findings by cluster, then rule: one card per rule with its resources', async () => {
    const sections = page.locator('section.cluster');
    expect(await sections.locator('> h2').allTextContents()).toEqual(report.targets.map((t) => t.name));
    const real = report.findings.filter((f) => f.target !== '*');
    expect(await page.locator('article.rule').count()).toBe(new Set(real.map((f) => `${f.target} ${f.ruleId}`)).size);
    const privileged = real.filter((f) => f.ruleId === 'workload/privileged-container');
    expect(privileged.length).toBeGreaterThan(2);
    const card = page.locator('article.rule[data-rule="workload/privileged-container"]');
    expect(await card.count()).toBe(1);
    expect(await card.locator('li.finding').count()).toBe(privileged.length);
    expect(await card.locator('.count-line').textContent()).toBe(`${privileged.length} resources`);
    expect(await card.locator('h3 .badge').textContent()).toBe('critical');
    expect(await card.locator('pre.remediation').count()).toBe(1);
    expect(await card.locator('> pre.remediation').textContent()).toBe(privileged[0]?.remediation);
    const order = await page.locator('article.rule h3 .badge').allTextContents();
    const ranks = order.map((s) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(s));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('the summary counts filter: a severity shows only its findings, a second click shows all again', async () => {
    const total = await visible().count();
    const high = page.locator('#summary button[data-filter="high"]');
    await high.click();
    expect(await high.getAttribute('aria-pressed')).toBe('true');
    expect(await visible().count()).toBe(report.summary.high);
    expect(
      new Set(
        await page.locator('li.finding:visible').evaluateAll((l) => l.map((e) => e.getAttribute('data-severity'))),
      ),
    ).toEqual(new Set(['high']));
    expect(await page.locator('article.rule:visible').count()).toBeLessThan(await page.locator('article.rule').count());
    await page.locator('#summary button[data-filter="suppressed"]').click();
    expect(await visible().count()).toBe(report.summary.suppressed);
    expect(await high.getAttribute('aria-pressed')).toBe('false');
    await page.locator('#summary button[data-filter="suppressed"]').click();
    expect(await visible().count()).toBe(total);
  });

  it('the severity filter hides the unchecked severities', async () => {
    const total = await visible().count();
    const high = report.findings.filter((f) => f.severity === 'high').length;
    expect(high).toBeGreaterThan(0);
    await page.locator('input[name="severity"][value="high"]').uncheck();
    expect(await visible().count()).toBe(total - high);
    expect(await page.locator('li.finding[data-severity="high"]:visible').count()).toBe(0);
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

  it('shows the scan time in the reader’s time zone, the ISO time on hover', async () => {
    const time = page.locator('#as-of');
    expect(await time.getAttribute('datetime')).toBe(report.asOf);
    expect(await time.getAttribute('title')).toBe(report.asOf);
    const local = new Date(report.asOf).toLocaleString('en-US', { timeZone: 'Asia/Tokyo' });
    expect(await time.textContent()).toBe(local);
    expect(local).toContain('9:00:00 AM');
  });

  it('has a dark style and a print style', async () => {
    const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(13, 17, 23)');
    await page.emulateMedia({ media: 'print' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    expect(await page.locator('#filters').isVisible()).toBe(false);
    expect(
      await page
        .locator('article.rule')
        .first()
        .evaluate((e) => getComputedStyle(e).breakInside),
    ).toBe('avoid');
    expect(await visible().count()).toBe(report.findings.filter((f) => f.target !== '*').length);
    await page.emulateMedia({ media: 'screen', colorScheme: 'light' });
    expect(await page.locator('#filters').isVisible()).toBe(true);
  });

  it('a resource named like markup renders as text and runs nothing', async () => {
    const resources = await page.locator('li.finding .resource').allTextContents();
    expect(resources).toContain(`Namespace ${XSS}`);
    expect(resources).toContain('Namespace </script><script>alert(2)</script>');
    expect(resources).toContain('Deployment shop/<img src=x onerror=alert(3)>');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    expect(dialogs).toEqual([]);
  });

  it('makes no network request', () => {
    expect(requests.filter((r) => r !== url)).toEqual([]);
  });
});
