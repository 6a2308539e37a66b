import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Finding, Severity } from '../model/finding.js';
import { HOME } from '../model/package.js';
import type { ScanResult } from '../model/result.js';
import { ruleDomain } from '../model/rule.js';
import { complianceTags } from './compliance.js';
import { resourceLabel, ruleDocsUrl } from './docs.js';
import type { FormatOptions } from './options.js';

/** GitHub code scanning ranks alerts by this CVSS-like score (≥9 critical, ≥7 high, ≥4 medium, >0 low). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * SARIF 2.1.0 for GitHub / Azure DevOps code scanning: every rule the scan ran in `tool.driver.rules` (docs link,
 * severity score, tags), every finding as a result at its file and line. Suppressed findings stay, carrying a
 * SARIF suppression with the reason; undecided ones are `review` results; rule failures are tool notifications.
 */
export function sarif(result: ScanResult, options: FormatOptions): string {
  const cwd = options.cwd ?? process.cwd();
  const rules = [...options.rules].sort((a, b) => (a.id < b.id ? -1 : 1));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const failures = result.findings.filter((f) => f.target === '*');
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'aksguard',
            version: result.tool.version,
            semanticVersion: result.tool.version,
            ...(HOME.homepage ? { informationUri: HOME.homepage } : {}),
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.seed },
              helpUri: ruleDocsUrl(rule.id),
              help: { text: helpText(rule.remediation), markdown: helpMarkdown(rule.id, rule.remediation) },
              defaultConfiguration: { level: LEVEL[rule.severity] },
              properties: {
                'security-severity': SECURITY_SEVERITY[rule.severity],
                tags: ['security', 'aks', ruleDomain(rule.id), ...complianceTags(rule.id, options.frameworks ?? [])],
                precision: 'high',
              },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: failures.length === 0,
            endTimeUtc: result.asOf,
            toolExecutionNotifications: failures.map((f) => ({
              level: 'error',
              message: { text: plainText(f.message) },
              associatedRule: { id: f.ruleId, ...indexOf(index, f.ruleId) },
            })),
          },
        ],
        automationDetails: { id: automationId(result) },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(`${resolve(cwd)}/`).href } },
        results: result.findings.filter((f) => f.target !== '*').map((f) => toResult(f, index, result, cwd)),
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function toResult(finding: Finding, index: ReadonlyMap<string, number>, scan: ScanResult, cwd: string): Sarif.Result {
  const target = scan.targets.find((t) => t.id === finding.target);
  const result: Sarif.Result = {
    ruleId: finding.ruleId,
    ...indexOf(index, finding.ruleId),
    kind: finding.unknown ? 'review' : 'fail',
    level: finding.unknown ? 'none' : LEVEL[finding.severity],
    message: { text: plainText(`${resourceLabel(finding.resource)}: ${finding.message}`) },
    locations: [
      {
        ...(finding.location ? { physicalLocation: physical(finding.location, cwd) } : {}),
        logicalLocations: [
          {
            name: finding.resource.name,
            fullyQualifiedName: `${target?.name ?? finding.target}/${resourceLabel(finding.resource)}`,
            kind: finding.resource.kind,
          },
        ],
      },
    ],
    partialFingerprints: { 'aksguardFinding/v1': fingerprint(finding) },
    properties: {
      severity: finding.severity,
      'security-severity': SECURITY_SEVERITY[finding.severity],
      target: finding.target,
      path: finding.path,
      remediation: finding.remediation,
    },
  };
  if (finding.suppressed) {
    result.suppressions = [
      {
        kind: finding.suppressed.by === 'annotation' || finding.suppressed.by === 'inline' ? 'inSource' : 'external',
        status: 'accepted',
        justification: `${finding.suppressed.by}: ${finding.suppressed.reason}`,
        ...(finding.suppressed.expires ? { properties: { expires: finding.suppressed.expires } } : {}),
      },
    ];
  }
  return result;
}

function physical(location: NonNullable<Finding['location']>, cwd: string): Sarif.PhysicalLocation {
  const region: Sarif.Region = {};
  if (location.line !== undefined && location.line >= 1) region.startLine = location.line;
  if (region.startLine !== undefined && location.column !== undefined && location.column >= 1)
    region.startColumn = location.column;
  return {
    artifactLocation: artifactLocation(location.file, cwd),
    ...(region.startLine !== undefined ? { region } : {}),
  };
}

/** The base the relative artifact URIs resolve against: the working directory of the scan. */
export const SRCROOT = '%SRCROOT%';

/**
 * A file under the working directory is a URI relative to it (`uriBaseId` %SRCROOT%, which code scanning maps to
 * the checkout); one outside it is an absolute file:// URI; a name that is no path (`<stdin>`) stays as it is,
 * escaped.
 */
export function artifactLocation(file: string, cwd: string): Sarif.ArtifactLocation {
  if (file.startsWith('<')) return { uri: encodeURIComponent(file) };
  const absolute = resolve(cwd, file);
  const inside = relative(resolve(cwd), absolute);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return { uri: pathToFileURL(absolute).href };
  return { uri: inside.replaceAll('\\', '/').split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/**
 * SARIF reads `[text](target)` in a plain-text message as a link (§3.11.6): brackets from the inputs are escaped,
 * so a name cannot become one.
 */
const plainText = (text: string): string => text.replace(/[\\[\]]/g, '\\$&');

/**
 * `aksguard/<frameworks or scan>/<scan time>`: code scanning keeps one set of alerts per category (all but the
 * last segment), so a `--framework` run does not close the alerts of a full scan.
 */
const automationId = (result: ScanResult): string =>
  `aksguard/${result.frameworks?.map((f) => f.id).join('+') ?? 'scan'}/${result.asOf}`;

/** Stable across line moves, like the baseline key: rule, target, resource. */
function fingerprint(f: Finding): string {
  const key = [f.ruleId, f.target.toLowerCase(), f.resource.kind, f.resource.namespace ?? '', f.resource.name];
  return createHash('sha256').update(key.join('\u0000')).digest('hex').slice(0, 32);
}

const indexOf = (index: ReadonlyMap<string, number>, id: string) => {
  const i = index.get(id);
  return i === undefined ? {} : { ruleIndex: i };
};

type Remediation = FormatOptions['rules'][number]['remediation'];

function helpText(r: Remediation): string {
  return [r.az && `az: ${r.az}`, r.kubectl && `kubectl: ${r.kubectl}`, r.terraform && `Terraform: ${r.terraform}`]
    .filter(Boolean)
    .join('\n');
}

function helpMarkdown(id: string, r: Remediation): string {
  const code = (label: string, cmd: string | undefined) => (cmd ? `**${label}**\n\n\`\`\`\n${cmd}\n\`\`\`` : '');
  return [
    code('az', r.az),
    code('kubectl', r.kubectl),
    code('Terraform', r.terraform),
    `[Rule page](${ruleDocsUrl(id)})`,
  ]
    .filter(Boolean)
    .join('\n\n');
}
