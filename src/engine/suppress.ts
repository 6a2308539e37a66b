import type { Resource } from '../model/fact.js';
import type { Finding, Suppression } from '../model/finding.js';
import { type IgnoreText, type InlineIgnore, type InlineIgnores, parseIgnoreText } from '../model/ignore.js';
import type { KubeObject } from '../model/kubernetes.js';
import type { ScanResult } from '../model/result.js';
import type { Snapshot } from '../model/snapshot.js';
import { type Baseline, findingKey } from './baseline.js';
import type { Config, Ignore } from './config.js';
import { matchRulePattern, ruleMatches } from './rule-pattern.js';
import { compareFindings, summarize } from './run.js';

/** The annotation that accepts a risk on the object itself: `"rule-id[,rule-id] -- reason [until YYYY-MM-DD]"`. */
export const IGNORE_ANNOTATION = 'aksguard.io/ignore';

export interface SuppressOptions {
  readonly config?: Config | undefined;
  readonly baseline?: Baseline | undefined;
  /** The scan time: a config ignore whose `expires` day is before it no longer applies. */
  readonly now: Date;
  readonly ruleIds: readonly string[];
  /** Suppressions written next to the code (Terraform and Bicep comments, ARM metadata). */
  readonly inline?: InlineIgnores | undefined;
}

export interface Suppressed {
  readonly result: ScanResult;
  /** Things the user should know (expired ignores, malformed annotations, resolved baseline entries), one per line. */
  readonly warnings: readonly string[];
}

/**
 * Applies the config's severity overrides, then marks findings suppressed: by an annotation on the object or an
 * inline suppression next to the code, else by a config ignore, else by the baseline. Expired annotations, inline
 * suppressions and config ignores no longer apply, and the scan says how many findings count again. Suppressed findings stay in the result (every report shows them with
 * who suppressed them and why); the summary counts them apart, and `failsOn` ignores them.
 */
export function applySuppressions(result: ScanResult, snapshot: Snapshot, options: SuppressOptions): Suppressed {
  const warnings: string[] = [];
  const names = new Map(result.targets.map((t) => [t.id, t.name]));
  const today = options.now.toISOString().slice(0, 10);
  const current = (i: { expires?: string | undefined }) => i.expires === undefined || i.expires >= today;
  const annotations = annotationIgnores(snapshot, options.ruleIds, warnings);
  const inline = inlineIgnores(options.inline, options.ruleIds, warnings);
  const ignores = options.config?.ignores ?? [];
  const live = ignores.filter(current);
  const expired = ignores.filter((i) => !live.includes(i));
  const liveInline = inline.filter(current);
  const baseline = new Set(options.baseline?.entries.map(findingKey));
  const seen = new Set<string>();

  const findings = result.findings.map((finding): Finding => {
    if (finding.target === '*') return finding;
    seen.add(findingKey(finding));
    const overridden = options.config?.severity[finding.ruleId];
    const severity = overridden && !finding.unknown ? overridden : finding.severity;
    const suppressed =
      finding.suppressed ??
      annotationFor(annotations, finding, today) ??
      inlineFor(liveInline, finding) ??
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
  for (const ignore of inline.filter((i) => !current(i))) {
    const count = result.findings.filter((f) => coveredBy(ignore, f)).length;
    warnings.push(
      `${ignore.file}:${ignore.line}: the aksguard:ignore of ${ignore.rules.join(', ')} expired on ${ignore.expires}; ${count} finding(s) it covered count again`,
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

const objectKey = (target: string, r: Resource) => [target, r.kind, r.namespace ?? '', r.name].join('\u0000');

type AnnotationIgnore = IgnoreText;

/** Splits rule patterns into those naming some rule and the unknown rest. */
function knownRules(rules: readonly string[], ruleIds: readonly string[]): { known: string[]; unknown: string[] } {
  const known = rules.filter((r) => typeof matchRulePattern(r, ruleIds) !== 'string');
  return { known, unknown: rules.filter((r) => !known.includes(r)) };
}

/** The inline suppressions that name known rules; malformed ones and unknown rules become warnings. */
function inlineIgnores(
  inline: InlineIgnores | undefined,
  ruleIds: readonly string[],
  warnings: string[],
): InlineIgnore[] {
  for (const problem of inline?.problems ?? []) warnings.push(`${problem.file}:${problem.line}: ${problem.message}`);
  return (inline?.ignores ?? []).flatMap((ignore) => {
    const { known, unknown } = knownRules(ignore.rules, ruleIds);
    if (unknown.length > 0)
      warnings.push(
        `${ignore.file}:${ignore.line}: aksguard:ignore names unknown rule(s) ${unknown.join(', ')}; those are not applied`,
      );
    return known.length > 0 ? [{ ...ignore, rules: known }] : [];
  });
}

/** Whether an inline suppression names the finding's rule and covers where the finding points. */
function coveredBy(ignore: InlineIgnore, finding: Finding): boolean {
  if (finding.location?.file !== ignore.file || !ignore.rules.some((r) => ruleMatches(r, finding.ruleId))) return false;
  if ('path' in ignore.covers) return underPath(finding.path, ignore.covers.path);
  const line = finding.location.line;
  return line !== undefined && line >= ignore.covers.from && line <= ignore.covers.to;
}

function inlineFor(ignores: readonly InlineIgnore[], finding: Finding): Suppression | null {
  const ignore = ignores.find((i) => coveredBy(i, finding));
  if (!ignore) return null;
  return ignore.expires === undefined
    ? { by: 'inline', reason: ignore.reason }
    : { by: 'inline', reason: ignore.reason, expires: ignore.expires };
}

/** Whether an ARM-style path (`resources[0].properties.x`) lies at or below another. */
const underPath = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

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
      const parsed = parseIgnoreText(value);
      if (typeof parsed === 'string') {
        warnings.push(
          `${where(object)}: ${IGNORE_ANNOTATION} ${parsed} (got ${JSON.stringify(value)}); it is not applied`,
        );
        continue;
      }
      const { known, unknown } = knownRules(parsed.rules, ruleIds);
      if (unknown.length > 0)
        warnings.push(
          `${where(object)}: ${IGNORE_ANNOTATION} names unknown rule(s) ${unknown.join(', ')}; those are not applied`,
        );
      if (known.length > 0)
        found.set(objectKey(object.anchor.owner.target, object.anchor.owner.resource), { ...parsed, rules: known });
    }
  }
  return found;
}

function annotationFor(
  annotations: Map<string, AnnotationIgnore>,
  finding: Finding,
  today: string,
): Suppression | null {
  const ignore = annotations.get(objectKey(finding.target, finding.resource));
  if (!ignore?.rules.some((r) => ruleMatches(r, finding.ruleId))) return null;
  if (ignore.expires === undefined) return { by: 'annotation', reason: ignore.reason };
  return ignore.expires >= today ? { by: 'annotation', reason: ignore.reason, expires: ignore.expires } : null;
}

function where(object: KubeObject): string {
  const position = object.anchor.doc.locate(object.anchor.path);
  return position ? `${object.anchor.doc.file}:${position.line}` : object.anchor.doc.file;
}

const describe = ({ kind, name, namespace }: Resource) => `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
