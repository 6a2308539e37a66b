import type { Finding } from '../model/finding.js';

/**
 * Where rule pages are published: the repository's `docs/rules/<id>.md`. SARIF needs an absolute `helpUri`, and
 * code-scanning UIs, PR comments and a mailed HTML report cannot open a path inside an installed package.
 */
export const RULE_DOCS_BASE = 'https://github.com/aksguard/aksguard/blob/main/docs/rules/';

export const ruleDocsUrl = (ruleId: string): string => `${RULE_DOCS_BASE}${ruleId}.md`;

/** `Kind namespace/name`, how every report names a resource. */
export function resourceLabel({ kind, name, namespace }: Finding['resource']): string {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** `file:line:column` as far as the finding knows it; '' without a location. */
export function whereLabel(finding: Finding): string {
  const { location } = finding;
  return location ? [location.file, location.line, location.column].filter((p) => p !== undefined).join(':') : '';
}

/** `by config: reason (until 2027-03-31)`. */
export function suppressionLabel(finding: Finding): string {
  const s = finding.suppressed;
  return s ? `by ${s.by}: ${s.reason}${s.expires ? ` (until ${s.expires})` : ''}` : '';
}
