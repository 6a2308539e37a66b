import type { Finding } from '../model/finding.js';
import type { Rule } from '../model/rule.js';
import { type AksNameKind, commandWord } from '../model/shell-command.js';

/**
 * The rule's remediation commands with the names this finding knows filled in, each quoted for a shell. A name
 * Azure would not accept stays a placeholder, with a line saying why, so a copied command never runs a payload
 * hidden in a name.
 */
export function remediationFor(
  rule: Rule,
  cluster: string | undefined,
  target: string,
  resource: Finding['resource'],
): string {
  const { az, terraform, kubectl } = rule.meta.remediation;
  const commands = [az, kubectl].filter((c): c is string => Boolean(c));
  const names: [AksNameKind, string | undefined, string][] = [
    ['cluster', cluster, '<cluster>'],
    ['resource group', /\/resourceGroups\/([^/]+)/i.exec(target)?.[1], '<rg>'],
    ['pool', resource.kind === 'AgentPool' ? resource.name : undefined, '<pool>'],
  ];
  const problems: string[] = [];
  let filled = commands;
  for (const [kind, name, placeholder] of names) {
    if (!filled.some((c) => c.includes(placeholder))) continue;
    const { word, problem } = commandWord(kind, name, placeholder);
    if (problem) problems.push(`(${problem}: fill in ${placeholder} yourself)`);
    filled = filled.map((c) => c.replaceAll(placeholder, word));
  }
  return [...filled, ...problems, terraform && `Terraform: ${terraform}`].filter(Boolean).join('\n');
}
