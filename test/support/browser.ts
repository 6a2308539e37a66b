import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { ROOT } from './cli.js';
import { chromiumPath } from './prerequisites.js';

/** Debian's headless chromium, as the report tests drive it: no sandbox (root in CI), no background requests. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath() as string,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Where tests keep what a person may want to look at after a run (screenshots); CI uploads the folder. */
export function artefactPath(name: string): string {
  const dir = join(ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/**
 * What a page cuts off at its width, as a script for `page.evaluate` (the test types have no DOM): elements whose
 * box ends past the viewport's right edge, or whose content is wider than their box (clipped, or behind a scroll
 * bar). Every `details` is opened first so folded content counts. Evaluates to a list of problems.
 */
export const CUT_OFF = `(() => {
  for (const details of document.querySelectorAll('details')) details.open = true;
  const width = document.documentElement.clientWidth;
  const name = (e) => e.tagName.toLowerCase() + ' "' + (e.textContent || '').trim().slice(0, 60) + '"';
  const problems = [];
  if (document.documentElement.scrollWidth > width)
    problems.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
  for (const e of document.body.querySelectorAll('*')) {
    const right = e.getBoundingClientRect().right;
    if (right > width + 0.5) problems.push(name(e) + ' ends at ' + Math.round(right) + ' px');
    else if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
      problems.push(name(e) + ' holds ' + e.scrollWidth + ' px in ' + e.clientWidth + ' px');
  }
  return problems;
})()`;
