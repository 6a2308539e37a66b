import { field, isRecord } from '../model/settings.js';
import { Unresolved } from '../model/unresolved.js';

/**
 * Evaluates ARM template language expressions (`[parameters('x')]`, `[if(…)]`, `[format(…)]`, …) far enough to
 * know security settings from parameter defaults and variables. Anything that depends on deployment time
 * (`reference()`, `resourceId()`, `resourceGroup()`, …) stays an `Unresolved` value, never a guess.
 */

export interface Scope {
  parameter(name: string): unknown;
  variable(name: string): unknown;
}

type Node =
  | { readonly type: 'literal'; readonly value: string | number }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Node[] }
  | { readonly type: 'member'; readonly object: Node; readonly property: string }
  | { readonly type: 'index'; readonly object: Node; readonly index: Node };

/** `[expr]` (not `[[`, which escapes a literal `[`). */
export function isExpression(value: string): boolean {
  return value.startsWith('[') && !value.startsWith('[[') && value.endsWith(']');
}

/** Evaluates every expression inside a JSON value; literal parts keep their shape. */
export function evaluateDeep(value: unknown, scope: Scope, depth = 0): unknown {
  if (depth > 64) return new Unresolved('(deeply nested value)', 'nested too deeply to evaluate');
  if (typeof value === 'string') {
    if (isExpression(value)) return evaluate(value, scope);
    return value.startsWith('[[') ? value.slice(1) : value;
  }
  if (Array.isArray(value)) return value.map((item) => evaluateDeep(item, scope, depth + 1));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateDeep(v, scope, depth + 1)]));
  }
  return value;
}

export function evaluate(expression: string, scope: Scope): unknown {
  let node: Node;
  try {
    node = new Parser(expression.slice(1, -1)).parseWhole();
  } catch (error) {
    return new Unresolved(expression, `cannot parse the expression: ${(error as Error).message}`);
  }
  return new Evaluator(expression, scope).run(node);
}

class Parser {
  private at = 0;

  constructor(private readonly source: string) {}

  parseWhole(): Node {
    const node = this.parseExpression();
    this.skipSpace();
    if (this.at < this.source.length) throw new Error(`unexpected '${this.source[this.at]}'`);
    return node;
  }

  private parseExpression(): Node {
    this.skipSpace();
    let node = this.parsePrimary();
    for (;;) {
      this.skipSpace();
      const char = this.source[this.at];
      if (char === '.') {
        this.at++;
        node = { type: 'member', object: node, property: this.identifier() };
      } else if (char === '[') {
        this.at++;
        const index = this.parseExpression();
        this.expect(']');
        node = { type: 'index', object: node, index };
      } else {
        return node;
      }
    }
  }

  private parsePrimary(): Node {
    const char = this.source[this.at];
    if (char === "'") return { type: 'literal', value: this.string() };
    if (char !== undefined && /[-\d]/.test(char)) {
      const match = /^-?\d+(\.\d+)?/.exec(this.source.slice(this.at));
      if (!match) throw new Error('invalid number');
      this.at += match[0].length;
      return { type: 'literal', value: Number(match[0]) };
    }
    const name = this.identifier();
    this.skipSpace();
    this.expect('(');
    const args: Node[] = [];
    this.skipSpace();
    if (this.source[this.at] !== ')') {
      for (;;) {
        args.push(this.parseExpression());
        this.skipSpace();
        if (this.source[this.at] !== ',') break;
        this.at++;
      }
    }
    this.expect(')');
    return { type: 'call', name, args };
  }

  private string(): string {
    let out = '';
    this.at++;
    for (;;) {
      const char = this.source[this.at++];
      if (char === undefined) throw new Error('unterminated string');
      if (char === "'") {
        if (this.source[this.at] !== "'") return out;
        this.at++;
      }
      out += char;
    }
  }

  private identifier(): string {
    const match = /^[A-Za-z_][\w]*/.exec(this.source.slice(this.at));
    if (!match) throw new Error(`expected a name at '${this.source.slice(this.at, this.at + 10)}'`);
    this.at += match[0].length;
    return match[0];
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.source[this.at] !== char) throw new Error(`expected '${char}'`);
    this.at++;
  }

  private skipSpace(): void {
    while (this.source[this.at] === ' ' || this.source[this.at] === '\t') this.at++;
  }
}

class Evaluator {
  constructor(
    private readonly expression: string,
    private readonly scope: Scope,
  ) {}

  run(node: Node): unknown {
    switch (node.type) {
      case 'literal':
        return node.value;
      case 'member': {
        const object = this.run(node.object);
        if (object instanceof Unresolved) return object;
        return isRecord(object) ? (field(object, node.property) ?? null) : this.unknown(`no property ${node.property}`);
      }
      case 'index': {
        const object = this.run(node.object);
        const index = this.run(node.index);
        if (object instanceof Unresolved) return object;
        if (index instanceof Unresolved) return index;
        if (Array.isArray(object) && typeof index === 'number') return object[index] ?? null;
        if (isRecord(object) && typeof index === 'string') return field(object, index) ?? null;
        return this.unknown('index out of range');
      }
      case 'call':
        return this.call(node.name, node.args);
    }
  }

  private unknown(reason: string): Unresolved {
    return new Unresolved(this.expression, reason);
  }

  /** Evaluates all arguments; any unresolved one makes the whole call unresolved. */
  private all(args: readonly Node[]): unknown[] | Unresolved {
    const values = args.map((a) => this.run(a));
    return values.find((v): v is Unresolved => v instanceof Unresolved) ?? values;
  }

  private call(name: string, args: readonly Node[]): unknown {
    const fn = name.toLowerCase();
    switch (fn) {
      case 'if': {
        const condition = this.run(args[0] as Node);
        if (condition instanceof Unresolved) return condition;
        return this.run(args[condition === true ? 1 : 2] as Node);
      }
      case 'and':
      case 'or': {
        let sawUnknown: Unresolved | undefined;
        for (const arg of args) {
          const value = this.run(arg);
          if (value instanceof Unresolved) sawUnknown ??= value;
          else if (Boolean(value) === (fn === 'or')) return fn === 'or';
        }
        return sawUnknown ?? fn === 'and';
      }
      case 'coalesce':
        for (const arg of args) {
          const value = this.run(arg);
          if (value instanceof Unresolved) return value;
          if (value !== null && value !== undefined) return value;
        }
        return null;
    }
    const values = this.all(args);
    if (values instanceof Unresolved) return values;
    return this.pure(name, values);
  }

  /**
   * .NET composite formatting as ARM does it: `{0}` by position, `{{` and `}}` for braces, booleans as `True` and
   * `False`. A format specifier (`{0:N0}`) or an argument that is not given makes it unknown, never a guess.
   */
  private format(template: string, values: unknown[]): unknown {
    let unknown: string | undefined;
    const text = template.replace(/\{\{|\}\}|\{(\d+)(:[^}]*)?\}/g, (match, index?: string, specifier?: string) => {
      if (index === undefined) return match.charAt(0);
      if (specifier) unknown = `format() with the format specifier ${match}, which aksguard does not apply`;
      if (Number(index) >= values.length) unknown = `format() names argument ${index} but is given ${values.length}`;
      return dotNetText(values[Number(index)]);
    });
    return unknown ? this.unknown(unknown) : text;
  }

  private pure(name: string, v: unknown[]): unknown {
    const [a, b] = v;
    switch (name.toLowerCase()) {
      case 'parameters':
        return this.scope.parameter(String(a));
      case 'variables':
        return this.scope.variable(String(a));
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
        return null;
      case 'not':
        return !a;
      case 'equals':
        return sameValue(a, b);
      case 'bool':
        return typeof a === 'string' ? a.toLowerCase() === 'true' : Boolean(a);
      case 'string':
        return typeof a === 'string' ? a : JSON.stringify(a);
      case 'int':
        return Number.parseInt(String(a), 10);
      case 'tolower':
        return String(a).toLowerCase();
      case 'toupper':
        return String(a).toUpperCase();
      case 'empty':
        return (
          a === null || a === '' || (Array.isArray(a) && a.length === 0) || (isRecord(a) && Object.keys(a).length === 0)
        );
      case 'length':
        return Array.isArray(a) || typeof a === 'string' ? a.length : isRecord(a) ? Object.keys(a).length : 0;
      case 'contains':
        return Array.isArray(a) || typeof a === 'string'
          ? a.includes(b as never)
          : isRecord(a) && field(a, String(b)) !== undefined;
      case 'concat':
        return v.every(Array.isArray)
          ? v.flat()
          : v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('');
      case 'format':
        return this.format(String(a), v.slice(1));
      case 'createarray':
        return v;
      case 'createobject':
        return Object.fromEntries(v.flatMap((x, i) => (i % 2 === 0 ? [[String(x), v[i + 1]]] : [])));
      case 'union':
        return v.every(Array.isArray) ? [...new Set(v.flat())] : v.reduce(merged, {});
      case 'json':
        try {
          return JSON.parse(String(a));
        } catch {
          return this.unknown('json() of invalid text');
        }
      case 'first':
        return Array.isArray(a) ? (a[0] ?? null) : String(a).slice(0, 1);
      case 'last':
        return Array.isArray(a) ? (a.at(-1) ?? null) : String(a).slice(-1);
      case 'split':
        return (Array.isArray(b) ? b.map(String) : [String(b)]).reduce<string[]>(
          (parts, separator) => parts.flatMap((part) => part.split(separator)),
          [String(a)],
        );
      case 'replace':
        // .NET cannot replace an empty string; JavaScript would insert the text between every character.
        return b === '' ? String(a) : String(a).replaceAll(String(b), String(v[2]));
      case 'trim':
        return String(a).trim();
      case 'startswith':
        return String(a).toLowerCase().startsWith(String(b).toLowerCase());
      case 'endswith':
        return String(a).toLowerCase().endsWith(String(b).toLowerCase());
      case 'greater':
        return (a as number) > (b as number);
      case 'less':
        return (a as number) < (b as number);
      case 'greaterorequals':
        return (a as number) >= (b as number);
      case 'lessorequals':
        return (a as number) <= (b as number);
      default:
        return this.unknown(`${name}() is known only at deployment time`);
    }
  }
}

/** A value as .NET writes it into text: booleans as `True` and `False`, arrays and objects as JSON. */
function dotNetText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** ARM's equality: the same type and content; objects by their properties, in any order. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (!isRecord(a) || !isRecord(b)) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameValue(a[k], b[k]));
}

/** ARM's `union` of objects: a later argument's property wins, and objects under the same key are merged in turn. */
function merged(into: Record<string, unknown>, from: unknown): Record<string, unknown> {
  const out = { ...into };
  for (const [key, value] of Object.entries(isRecord(from) ? from : {})) {
    const mine = out[key];
    out[key] = isRecord(mine) && isRecord(value) ? merged(mine, value) : value;
  }
  return out;
}
