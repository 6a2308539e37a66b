/**
 * The text of a suppression written next to the code, shared by the `aksguard.io/ignore` annotation, the
 * `aksguard:ignore` comments in Terraform and Bicep, and ARM's `metadata.aksguard.ignore`:
 * `<rule>[,<rule>] -- <reason> [until YYYY-MM-DD]`.
 */
export const IGNORE_SYNTAX = '<rule>[,<rule>] -- <reason> [until YYYY-MM-DD]';

export interface IgnoreText {
  /** Rule patterns (id, domain, domain/* or a glob), as written. */
  readonly rules: readonly string[];
  readonly reason: string;
  /** The last day it applies (YYYY-MM-DD), inclusive. */
  readonly expires?: string;
}

/** An inline suppression in a Terraform, Bicep or ARM file, and the lines (or the JSON path) it covers. */
export interface InlineIgnore extends IgnoreText {
  readonly file: string;
  /** Where the suppression is written, for messages. */
  readonly line: number;
  /**
   * What it covers: the lines of the block or attribute a comment stands on or above, or (ARM metadata) the
   * resource's path in the template, which covers every finding at or below it.
   */
  readonly covers: { readonly from: number; readonly to: number } | { readonly path: string };
}

/** A suppression that could not be read: a warning with its file and line, and it is not applied. */
export interface IgnoreProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface InlineIgnores {
  readonly ignores: readonly InlineIgnore[];
  readonly problems: readonly IgnoreProblem[];
}

export const NO_INLINE_IGNORES: InlineIgnores = { ignores: [], problems: [] };

/** Reads `a/b, c/* -- why [until 2027-03-31]`; a text saying what is wrong when a part is missing or malformed. */
export function parseIgnoreText(value: string): IgnoreText | string {
  const text = value.trim();
  const dash = /(?:^|\s)--(?:\s|$)/.exec(text);
  if (!dash) return `must read "${IGNORE_SYNTAX}" (no ' -- ' before a reason)`;
  const rules = text
    .slice(0, dash.index)
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (rules.length === 0) return `must read "${IGNORE_SYNTAX}" (no rule before ' -- ')`;
  const rest = text.slice(dash.index + dash[0].length);
  const until = /^(.*?)\s*\buntil\s+(\d\S*)\s*$/s.exec(rest);
  const reason = (until ? (until[1] as string) : rest).trim();
  if (reason === '') return `must read "${IGNORE_SYNTAX}" (no reason after ' -- ': say why this risk is accepted)`;
  if (!until) return { rules, reason };
  const day = until[2] as string;
  if (!isCalendarDay(day)) return `'until ${day}' is not a date YYYY-MM-DD`;
  return { rules, reason, expires: day };
}

/** `2027-02-31` parses (as 3 March) in JavaScript; a real day survives the round trip. */
export function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const time = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === day;
}
