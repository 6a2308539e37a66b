import type { ScanResult } from '../model/result.js';
import { html } from './html.js';
import { json, jsonChunks } from './json.js';
import { junit } from './junit.js';
import { markdown } from './markdown.js';
import type { FormatOptions } from './options.js';
import { forReaders } from './readable.js';
import { sarif } from './sarif.js';
import { text } from './text.js';

export type Formatter = (result: ScanResult, options: FormatOptions) => string;

/** Every output format by its `--format` name. */
export const FORMATTERS = { text, json, sarif, junit, markdown, html } satisfies Record<string, Formatter>;
export type FormatName = keyof typeof FORMATTERS;

/**
 * One report, as the pieces to write in order, made from the result as readers may see it (`forReaders`). JSON
 * comes a finding at a time: the machine contract has no size limit of its own.
 */
export function renderReport(format: FormatName, result: ScanResult, options: FormatOptions): Iterable<string> {
  const shown = forReaders(result);
  return format === 'json' ? jsonChunks(shown) : [FORMATTERS[format](shown, options)];
}

/** `rule X: why` for each rule that threw: the scan could not judge what that rule checks. */
export function ruleFailures(result: ScanResult): string[] {
  return result.findings.filter((f) => f.target === '*').map((f) => `rule ${f.ruleId}: ${f.message}`);
}
