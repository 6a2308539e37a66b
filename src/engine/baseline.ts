import { InputError } from '../model/errors.js';
import type { Resource } from '../model/fact.js';
import type { Finding } from '../model/finding.js';
import type { ScanResult } from '../model/result.js';

/** The baseline file's format version. */
export const BASELINE_VERSION = 1;

/** One accepted finding: what identifies it across scans (no line numbers, no message), and its message for people. */
export interface BaselineEntry {
  readonly ruleId: string;
  readonly target: string;
  readonly resource: Resource;
  readonly message: string;
}

export interface Baseline {
  readonly file: string;
  readonly entries: readonly BaselineEntry[];
}

/**
 * A finding's identity for baselines: rule, target and resource. Line numbers and messages change when a file is
 * edited or a value changes; the same rule failing on the same object is still the same accepted risk.
 */
export const findingKey = (f: Pick<Finding, 'ruleId' | 'target' | 'resource'>): string =>
  [f.ruleId, f.target.toLowerCase(), f.resource.kind, f.resource.namespace ?? '', f.resource.name].join('\u0000');

/** The baseline of a scan: every finding not already suppressed (rule failures are not findings), once per key. */
export function createBaseline(result: ScanResult): string {
  const entries = new Map<string, BaselineEntry>();
  for (const f of result.findings) {
    if (f.suppressed || f.target === '*') continue;
    const key = findingKey(f);
    if (!entries.has(key))
      entries.set(key, { ruleId: f.ruleId, target: f.target, resource: f.resource, message: f.message });
  }
  const sorted = [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  return `${JSON.stringify({ aksguardBaseline: BASELINE_VERSION, tool: result.tool, findings: sorted }, null, 2)}\n`;
}

/** Reads a baseline file; a file that is not one is an InputError (exit 2), never an empty baseline. */
export function parseBaseline(file: string, text: string): Baseline {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(file, `not a baseline file: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = parsed as { aksguardBaseline?: unknown; findings?: unknown };
  if (body?.aksguardBaseline !== BASELINE_VERSION || !Array.isArray(body.findings))
    throw new InputError(
      file,
      `not a baseline file (expected "aksguardBaseline": ${BASELINE_VERSION}; make one with \`aksguard baseline create\`)`,
    );
  const entries = body.findings.map((entry, i) => {
    const e = entry as Partial<BaselineEntry>;
    const r = e?.resource as Partial<Resource> | undefined;
    if (
      typeof e?.ruleId !== 'string' ||
      typeof e.target !== 'string' ||
      typeof r?.kind !== 'string' ||
      typeof r.name !== 'string'
    )
      throw new InputError(file, `findings[${i}] needs ruleId, target and resource {kind, name, namespace}`);
    return {
      ruleId: e.ruleId,
      target: e.target,
      resource: { kind: r.kind, name: r.name, namespace: typeof r.namespace === 'string' ? r.namespace : null },
      message: typeof e.message === 'string' ? e.message : '',
    };
  });
  return { file, entries };
}
