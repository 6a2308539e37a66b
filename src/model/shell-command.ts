/**
 * Names from the inputs end up in commands people copy into a shell. A name is put there only when it is a name
 * Azure itself would accept, and then quoted, so that copying a suggested command never runs anything else.
 */

/** Characters that mean nothing to a POSIX shell: a word made only of them needs no quotes. */
const PLAIN_WORD = /^[\w./:=@%+,-]+$/;

/** POSIX single-quote quoting: `it's` → `'it'\''s'`; plain words stay as they are. */
export function shellQuote(value: string): string {
  return PLAIN_WORD.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

export type AksNameKind = 'cluster' | 'resource group' | 'pool';

const RULES: Readonly<Record<AksNameKind, { readonly valid: RegExp; readonly says: string }>> = {
  cluster: {
    valid: /^[A-Za-z0-9][\w-]{0,62}$/,
    says: '1–63 letters, digits, - or _, starting with a letter or digit',
  },
  'resource group': {
    valid: /^[\p{L}\p{N}_(][\p{L}\p{N}_().-]{0,88}[\p{L}\p{N}_()-]$|^[\p{L}\p{N}_()]$/u,
    says: '1–90 letters, digits, _, -, ., ( or ), not ending in .',
  },
  pool: {
    valid: /^[a-z][a-z0-9]{0,11}$/,
    says: '1–12 lowercase letters and digits (6 on Windows), starting with a letter',
  },
};

/** Why `name` cannot be a real AKS name of this kind, or undefined when it can. */
export function aksNameProblem(kind: AksNameKind, name: string): string | undefined {
  const rule = RULES[kind];
  return rule.valid.test(name) ? undefined : `the ${kind} name is not a valid AKS ${kind} name (${rule.says})`;
}

/** The name quoted for a command, or the placeholder (and why) when the name is not one Azure accepts. */
export function commandWord(
  kind: AksNameKind,
  name: string | undefined,
  placeholder: string,
): { word: string; problem?: string } {
  if (name === undefined) return { word: placeholder };
  const problem = aksNameProblem(kind, name);
  return problem ? { word: placeholder, problem } : { word: shellQuote(name) };
}
