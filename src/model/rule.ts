import type { Anchor } from './fact.js';
import type { Severity } from './finding.js';
import type { Snapshot } from './snapshot.js';

export interface RuleMeta {
  /** `<domain>/<name>`: stable forever (SARIF, suppressions and dashboards key on it). */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** The sentence of the AKS security model this rule makes executable. */
  readonly seed: string;
  /**
   * The same check in other tools, so users can map their existing findings. Compliance controls (CIS, MCSB,
   * Azure Policy definitions) live in `data/frameworks/`, not here.
   */
  readonly refs: {
    readonly checkov?: readonly string[];
    readonly kubescape?: readonly string[];
    readonly psrule?: readonly string[];
  };
  readonly remediation: { readonly az?: string; readonly terraform?: string; readonly kubectl?: string };
  /** The options a user may set for this rule (`rules:` in aksguard.config.yaml); its docs page lists them. */
  readonly options?: readonly ConfigurableOption[];
}

/** Supported AKS Kubernetes minors with their end-of-life dates (data/kubernetes-versions.json). */
export interface VersionTable {
  readonly updated: string;
  readonly source: string;
  readonly versions: readonly {
    readonly minor: string;
    readonly endOfLife: string;
    /** End of Long-Term Support, for clusters on the `AKSLongTermSupport` plan. */
    readonly ltsEndOfLife?: string;
  }[];
}

export interface RuleOptions {
  /** Authorized ranges with an IPv4 prefix shorter than this are too broad. */
  readonly minAuthorizedPrefix: number;
  /** Hours a node may wait for its reboot before `patching/nodes-pending-reboot` fires. */
  readonly rebootGraceHours: number;
  /** Days after its build date a Linux node image counts as outdated when no upgrade profile says better. */
  readonly nodeImageMaxAgeDays: number;
  readonly systemNamespaces: readonly string[];
  readonly kubernetesVersions: VersionTable;
}

/** The rule options a config may set; the others (the version table) are aksguard's own data. */
export const CONFIGURABLE_OPTIONS = [
  'minAuthorizedPrefix',
  'rebootGraceHours',
  'nodeImageMaxAgeDays',
  'systemNamespaces',
] as const satisfies readonly (keyof RuleOptions)[];
export type ConfigurableOption = (typeof CONFIGURABLE_OPTIONS)[number];

export interface RuleContext {
  /** The scan time (`--as-of`): rules never read the clock. */
  readonly now: Date;
  readonly options: RuleOptions;
}

/** What a rule reports: where, what it observed, and whether the input left the answer unknown. */
export interface Problem {
  readonly at: Anchor;
  readonly message: string;
  readonly unknown?: boolean;
  /** Overrides the rule's severity for this problem, e.g. `info` for workloads in system namespaces. */
  readonly severity?: Severity;
}

export interface Rule {
  readonly meta: RuleMeta;
  check(snapshot: Snapshot, context: RuleContext): Problem[];
}

export const defineRule = (rule: Rule): Rule => rule;

export const ruleDomain = (id: string): string => id.slice(0, id.indexOf('/'));
