import type { ScanResult } from '../model/result.js';
import { html } from './html.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { markdown } from './markdown.js';
import type { FormatOptions } from './options.js';
import { sarif } from './sarif.js';
import { text } from './text.js';

export type Formatter = (result: ScanResult, options: FormatOptions) => string;

/** Every output format by its `--format` name. */
export const FORMATTERS = { text, json, sarif, junit, markdown, html } satisfies Record<string, Formatter>;
export type FormatName = keyof typeof FORMATTERS;
