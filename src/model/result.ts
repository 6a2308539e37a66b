import type { Resource } from './fact.js';
import type { Finding, Severity } from './finding.js';
import type { FrameworkSummary } from './framework.js';
import type { Target } from './snapshot.js';

export const SCHEMA_VERSION = 1;

export type Summary = Record<Severity, number> & {
  readonly suppressed: number;
  /** Findings the input could not decide (`unknown: true`), suppressed ones included. */
  readonly unknown: number;
  /** Unsuppressed findings the input could not decide: what `--fail-on-undecided` fails on. */
  readonly undecided: number;
  readonly errors: number;
  readonly rulesRun: number;
};

/** The JSON report's content (schemaVersion 1): the contract every formatter renders. */
export interface ScanResult {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: { readonly name: 'aksguard'; readonly version: string };
  readonly asOf: string;
  readonly targets: readonly Target[];
  readonly findings: readonly Finding[];
  readonly summary: Summary;
  /** Files of a known kind a folder scan could not read, with why. */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
  /** With `--baseline`: the file, and its entries no current finding matches (fixed or gone: prune them). */
  readonly baseline?: {
    readonly file: string;
    readonly resolved: readonly { readonly ruleId: string; readonly target: string; readonly resource: Resource }[];
  };
  /** With `--framework`: each framework's controls and their verdict in this scan (additive to schemaVersion 1). */
  readonly frameworks?: readonly FrameworkSummary[];
}
