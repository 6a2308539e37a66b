import type { Severity } from '../model/finding.js';
import type { Framework } from '../model/framework.js';
import type { RuleMeta } from '../model/rule.js';

export interface FormatOptions {
  /** ANSI colours (a TTY without --no-color / NO_COLOR). */
  readonly color: boolean;
  /** Only findings that fail the scan, and the summary. */
  readonly quiet: boolean;
  readonly failOn: Severity | 'none';
  /** Whether the scan fails (decided by the engine, shown by formatters). */
  readonly failed: boolean;
  /** `--fail-on-undecided`: findings the input could not decide fail the scan too. */
  readonly failOnUndecided?: boolean;
  /** The rules the scan ran (SARIF lists each, JUnit has a test case per rule and target). */
  readonly rules: readonly RuleMeta[];
  /** The working directory: SARIF names files under it relative to it (default: the process's). */
  readonly cwd?: string;
  /** The compliance frameworks whose control ids SARIF tags each rule with. */
  readonly frameworks?: readonly Framework[];
}
