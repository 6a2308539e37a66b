import type { Severity } from '../model/finding.js';
import type { RuleMeta } from '../model/rule.js';

export interface FormatOptions {
  /** ANSI colours (a TTY without --no-color / NO_COLOR). */
  readonly color: boolean;
  /** Only findings that fail the scan, and the summary. */
  readonly quiet: boolean;
  readonly failOn: Severity | 'none';
  /** Whether the scan fails (decided by the engine, shown by formatters). */
  readonly failed: boolean;
  /** The rule catalog: SARIF lists every rule, HTML and Markdown link findings to their docs. */
  readonly rules: readonly RuleMeta[];
}
