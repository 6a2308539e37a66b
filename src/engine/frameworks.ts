import { readFileSync } from 'node:fs';
import { UsageError } from '../model/errors.js';
import type { Finding } from '../model/finding.js';
import {
  CONTROL_STATUSES,
  type ControlRef,
  type ControlResult,
  type ControlStatus,
  controlId,
  FRAMEWORK_IDS,
  type Framework,
  type FrameworkId,
  type FrameworkSummary,
} from '../model/framework.js';
import type { ScanResult } from '../model/result.js';
import { ruleDomain } from '../model/rule.js';

const loaded = new Map<FrameworkId, Framework>();

/** A framework's mapping as shipped in `data/frameworks/<id>.json`. */
export function loadFramework(id: FrameworkId): Framework {
  let framework = loaded.get(id);
  if (framework === undefined) {
    framework = JSON.parse(
      readFileSync(new URL(`../../data/frameworks/${id}.json`, import.meta.url), 'utf8'),
    ) as Framework;
    loaded.set(id, framework);
  }
  return framework;
}

/** Every framework aksguard maps its rules to (SARIF tags and `explain` show them all). */
export const loadFrameworks = (): Framework[] => FRAMEWORK_IDS.map(loadFramework);

/** The rules that evidence at least one control of the framework: what `scan --framework` runs. */
export const rulesOf = (framework: Framework): string[] =>
  Object.entries(framework.rules)
    .filter(([, refs]) => refs.length > 0)
    .map(([ruleId]) => ruleId);

/**
 * Each control's verdict from the scan's findings. `ran` are the rules the scan ran: a control whose mapped rules
 * were all excluded is `not-run`, never a pass. Findings at `info` (system namespaces, reminders) do not fail a
 * control; suppressed ones never do but are counted.
 */
export function summarizeFramework(
  framework: Framework,
  findings: readonly Finding[],
  ran: readonly string[],
  input: { readonly kubernetesObjects: boolean } = { kubernetesObjects: true },
): FrameworkSummary {
  const controls = framework.controls.map((control): ControlResult => {
    const refs = Object.entries(framework.rules).flatMap(([ruleId, list]) =>
      list.filter((ref) => controlId(ref) === control.id).map((ref) => ({ ruleId, ref })),
    );
    const evidence = findings.filter((f) => refs.some(({ ruleId, ref }) => ruleId === f.ruleId && covers(ref, f)));
    const counts = {
      failing: evidence.filter((f) => !f.suppressed && !f.unknown && f.severity !== 'info').length,
      undecided: evidence.filter((f) => !f.suppressed && f.unknown).length,
      suppressed: evidence.filter((f) => f.suppressed).length,
    };
    const rules = [...new Set(refs.map((r) => r.ruleId))];
    const judged = ran.filter((r) => input.kubernetesObjects || !readsKubernetesObjects(r));
    const status = statusOf(rules, ran, judged, counts);
    const result = { id: control.id, title: control.title, status, rules, ...counts };
    return status === 'undecided' && counts.undecided === 0 ? { ...result, reason: NO_OBJECTS } : result;
  });
  const counts = Object.fromEntries(
    CONTROL_STATUSES.map((s) => [s, controls.filter((c) => c.status === s).length]),
  ) as Record<ControlStatus, number>;
  const { id, name, version, checked } = framework;
  return { id, name, version, checked, counts, controls };
}

/**
 * `judged` are the rules that ran and had something to read: a control whose rules only judge Kubernetes objects
 * is undecided, not a pass, when the input holds none.
 */
function statusOf(
  rules: readonly string[],
  ran: readonly string[],
  judged: readonly string[],
  counts: { failing: number; undecided: number },
): ControlStatus {
  if (rules.length === 0) return 'not-covered';
  if (!rules.some((r) => ran.includes(r))) return 'not-run';
  if (counts.failing > 0) return 'fail';
  return counts.undecided > 0 || !rules.some((r) => judged.includes(r)) ? 'undecided' : 'pass';
}

const NO_OBJECTS = 'the input holds no Kubernetes objects';

/**
 * Rules that judge only Kubernetes objects (RULES.md, "Where each rule gets its facts") and so find nothing, rather
 * than something unknown, in an input without any: pods, roles and bindings, namespaces.
 */
export const readsKubernetesObjects = (ruleId: string): boolean =>
  ['workload', 'rbac'].includes(ruleDomain(ruleId)) || /^isolation\/(namespace-|untrusted-workloads)/.test(ruleId);

/**
 * Whether a finding counts for the control a reference names: all of the rule's, or those at `findingPath`. A rule
 * that failed to run (target `*`) leaves every control it evidences undecided.
 */
function covers(ref: ControlRef, finding: Finding): boolean {
  if (typeof ref === 'string' || finding.target === '*') return true;
  return finding.path === ref.findingPath || finding.path.endsWith(`.${ref.findingPath}`);
}

/** `--framework cis-aks,mcsb --framework azure-policy` → the frameworks, each once; an unknown id is a usage error. */
export function parseFrameworks(values: readonly string[]): Framework[] {
  const ids = values.flatMap((v) => v.split(',')).map((id) => id.trim().toLowerCase());
  for (const id of ids)
    if (!(FRAMEWORK_IDS as readonly string[]).includes(id))
      throw new UsageError(`--framework must be one of ${FRAMEWORK_IDS.join(', ')} (got '${id}')`);
  return [...new Set(ids as FrameworkId[])].map(loadFramework);
}

/** The rules a `--framework` scan runs: those that evidence a control of any chosen framework (all without one). */
export function inFrameworks(frameworks: readonly Framework[]): (ruleId: string) => boolean {
  if (frameworks.length === 0) return () => true;
  const mapped = new Set(frameworks.flatMap(rulesOf));
  return (ruleId) => mapped.has(ruleId);
}

/** The result with each chosen framework's per-control summary; unchanged without `--framework`. */
export function withFrameworks(
  result: ScanResult,
  frameworks: readonly Framework[],
  ran: readonly string[],
  input: { readonly kubernetesObjects: boolean },
): ScanResult {
  if (frameworks.length === 0) return result;
  return { ...result, frameworks: frameworks.map((f) => summarizeFramework(f, result.findings, ran, input)) };
}
