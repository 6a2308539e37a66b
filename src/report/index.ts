import type { ScanResult } from '../model/result.js';
import { json } from './json.js';
import type { FormatOptions } from './options.js';
import { text } from './text.js';

export type Formatter = (result: ScanResult, options: FormatOptions) => string;

/** Every output format by its `--format` name. */
export const FORMATTERS = { text, json } satisfies Record<string, Formatter>;
export type FormatName = keyof typeof FORMATTERS;
