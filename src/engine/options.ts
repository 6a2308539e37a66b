import { readFileSync } from 'node:fs';
import type { RuleOptions, VersionTable } from '../model/rule.js';

/** Namespaces Kubernetes and AKS own; workload rules report them at info, namespace rules skip them. */
export const SYSTEM_NAMESPACES = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'gatekeeper-system',
  'calico-system',
  'tigera-operator',
  'aks-command',
  'app-routing-system',
] as const;

/** How old the shipped Kubernetes support table may get before scans warn that it is stale. */
export const VERSION_TABLE_MAX_AGE_DAYS = 180;

let table: VersionTable | undefined;

/** The supported-versions table shipped in `data/kubernetes-versions.json`. */
export function kubernetesVersions(): VersionTable {
  table ??= JSON.parse(
    readFileSync(new URL('../../data/kubernetes-versions.json', import.meta.url), 'utf8'),
  ) as VersionTable;
  return table;
}

export function defaultRuleOptions(): RuleOptions {
  return {
    minAuthorizedPrefix: 16,
    rebootGraceHours: 24,
    nodeImageMaxAgeDays: 30,
    systemNamespaces: SYSTEM_NAMESPACES,
    kubernetesVersions: kubernetesVersions(),
  };
}

/** A warning when the version table is older than it should be at `now`, else undefined. */
export function versionTableWarning(now: Date, versions: VersionTable = kubernetesVersions()): string | undefined {
  const ageDays = Math.floor((now.getTime() - Date.parse(versions.updated)) / 86_400_000);
  if (ageDays <= VERSION_TABLE_MAX_AGE_DAYS) return undefined;
  return `the Kubernetes support table is ${ageDays} days old (updated ${versions.updated}): control-plane/kubernetes-version-unsupported may miss newly unsupported versions; update aksguard`;
}
