/**
 * Compliance frameworks (`data/frameworks/<id>.json`): a framework's controls relevant to AKS, and for every rule
 * the controls it evidences. A rule evidences a control when a failing finding of the rule shows the control is not
 * met; an empty list says the rule evidences nothing in that framework.
 */
export const FRAMEWORK_IDS = ['cis-aks', 'mcsb', 'azure-policy'] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

export interface Control {
  readonly id: string;
  readonly title: string;
  /** The control's own version, where it has one (Azure Policy definitions). */
  readonly version?: string;
}

/**
 * A control a rule evidences. With `findingPath`, only the rule's findings at that property count for the control
 * (`workload/host-namespaces` fails CIS 4.2.2 only for `hostPID`).
 */
export type ControlRef = string | { readonly control: string; readonly findingPath: string };

export interface Framework {
  readonly id: FrameworkId;
  readonly name: string;
  /** How reports and docs name it in a few words (`CIS AKS`). */
  readonly shortName: string;
  readonly version: string;
  /** The date the mapping was last checked against the framework's source. */
  readonly checked: string;
  readonly source: string;
  readonly note: string;
  /** Prefix of the SARIF tag that names a control (`CIS-AKS-` + `5.4.1`). */
  readonly tagPrefix: string;
  readonly controls: readonly Control[];
  /** Every rule id, with the controls it evidences (maybe none). */
  readonly rules: Readonly<Record<string, readonly ControlRef[]>>;
  /** Why a rule maps where it does, or to nothing. */
  readonly notes: Readonly<Record<string, string>>;
}

/**
 * A control's verdict in one scan: `fail` when a mapped rule has an unsuppressed decided finding (above `info`),
 * `undecided` when the only such findings are unknown (or the input holds none of what the mapped rules read),
 * `pass` when the mapped rules ran and found nothing,
 * `not-covered` when no rule of aksguard evidences it, `not-run` when its rules were excluded from the scan.
 */
export const CONTROL_STATUSES = ['fail', 'undecided', 'pass', 'not-run', 'not-covered'] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

export interface ControlResult {
  readonly id: string;
  readonly title: string;
  readonly status: ControlStatus;
  /** The rules mapped to the control. */
  readonly rules: readonly string[];
  /** Findings of those rules, by kind: failing, undecided (unknown), suppressed (do not fail the control). */
  readonly failing: number;
  readonly undecided: number;
  readonly suppressed: number;
  /** Why a control without undecided findings is undecided (the input holds none of what its rules read). */
  readonly reason?: string;
}

/** The per-control summary a report carries for each `--framework`. */
export interface FrameworkSummary {
  readonly id: FrameworkId;
  readonly name: string;
  readonly version: string;
  readonly checked: string;
  readonly counts: Readonly<Record<ControlStatus, number>>;
  readonly controls: readonly ControlResult[];
}

/** `CIS … Benchmark v1.8.0`; a framework versioned by date reads `… (as of 2026-04-29)`. */
export const frameworkTitle = ({ name, version }: { readonly name: string; readonly version: string }): string =>
  version.startsWith('v') ? `${name} ${version}` : `${name} (as of ${version})`;

export const controlId = (ref: ControlRef): string => (typeof ref === 'string' ? ref : ref.control);

/** The ids of the controls a rule evidences in a framework, each once, in the framework's order. */
export function controlsOf(framework: Framework, ruleId: string): string[] {
  const ids = new Set((framework.rules[ruleId] ?? []).map(controlId));
  return framework.controls.filter((c) => ids.has(c.id)).map((c) => c.id);
}
