import type { Severity } from '../model/finding.js';

export interface FormatOptions {
  /** ANSI colours (a TTY without --no-color / NO_COLOR). */
  readonly color: boolean;
  /** Only findings that fail the scan, and the summary. */
  readonly quiet: boolean;
  readonly failOn: Severity | 'none';
  /** Whether the scan fails (decided by the engine, shown by formatters). */
  readonly failed: boolean;
}
