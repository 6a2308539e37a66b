import { closingBrace, MAX_NESTING, SyntaxFault, type Token, TooDeep, tokenize } from './tokens.js';

/** One step after a name: `.attr`, `[index]`, or a splat (`[*]`, `.*`) applying the rest to every element. */
export type Step = { kind: 'attr'; name: string } | { kind: 'index'; key: Node } | { kind: 'splat' };

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'interpolation'; node: Node }
  | { kind: 'if'; condition: Node; yes: TemplatePart[]; no: TemplatePart[] }
  | { kind: 'for'; key: string | undefined; value: string; collection: Node; body: TemplatePart[] };

/** An HCL expression, parsed once and evaluated in as many scopes as it has instances. */
export type Node =
  | { kind: 'literal'; value: unknown }
  | { kind: 'template'; parts: TemplatePart[] }
  | { kind: 'name'; name: string }
  | { kind: 'path'; base: Node; steps: Step[] }
  | { kind: 'unary'; op: string; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'conditional'; condition: Node; yes: Node; no: Node }
  | { kind: 'list'; items: Node[] }
  | { kind: 'object'; entries: { key: Node; value: Node }[] }
  | { kind: 'call'; name: string; args: Node[]; expand: boolean }
  | {
      kind: 'for';
      object: boolean;
      key: string | undefined;
      value: string;
      collection: Node;
      keyExpr: Node | undefined;
      valueExpr: Node;
      condition: Node | undefined;
      group: boolean;
    };

const BINARY: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

const cache = new Map<string, Node>();
/** How deep the parsers on the stack are nested, templates inside expressions included. */
let nesting = 0;
const CACHE_LIMIT = 20_000;

/** Parses an expression (cached: the same text recurs in every instance and module call). */
export function parseExpression(text: string): Node {
  const cached = cache.get(text);
  if (cached) return cached;
  const parser = new Parser(tokenize(text), text);
  const node = parser.expression();
  parser.end();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, node);
  return node;
}

/**
 * Parses a template: the content of a quoted string (with backslash escapes) or of a heredoc (without), holding
 * `${…}` interpolations and `%{if}`/`%{for}` directives.
 */
export function parseTemplate(text: string, escaped: boolean): Node {
  const { parts, end } = templateParts(text, 0, escaped, []);
  if (end < text.length) throw new SyntaxFault('an unexpected template directive', end);
  if (parts.length === 0) return { kind: 'literal', value: '' };
  if (parts.length === 1 && parts[0]?.kind === 'text') return { kind: 'literal', value: parts[0].text };
  if (parts.length === 1 && parts[0]?.kind === 'interpolation') return parts[0].node;
  return { kind: 'template', parts };
}

/** Template parts up to the end, or up to a directive in `stops` (`else`, `endif`, `endfor`). */
function templateParts(
  text: string,
  from: number,
  escaped: boolean,
  stops: readonly string[],
): { parts: TemplatePart[]; end: number; stop?: string } {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = from;
  const flush = () => {
    if (literal) parts.push({ kind: 'text', text: literal });
    literal = '';
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (escaped && c === '\\') {
      const [value, width] = unescapeAt(text, i);
      literal += value;
      i += width;
    } else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      literal += `${c}{`;
      i += 3;
    } else if (c === '$' && text[i + 1] === '{') {
      const end = closingBrace(text, i + 2);
      const inner = text.slice(i + 2, end);
      if (inner.startsWith('~')) literal = literal.trimEnd();
      flush();
      parts.push({ kind: 'interpolation', node: parseExpression(inner.replace(/^~|~$/g, '')) });
      i = end + 1;
      if (inner.endsWith('~')) i = skipBlank(text, i);
    } else if (c === '%' && text[i + 1] === '{') {
      const end = closingBrace(text, i + 2);
      const inner = text.slice(i + 2, end);
      if (inner.startsWith('~')) literal = literal.trimEnd();
      flush();
      const directive = inner.replace(/^~|~$/g, '').trim();
      let next = end + 1;
      if (inner.endsWith('~')) next = skipBlank(text, next);
      const word = /^[a-z]+/.exec(directive)?.[0] ?? '';
      if (stops.includes(word)) return { parts, end: next, stop: word };
      const parsed = directiveParts(text, next, escaped, word, directive.slice(word.length), i);
      parts.push(parsed.part);
      i = parsed.end;
    } else {
      literal += c;
      i++;
    }
  }
  flush();
  return { parts, end: i };
}

function directiveParts(
  text: string,
  from: number,
  escaped: boolean,
  word: string,
  rest: string,
  at: number,
): { part: TemplatePart; end: number } {
  if (word === 'if') {
    const then = templateParts(text, from, escaped, ['else', 'endif']);
    let otherwise: { parts: TemplatePart[]; end: number; stop?: string } = { parts: [], end: then.end };
    if (then.stop === 'else') otherwise = templateParts(text, then.end, escaped, ['endif']);
    if ((then.stop === 'else' ? otherwise.stop : then.stop) !== 'endif')
      throw new SyntaxFault('%{if} without %{endif}', at);
    const part: TemplatePart = {
      kind: 'if',
      condition: parseExpression(rest),
      yes: then.parts,
      no: otherwise.parts,
    };
    return { part, end: otherwise.end };
  }
  if (word === 'for') {
    const match = /^\s*([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?in\s([\s\S]+)$/.exec(rest);
    if (!match) throw new SyntaxFault('a malformed %{for} directive', at);
    const body = templateParts(text, from, escaped, ['endfor']);
    if (body.stop !== 'endfor') throw new SyntaxFault('%{for} without %{endfor}', at);
    const [, first, second, collection] = match as unknown as [string, string, string | undefined, string];
    const part: TemplatePart = {
      kind: 'for',
      key: second === undefined ? undefined : first,
      value: second ?? first,
      collection: parseExpression(collection),
      body: body.parts,
    };
    return { part, end: body.end };
  }
  throw new SyntaxFault(`an unexpected template directive %{${word}}`, at);
}

function skipBlank(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

function unescapeAt(text: string, i: number): [string, number] {
  const e = text[i + 1];
  if (e === 'u' || e === 'U') {
    const width = e === 'u' ? 4 : 8;
    const code = Number.parseInt(text.slice(i + 2, i + 2 + width), 16);
    if (Number.isNaN(code) || code > 0x10ffff) throw new SyntaxFault('an invalid unicode escape', i);
    return [String.fromCodePoint(code), 2 + width];
  }
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
  const value = e === undefined ? undefined : simple[e];
  if (value === undefined) throw new SyntaxFault(`an invalid escape \\${e ?? ''}`, i);
  return [value, 2];
}

/** A recursive-descent parser for HCL's expression syntax. */
class Parser {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  end(): void {
    const token = this.tokens[this.i];
    if (token) throw new SyntaxFault(`unexpected ${JSON.stringify(token.text)}`, token.at);
  }

  expression(): Node {
    if (++nesting > MAX_NESTING) {
      nesting = 0;
      throw new TooDeep(`an expression nested more than ${MAX_NESTING} levels deep`, this.peek()?.at ?? 0);
    }
    try {
      return this.conditional();
    } finally {
      nesting = Math.max(0, nesting - 1);
    }
  }

  private conditional(): Node {
    const condition = this.binary(0);
    if (!this.accept('?')) return condition;
    const then = this.expression();
    this.expect(':');
    return { kind: 'conditional', condition, yes: then, no: this.expression() };
  }

  private binary(level: number): Node {
    const operators = BINARY[level];
    if (!operators) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const op = this.peek();
      if (op?.kind !== 'punct' || !operators.includes(op.text)) return left;
      this.i++;
      left = { kind: 'binary', op: op.text, left, right: this.binary(level + 1) };
    }
  }

  private unary(): Node {
    const ops: string[] = [];
    while (this.peek()?.kind === 'punct' && (this.peek()?.text === '!' || this.peek()?.text === '-')) {
      ops.push((this.next() as Token).text);
    }
    let node = this.postfix(this.primary());
    for (const op of ops.reverse()) node = { kind: 'unary', op, operand: node };
    return node;
  }

  private postfix(base: Node): Node {
    const steps: Step[] = [];
    for (;;) {
      if (this.accept('.')) {
        if (this.accept('*')) steps.push({ kind: 'splat' });
        else {
          const next = this.next();
          if (next.kind !== 'ident' && next.kind !== 'number') throw this.fault('an attribute name after "."', next);
          steps.push(next.kind === 'number' ? { kind: 'index', key: literal(Number(next.text)) } : attr(next.text));
        }
      } else if (this.peek()?.text === '[' && this.peek()?.kind === 'punct') {
        this.i++;
        if (this.accept('*')) steps.push({ kind: 'splat' });
        else steps.push({ kind: 'index', key: this.expression() });
        this.expect(']');
      } else break;
    }
    return steps.length === 0 ? base : { kind: 'path', base, steps };
  }

  private primary(): Node {
    const token = this.next();
    if (token.kind === 'number') return literal(Number(token.text));
    if (token.kind === 'string') return this.template(token);
    if (token.kind === 'punct') {
      if (token.text === '(') {
        const node = this.expression();
        this.expect(')');
        return node;
      }
      if (token.text === '[') return this.list();
      if (token.text === '{') return this.object();
      throw this.fault('an expression', token);
    }
    if (token.text === 'true') return literal(true);
    if (token.text === 'false') return literal(false);
    if (token.text === 'null') return literal(null);
    if (this.accept('(')) return this.call(token.text);
    return { kind: 'name', name: token.text };
  }

  private template(token: Token): Node {
    try {
      return parseTemplate(token.text, token.escaped === true);
    } catch (error) {
      if (error instanceof SyntaxFault) throw new SyntaxFault(error.message, token.at);
      throw error;
    }
  }

  private list(): Node {
    if (this.peekIdent('for')) return this.forExpression(false);
    const items: Node[] = [];
    while (!this.accept(']')) {
      items.push(this.expression());
      if (!this.accept(',')) {
        this.expect(']');
        break;
      }
    }
    return { kind: 'list', items };
  }

  private object(): Node {
    if (this.peekIdent('for')) return this.forExpression(true);
    const entries: { key: Node; value: Node }[] = [];
    while (!this.accept('}')) {
      const keyToken = this.peek();
      const bare = keyToken?.kind === 'ident' && ['=', ':'].includes(this.tokens[this.i + 1]?.text ?? '');
      let key: Node;
      if (bare) {
        this.i++;
        key = literal(keyToken.text);
      } else key = this.expression();
      if (!this.accept('=')) this.expect(':');
      entries.push({ key, value: this.expression() });
      this.accept(',');
    }
    return { kind: 'object', entries };
  }

  /** `[for k, v in coll : expr if cond]` or `{for k, v in coll : key => value... if cond}`. */
  private forExpression(object: boolean): Node {
    this.i++; // `for`
    const first = this.identifier();
    const second = this.accept(',') ? this.identifier() : undefined;
    if (!this.peekIdent('in')) throw this.fault('"in"', this.peek());
    this.i++;
    const collection = this.expression();
    this.expect(':');
    let keyExpr: Node | undefined;
    if (object) {
      keyExpr = this.expression();
      this.expect('=>');
    }
    const valueExpr = this.expression();
    const group = object && this.accept('...');
    let condition: Node | undefined;
    if (this.peekIdent('if')) {
      this.i++;
      condition = this.expression();
    }
    this.expect(object ? '}' : ']');
    return {
      kind: 'for',
      object,
      key: second === undefined ? undefined : first,
      value: second ?? first,
      collection,
      keyExpr,
      valueExpr,
      condition,
      group,
    };
  }

  private call(name: string): Node {
    const args: Node[] = [];
    let expand = false;
    while (!this.accept(')')) {
      args.push(this.expression());
      if (this.accept('...')) expand = true;
      if (!this.accept(',')) {
        this.expect(')');
        break;
      }
    }
    return { kind: 'call', name, args, expand };
  }

  private identifier(): string {
    const token = this.next();
    if (token.kind !== 'ident') throw this.fault('a name', token);
    return token.text;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private peekIdent(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'ident' && token.text === word;
  }

  private next(): Token {
    const token = this.tokens[this.i++];
    if (!token) throw new SyntaxFault('the expression ends too early', this.text.length);
    return token;
  }

  private accept(text: string): boolean {
    const token = this.peek();
    if (token?.kind !== 'punct' || token.text !== text) return false;
    this.i++;
    return true;
  }

  private expect(text: string): void {
    if (!this.accept(text)) throw this.fault(JSON.stringify(text), this.peek());
  }

  private fault(expected: string, token: Token | undefined): SyntaxFault {
    if (!token) return new SyntaxFault(`expected ${expected}, but the expression ends`, this.text.length);
    return new SyntaxFault(`expected ${expected}, found ${JSON.stringify(token.text)}`, token.at);
  }
}

const literal = (value: unknown): Node => ({ kind: 'literal', value });
const attr = (name: string): Step => ({ kind: 'attr', name });
