import { readFileSync } from 'node:fs';
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
    const status = statusOf(rules, ran, counts);
    return { id: control.id, title: control.title, status, rules, ...counts };
  });
  const counts = Object.fromEntries(
    CONTROL_STATUSES.map((s) => [s, controls.filter((c) => c.status === s).length]),
  ) as Record<ControlStatus, number>;
  const { id, name, version, checked } = framework;
  return { id, name, version, checked, counts, controls };
}

function statusOf(
  rules: readonly string[],
  ran: readonly string[],
  counts: { failing: number; undecided: number },
): ControlStatus {
  if (rules.length === 0) return 'not-covered';
  if (!rules.some((r) => ran.includes(r))) return 'not-run';
  if (counts.failing > 0) return 'fail';
  return counts.undecided > 0 ? 'undecided' : 'pass';
}

/**
 * Whether a finding counts for the control a reference names: all of the rule's, or those at `findingPath`. A rule
 * that failed to run (target `*`) leaves every control it evidences undecided.
 */
function covers(ref: ControlRef, finding: Finding): boolean {
  if (typeof ref === 'string' || finding.target === '*') return true;
  return finding.path === ref.findingPath || finding.path.endsWith(`.${ref.findingPath}`);
}
