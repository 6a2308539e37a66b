import type { ScanResult } from '../model/result.js';
import { hideUrlCredentials } from './terminal.js';

/** Longer strings are cut: a finding quoting a 100 MB value helps nobody and would not fit in a report. */
export const MAX_SHOWN_CHARS = 4096;

/**
 * The result as every report shows it: each string taken from the inputs with URL credentials hidden and cut to
 * `MAX_SHOWN_CHARS`. Escaping for the medium (terminal, Markdown, HTML, XML) is each formatter's own job.
 */
export function forReaders(result: ScanResult): ScanResult {
  return mapStrings(result) as ScanResult;
}

function mapStrings(value: unknown): unknown {
  if (typeof value === 'string') return shown(value);
  if (Array.isArray(value)) return value.map(mapStrings);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = mapStrings(item);
  return copy;
}

function shown(value: string): string {
  const cut =
    value.length > MAX_SHOWN_CHARS
      ? `${value.slice(0, MAX_SHOWN_CHARS)}… (${value.length - MAX_SHOWN_CHARS} more characters)`
      : value;
  return hideUrlCredentials(cut);
}
