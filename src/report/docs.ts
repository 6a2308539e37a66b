import type { Finding } from '../model/finding.js';
import { HOME } from '../model/package.js';

/**
 * Where rule pages are (`docs/rules/<id>.md`), as package.json decides (`model/package.ts`): the repository at this
 * version's tag, else the pages shipped in the package as a file:// URL. Either is absolute, as SARIF's `helpUri`
 * must be; only the first opens from a code-scanning UI or a PR comment.
 */
export const RULE_DOCS_BASE = HOME.ruleDocsBase;

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
