import { Unresolved } from '../../model/unresolved.js';

/** What references evaluate to: `var.x`, `local.x`, `each.key`, `count.index`; undefined for any other root. */
export interface Scope {
  reference(root: string, name: string): unknown;
}

/**
 * Evaluates a value from `@cdktf/hcl2json`'s output: strings are HCL templates (`"${var.x}"` is the expression
 * `var.x`, `"a-${var.x}"` a template), lists and objects are evaluated item by item. What cannot be known
 * without running Terraform (resource attributes, data sources, unknown functions, `for` expressions) becomes an
 * `Unresolved` holding the expression text, never a guess.
 */
export function evaluate(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') return evaluateTemplate(value, scope, false);
  if (Array.isArray(value)) return value.map((item) => evaluate(item, scope));
  if (value !== null && typeof value === 'object' && !(value instanceof Unresolved)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v, scope)]));
  }
  return value;
}

/** The expression text of an hcl2json value: `"${x}"` gives `x`; anything else is a literal or template. */
export function expressionText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = splitTemplate(value, false);
  return parts?.length === 1 && parts[0]?.kind === 'expression' ? parts[0].text : undefined;
}

type Part = { kind: 'literal'; text: string } | { kind: 'expression'; text: string };

function evaluateTemplate(template: string, scope: Scope, escaped: boolean): unknown {
  if (!template.includes('{')) return escaped ? unescapeString(template) : template;
  const parts = splitTemplate(template, escaped);
  if (!parts) return new Unresolved(template, 'a template directive (%{…}) is not evaluated by aksguard');
  if (parts.length === 1 && parts[0]?.kind === 'expression') return evaluateExpression(parts[0].text, scope);
  let out = '';
  for (const part of parts) {
    if (part.kind === 'literal') {
      out += part.text;
      continue;
    }
    const value = evaluateExpression(part.text, scope);
    if (value instanceof Unresolved) return new Unresolved(template, value.reason);
    if (value !== null && typeof value === 'object')
      return new Unresolved(template, 'a template joins a list or object');
    out += String(value);
  }
  return out;
}

/** Splits `a ${x} b` into literal and `${…}` parts; undefined for a template with `%{…}` directives. */
function splitTemplate(template: string, escaped: boolean): Part[] | undefined {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i] as string;
    if (escaped && c === '\\') {
      literal += unescapeString(template.slice(i, i + (template[i + 1] === 'u' ? 6 : 2)));
      i += template[i + 1] === 'u' ? 6 : 2;
    } else if ((c === '$' || c === '%') && template[i + 1] === c && template[i + 2] === '{') {
      literal += `${c}{`;
      i += 3;
    } else if ((c === '$' || c === '%') && template[i + 1] === '{') {
      const end = closingBrace(template, i + 2);
      if (c === '%') return undefined;
      if (literal) parts.push({ kind: 'literal', text: literal });
      literal = '';
      parts.push({ kind: 'expression', text: template.slice(i + 2, end).replace(/^~|~$/g, '') });
      i = end + 1;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal || parts.length === 0) parts.push({ kind: 'literal', text: literal });
  return parts;
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return text.length;
}

function unescapeString(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e[0] === 'u') return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e;
  });
}

/** Thrown inside the parser for syntax it does not evaluate; the expression then becomes `Unresolved`. */
class Unsupported extends Error {}

export function evaluateExpression(text: string, scope: Scope): unknown {
  try {
    const parser = new Parser(tokenize(text), scope);
    const value = parser.expression();
    if (!parser.done()) throw new Unsupported('syntax aksguard does not evaluate');
    return value instanceof Unresolved ? new Unresolved(text.trim(), value.reason) : value;
  } catch (error) {
    if (error instanceof Unsupported) return new Unresolved(text.trim(), error.message);
    throw error;
  }
}

interface Token {
  readonly kind: 'number' | 'string' | 'ident' | 'punct' | 'heredoc';
  readonly text: string;
}

const PUNCTUATION = ['==', '!=', '<=', '>=', '&&', '||', '=>', '...', ...'()[]{},.:?=<>!+-*/%'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === '#' || (c === '/' && text[i + 1] === '/'))
      i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
    else if (c === '/' && text[i + 1] === '*')
      i = text.indexOf('*/', i) === -1 ? text.length : text.indexOf('*/', i) + 2;
    else if (/[0-9]/.test(c)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'number', text: match[0] });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'ident', text: match[0] });
      i += match[0].length;
    } else if (c === '"') {
      const end = stringEnd(text, i + 1);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '<' && text[i + 1] === '<') {
      throw new Unsupported('a heredoc inside an expression');
    } else {
      const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
      if (!punct) throw new Unsupported(`unexpected '${c}'`);
      tokens.push({ kind: 'punct', text: punct });
      i += punct.length;
    }
  }
  return tokens;
}

function stringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i;
    else if ((c === '$' || c === '%') && text[i + 1] === '{') i = closingBrace(text, i + 2);
  }
  throw new Unsupported('an unterminated string');
}

const BINARY: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

/** A recursive-descent evaluator for HCL's expression syntax: it computes values as it parses. */
class Parser {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly scope: Scope,
  ) {}

  done(): boolean {
    return this.i >= this.tokens.length;
  }

  expression(): unknown {
    const condition = this.binary(0);
    if (!this.accept('?')) return condition;
    const yes = this.expression();
    this.expect(':');
    const no = this.expression();
    if (condition instanceof Unresolved) {
      return known(yes) && known(no) && JSON.stringify(yes) === JSON.stringify(no) ? yes : condition;
    }
    return condition === true ? yes : no;
  }

  private binary(level: number): unknown {
    const operators = BINARY[level];
    if (!operators) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const op = this.peek();
      if (op?.kind !== 'punct' || !operators.includes(op.text)) return left;
      this.i++;
      left = applyBinary(op.text, left, this.binary(level + 1));
    }
  }

  private unary(): unknown {
    if (this.accept('!')) {
      const value = this.unary();
      return value instanceof Unresolved ? value : typeof value === 'boolean' ? !value : unsupported('! on a non-bool');
    }
    if (this.accept('-')) {
      const value = this.unary();
      return value instanceof Unresolved
        ? value
        : typeof value === 'number'
          ? -value
          : unsupported('- on a non-number');
    }
    return this.postfix(this.primary());
  }

  private postfix(value: unknown): unknown {
    for (;;) {
      if (this.accept('.')) {
        const next = this.next();
        if (next.text === '*') throw new Unsupported('a splat expression');
        value = index(value, next.kind === 'number' ? Number(next.text) : next.text);
      } else if (this.accept('[')) {
        if (this.accept('*')) throw new Unsupported('a splat expression');
        const key = this.expression();
        this.expect(']');
        value = key instanceof Unresolved ? key : index(value, key);
      } else return value;
    }
  }

  private primary(): unknown {
    const token = this.next();
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'string') return evaluateTemplate(token.text, this.scope, true);
    if (token.kind === 'punct') {
      if (token.text === '(') {
        const value = this.expression();
        this.expect(')');
        return value;
      }
      if (token.text === '[') return this.list();
      if (token.text === '{') return this.object();
      throw new Unsupported(`unexpected '${token.text}'`);
    }
    if (token.text === 'true') return true;
    if (token.text === 'false') return false;
    if (token.text === 'null') return null;
    if (this.accept('(')) return this.call(token.text);
    return this.reference(token.text);
  }

  /** `var.x`, `local.x`, `each.key`, `count.index`, a dynamic block's iterator; anything else is unknown. */
  private reference(root: string): unknown {
    const next = this.tokens[this.i + 1];
    if (this.peek()?.text !== '.' || next?.kind !== 'ident') {
      return new Unresolved(root, `${root} is only known when Terraform runs`);
    }
    this.i += 2;
    const value = this.scope.reference(root, next.text);
    if (value !== undefined) return value;
    const reason = ['var', 'local', 'each', 'count'].includes(root)
      ? `${root}.${next.text} is not defined`
      : `${root}.${next.text} is only known when Terraform runs`;
    return new Unresolved(`${root}.${next.text}`, reason);
  }

  private list(): unknown[] {
    if (this.peek()?.text === 'for') throw new Unsupported('a for expression');
    const items: unknown[] = [];
    while (!this.accept(']')) {
      items.push(this.expression());
      if (!this.accept(',')) {
        this.expect(']');
        break;
      }
    }
    return items;
  }

  private object(): unknown {
    if (this.peek()?.text === 'for') throw new Unsupported('a for expression');
    const out: Record<string, unknown> = {};
    let unresolvedKey: Unresolved | undefined;
    while (!this.accept('}')) {
      const keyToken = this.peek();
      const bare = keyToken?.kind === 'ident' && ['=', ':'].includes(this.tokens[this.i + 1]?.text ?? '');
      if (bare) this.i++;
      const key = bare ? keyToken.text : this.expression();
      if (!this.accept('=')) this.expect(':');
      const value = this.expression();
      if (key instanceof Unresolved) unresolvedKey = key;
      else out[String(key)] = value;
      this.accept(',');
    }
    return unresolvedKey ?? out;
  }

  private call(name: string): unknown {
    const args: unknown[] = [];
    while (!this.accept(')')) {
      args.push(this.expression());
      if (this.accept('...')) throw new Unsupported('argument expansion');
      if (!this.accept(',')) {
        this.expect(')');
        break;
      }
    }
    return callFunction(name, args);
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(): Token {
    const token = this.tokens[this.i++];
    if (!token) throw new Unsupported('an incomplete expression');
    return token;
  }

  private accept(text: string): boolean {
    const token = this.peek();
    if (token?.kind !== 'punct' || token.text !== text) return false;
    this.i++;
    return true;
  }

  private expect(text: string): void {
    if (!this.accept(text)) throw new Unsupported(`expected '${text}'`);
  }
}

function unsupported(what: string): never {
  throw new Unsupported(what);
}

function known(value: unknown): boolean {
  if (value instanceof Unresolved) return false;
  if (Array.isArray(value)) return value.every(known);
  if (value !== null && typeof value === 'object') return Object.values(value).every(known);
  return true;
}

function index(value: unknown, key: unknown): unknown {
  if (value instanceof Unresolved) return value;
  if (Array.isArray(value) && typeof key === 'number') {
    return key in value ? value[key] : unsupported(`index ${key} out of range`);
  }
  if (value !== null && typeof value === 'object' && (typeof key === 'string' || typeof key === 'number')) {
    const record = value as Record<string, unknown>;
    return Object.hasOwn(record, String(key)) ? record[String(key)] : unsupported(`no attribute '${key}'`);
  }
  return unsupported('indexing a value that is not a list or object');
}

function applyBinary(op: string, left: unknown, right: unknown): unknown {
  if (op === '&&') {
    if (left === false || right === false) return false;
    return left instanceof Unresolved ? left : right instanceof Unresolved ? right : left === true && right === true;
  }
  if (op === '||') {
    if (left === true || right === true) return true;
    return left instanceof Unresolved ? left : right instanceof Unresolved ? right : false;
  }
  if (!known(left)) return left instanceof Unresolved ? left : new Unresolved(op, 'an operand is unknown');
  if (!known(right)) return right instanceof Unresolved ? right : new Unresolved(op, 'an operand is unknown');
  if (op === '==') return JSON.stringify(left) === JSON.stringify(right);
  if (op === '!=') return JSON.stringify(left) !== JSON.stringify(right);
  const a = Number(left);
  const b = Number(right);
  if (Number.isNaN(a) || Number.isNaN(b)) return unsupported(`'${op}' on non-numbers`);
  switch (op) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    default:
      return a % b;
  }
}

/** The functions whose result follows from known arguments alone; any other call stays unknown. */
const FUNCTIONS: Record<string, (args: unknown[]) => unknown> = {
  // A jsonencode'd value is kept as its structure: the only consumer, azapi_resource's `body`, wants the object.
  jsonencode: ([value]) => value,
  jsondecode: ([value]) => (typeof value === 'string' ? JSON.parse(value) : unsupported('jsondecode')),
  tostring: ([value]) => (value === null ? null : String(value)),
  tonumber: ([value]) => Number(value),
  tobool: ([value]) => (value === 'true' ? true : value === 'false' ? false : value),
  tolist: ([value]) => value,
  toset: ([value]) =>
    Array.isArray(value) ? [...new Set(value.map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v)) : value,
  tomap: ([value]) => value,
  lower: ([value]) => String(value).toLowerCase(),
  upper: ([value]) => String(value).toUpperCase(),
  trimspace: ([value]) => String(value).trim(),
  format: ([spec, ...rest]) => {
    let n = 0;
    return String(spec).replace(/%[sdv%]/g, (m) => (m === '%%' ? '%' : String(rest[n++])));
  },
  join: ([sep, list]) => (Array.isArray(list) ? list.join(String(sep)) : unsupported('join')),
  split: ([sep, text]) => String(text).split(String(sep)),
  length: ([value]) =>
    Array.isArray(value) ? value.length : typeof value === 'string' ? value.length : Object.keys(value ?? {}).length,
  concat: (lists) => lists.flatMap((l) => (Array.isArray(l) ? l : unsupported('concat of a non-list'))),
  merge: (maps) => Object.assign({}, ...maps.map((m) => (m !== null && typeof m === 'object' ? m : {}))),
  contains: ([list, item]) => Array.isArray(list) && list.some((v) => JSON.stringify(v) === JSON.stringify(item)),
  coalesce: (args) => args.find((a) => a !== null && a !== '') ?? unsupported('coalesce of nothing'),
  lookup: ([map, key, fallback]) => {
    const record = map as Record<string, unknown>;
    if (record !== null && typeof record === 'object' && Object.hasOwn(record, String(key))) return record[String(key)];
    return fallback === undefined ? unsupported('lookup of a missing key') : fallback;
  },
  try: (args) => args.find((a) => !(a instanceof Unresolved)) ?? args[0],
  element: ([list, i]) => (Array.isArray(list) ? list[Number(i) % list.length] : unsupported('element')),
  keys: ([map]) => Object.keys(map as object).sort(),
  values: ([map]) =>
    Object.keys(map as object)
      .sort()
      .map((k) => (map as Record<string, unknown>)[k]),
};

/** Functions that keep their arguments' structure: unknown parts inside a list or object stay where they are. */
const STRUCTURAL = new Set(['jsonencode', 'tolist', 'tomap', 'toset', 'merge', 'concat']);

function callFunction(name: string, args: unknown[]): unknown {
  const fn = FUNCTIONS[name];
  if (!fn) return new Unresolved(`${name}(…)`, `function ${name}() is not evaluated by aksguard`);
  if (name !== 'try') {
    const unknown = STRUCTURAL.has(name) ? args.find((a) => a instanceof Unresolved) : args.find((a) => !known(a));
    if (unknown !== undefined) return new Unresolved(`${name}(…)`, `an argument of ${name}() is unknown`);
  }
  try {
    const value = fn(args);
    return value === undefined ? new Unresolved(`${name}(…)`, `${name}() has no value for these arguments`) : value;
  } catch (error) {
    // Terraform would reject the call (wrong argument types, invalid JSON): its value is not known either.
    const reason = error instanceof Error ? error.message : String(error);
    return new Unresolved(`${name}(…)`, `${name}() failed: ${reason}`);
  }
}
