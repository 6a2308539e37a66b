/** A syntax error in an HCL expression, at an offset of the expression's text. */
export class SyntaxFault extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Nesting deeper than aksguard reads (no real configuration comes close): an input error, not a fallback. */
export class TooDeep extends SyntaxFault {}

/** Brackets, blocks and templates nested deeper than this are refused before they can exhaust the stack. */
export const MAX_NESTING = 256;

export interface Token {
  readonly kind: 'number' | 'string' | 'ident' | 'punct';
  readonly text: string;
  readonly at: number;
  /** Strings: the template holds backslash escapes (quoted strings do, heredocs do not). */
  readonly escaped?: boolean;
}

const PUNCTUATION = ['==', '!=', '<=', '>=', '&&', '||', '=>', '...', ...'()[]{},.:?=<>!+-*/%'];

/** Splits an HCL expression into tokens; comments and newlines are dropped (inside brackets they carry no meaning). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
    else if (c === '#' || (c === '/' && text[i + 1] === '/')) i = lineEnd(text, i);
    else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) throw new SyntaxFault('an unterminated comment', i);
      i = end + 2;
    } else if (c >= '0' && c <= '9') {
      // After a `.` only an integer: `list.0.name` is the legacy index syntax, not the number 0.0.
      const afterDot = tokens[tokens.length - 1]?.text === '.';
      const match = (afterDot ? /^[0-9]+/ : /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/).exec(text.slice(i, i + 400));
      const number = (match as RegExpExecArray)[0];
      tokens.push({ kind: 'number', text: number, at: i });
      i += number.length;
    } else if (/[A-Za-z_]/.test(c)) {
      // `provider::azapi::parse_resource_id` (a provider-defined function) is one name.
      const match = /^[A-Za-z_][A-Za-z0-9_-]*(?:::[A-Za-z_][A-Za-z0-9_-]*)*/.exec(
        text.slice(i, i + 1000),
      ) as RegExpExecArray;
      tokens.push({ kind: 'ident', text: match[0], at: i });
      i += match[0].length;
    } else if (c === '"') {
      const end = stringEnd(text, i + 1);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), at: i, escaped: true });
      i = end + 1;
    } else if (c === '<' && text[i + 1] === '<' && /[-A-Za-z_]/.test(text[i + 2] ?? '')) {
      const heredoc = readHeredoc(text, i);
      tokens.push({ kind: 'string', text: heredoc.template, at: i, escaped: false });
      i = heredoc.end;
    } else {
      const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
      if (!punct) throw new SyntaxFault(`unexpected character ${JSON.stringify(c)}`, i);
      tokens.push({ kind: 'punct', text: punct, at: i });
      i += punct.length;
    }
  }
  return tokens;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

/** The index of the quote closing a string that starts at `from`, skipping `${…}` interpolations. */
export function stringEnd(text: string, from: number, depth = 0): number {
  if (depth > MAX_NESTING) throw new TooDeep(`strings nested more than ${MAX_NESTING} levels deep`, from);
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i;
    else if (c === '\n') break;
    else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      if (text[i - 1] === c) continue; // `$${` and `%%{` are literal text
      i = closingBrace(text, i + 2, depth + 1);
    }
  }
  throw new SyntaxFault('an unterminated string', from - 1);
}

/** The index of the `}` closing a `${` or `%{` whose content starts at `from`. */
export function closingBrace(text: string, from: number, depth = 0): number {
  let braces = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = stringEnd(text, i + 1, depth + 1);
    else if (c === '{') braces++;
    else if (c === '}' && --braces === 0) return i;
  }
  throw new SyntaxFault('an unterminated interpolation', from - 2);
}

/**
 * `<<EOT … EOT` (kept as written) or `<<-EOT … EOT` (the lines' common indentation removed): the template between
 * the marker lines, ending with a newline as Terraform's does.
 */
export function readHeredoc(text: string, from: number): { template: string; end: number } {
  const match = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(text.slice(from, from + 200));
  if (!match) throw new SyntaxFault('a heredoc marker must end its line', from);
  const [opening, indent, marker] = match as unknown as [string, string, string];
  const lines: string[] = [];
  let start = from + opening.length;
  while (start <= text.length) {
    const end = lineEnd(text, start);
    const line = text.slice(start, end).replace(/\r$/, '');
    if (line.trim() === marker) {
      const body = indent ? dedent(lines) : lines;
      return { template: body.map((l) => `${l}\n`).join(''), end };
    }
    lines.push(line);
    if (end >= text.length) break;
    start = end + 1;
  }
  throw new SyntaxFault(`heredoc ${marker} is not closed`, from);
}

function dedent(lines: readonly string[]): string[] {
  const widths = lines.filter((l) => l.trim() !== '').map((l) => (/^[ \t]*/.exec(l) as RegExpExecArray)[0].length);
  const cut = widths.length === 0 ? 0 : Math.min(...widths);
  return lines.map((l) => l.slice(cut));
}
