import type { Resource } from './fact.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower rank = more severe. */
export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);

export interface Location {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export interface Suppression {
  readonly by: 'config' | 'annotation' | 'inline' | 'baseline';
  readonly reason: string;
  /** The last day the suppression applies (YYYY-MM-DD), when it has one. */
  readonly expires?: string;
}

/** One problem, as the JSON report (schemaVersion 1) carries it. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly target: string;
  readonly resource: Resource;
  readonly path: string;
  readonly location: Location | null;
  readonly remediation: string;
  readonly unknown: boolean;
  readonly suppressed: Suppression | null;
}
