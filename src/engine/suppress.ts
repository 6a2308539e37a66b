import type { Resource } from '../model/fact.js';
import type { Finding, Suppression } from '../model/finding.js';
import type { KubeObject } from '../model/kubernetes.js';
import type { ScanResult } from '../model/result.js';
import type { Snapshot } from '../model/snapshot.js';
import { type Baseline, findingKey } from './baseline.js';
import type { Config, Ignore } from './config.js';
import { compareFindings, summarize } from './run.js';

/** The annotation that accepts a risk on the object itself: `"rule-id[,rule-id] -- reason"`. */
export const IGNORE_ANNOTATION = 'aksguard.io/ignore';

export interface SuppressOptions {
  readonly config?: Config | undefined;
  readonly baseline?: Baseline | undefined;
  /** The scan time: a config ignore whose `expires` day is before it no longer applies. */
  readonly now: Date;
  readonly ruleIds: readonly string[];
}

export interface Suppressed {
  readonly result: ScanResult;
  /** Things the user should know (expired ignores, malformed annotations, resolved baseline entries), one per line. */
  readonly warnings: readonly string[];
}

/**
 * Applies the config's severity overrides, then marks findings suppressed: by an annotation on the object, else
 * by a config ignore, else by the baseline. Suppressed findings stay in the result (every report shows them with
 * who suppressed them and why); the summary counts them apart, and `failsOn` ignores them.
 */
export function applySuppressions(result: ScanResult, snapshot: Snapshot, options: SuppressOptions): Suppressed {
  const warnings: string[] = [];
  const names = new Map(result.targets.map((t) => [t.id, t.name]));
  const annotations = annotationIgnores(snapshot, options.ruleIds, warnings);
  const today = options.now.toISOString().slice(0, 10);
  const ignores = options.config?.ignores ?? [];
  const live = ignores.filter((i) => i.expires === undefined || i.expires >= today);
  const expired = ignores.filter((i) => !live.includes(i));
  const baseline = new Set(options.baseline?.entries.map(findingKey));
  const seen = new Set<string>();

  const findings = result.findings.map((finding): Finding => {
    if (finding.target === '*') return finding;
    seen.add(findingKey(finding));
    const overridden = options.config?.severity[finding.ruleId];
    const severity = overridden && !finding.unknown ? overridden : finding.severity;
    const suppressed =
      finding.suppressed ??
      annotationFor(annotations, finding) ??
      configFor(live, finding, names.get(finding.target)) ??
      (baseline.has(findingKey(finding)) ? { by: 'baseline', reason: `in baseline ${options.baseline?.file}` } : null);
    return { ...finding, severity, suppressed };
  });
  findings.sort(compareFindings);

  for (const ignore of expired) {
    const count = result.findings.filter((f) => f.target !== '*' && matches(ignore, f, names.get(f.target))).length;
    warnings.push(
      `${options.config?.file}:${ignore.line}: the ignore of ${ignore.rule} expired on ${ignore.expires}; ${count} finding(s) it covered count again`,
    );
  }
  const resolved = (options.baseline?.entries ?? [])
    .filter((e) => !seen.has(findingKey(e)))
    .map(({ ruleId, target, resource }) => ({ ruleId, target, resource }));
  for (const entry of resolved)
    warnings.push(
      `baseline entry no longer occurs: ${entry.ruleId} on ${describe(entry.resource)} (${names.get(entry.target) ?? entry.target}); remove it from ${options.baseline?.file}`,
    );

  return {
    result: {
      ...result,
      findings,
      summary: summarize(findings, result.summary.rulesRun, result.summary.errors),
      ...(options.baseline ? { baseline: { file: options.baseline.file, resolved } } : {}),
    },
    warnings,
  };
}

function configFor(ignores: readonly Ignore[], finding: Finding, targetName: string | undefined): Suppression | null {
  const ignore = ignores.find((i) => matches(i, finding, targetName));
  if (!ignore) return null;
  return ignore.expires === undefined
    ? { by: 'config', reason: ignore.reason }
    : { by: 'config', reason: ignore.reason, expires: ignore.expires };
}

function matches(ignore: Ignore, finding: Finding, targetName: string | undefined): boolean {
  if (!ruleMatches(ignore.rule, finding.ruleId)) return false;
  if (ignore.target && ![finding.target, targetName ?? ''].some((t) => ignore.target?.test(t))) return false;
  if (ignore.resource && !resourceNames(finding.resource).some((r) => ignore.resource?.test(r))) return false;
  return true;
}

/** The spellings a resource glob may match: `name`, `Kind/name`, `namespace/name`, `Kind/namespace/name`. */
export function resourceNames({ kind, name, namespace }: Resource): string[] {
  return namespace === null
    ? [name, `${kind}/${name}`]
    : [name, `${kind}/${name}`, `${namespace}/${name}`, `${kind}/${namespace}/${name}`];
}

const ruleMatches = (pattern: string, ruleId: string): boolean =>
  pattern === ruleId || (pattern.endsWith('/*') && ruleId.startsWith(pattern.slice(0, -1)));

const objectKey = (target: string, r: Resource) => [target, r.kind, r.namespace ?? '', r.name].join('\u0000');

interface AnnotationIgnore {
  readonly rules: readonly string[];
  readonly reason: string;
}

/** Every object's `aksguard.io/ignore` annotation, by target and resource; malformed ones become warnings. */
function annotationIgnores(
  snapshot: Snapshot,
  ruleIds: readonly string[],
  warnings: string[],
): Map<string, AnnotationIgnore> {
  const found = new Map<string, AnnotationIgnore>();
  for (const cluster of snapshot.clusters) {
    for (const object of cluster.kubernetes?.objects ?? []) {
      const value = object.annotations[IGNORE_ANNOTATION];
      if (value === undefined) continue;
      const parsed = parseAnnotation(value);
      const known = parsed?.rules.filter((r) => ruleIds.some((id) => ruleMatches(r, id))) ?? [];
      if (!parsed || known.length < parsed.rules.length) {
        const unknown = parsed?.rules.filter((r) => !known.includes(r)).join(', ');
        warnings.push(
          `${where(object)}: ${IGNORE_ANNOTATION} ${parsed ? `names unknown rule(s) ${unknown}` : `must read "rule-id[,rule-id] -- reason" (got ${JSON.stringify(value)})`}; ${parsed ? 'those are' : 'it is'} not applied`,
        );
      }
      if (parsed && known.length > 0)
        found.set(objectKey(object.anchor.owner.target, object.anchor.owner.resource), {
          rules: known,
          reason: parsed.reason,
        });
    }
  }
  return found;
}

/** `"a/b, c/d -- why"` → rules and reason; undefined when either part is missing. */
export function parseAnnotation(value: string): AnnotationIgnore | undefined {
  const split = /^(.*?)\s+--\s+(.*)$/s.exec(value.trim());
  const rules =
    split?.[1]
      ?.split(',')
      .map((r) => r.trim())
      .filter(Boolean) ?? [];
  const reason = split?.[2]?.trim() ?? '';
  return rules.length > 0 && reason !== '' ? { rules, reason } : undefined;
}

function annotationFor(annotations: Map<string, AnnotationIgnore>, finding: Finding): Suppression | null {
  const ignore = annotations.get(objectKey(finding.target, finding.resource));
  return ignore?.rules.some((r) => ruleMatches(r, finding.ruleId)) ? { by: 'annotation', reason: ignore.reason } : null;
}

function where(object: KubeObject): string {
  const position = object.anchor.doc.locate(object.anchor.path);
  return position ? `${object.anchor.doc.file}:${position.line}` : object.anchor.doc.file;
}

const describe = ({ kind, name, namespace }: Resource) => `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
