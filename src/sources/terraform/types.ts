import { Unresolved } from '../../model/unresolved.js';
import { Expr } from './expression.js';
import { type Node, parseExpression, parseTemplate } from './syntax.js';
import { isPlainObject, Sensitive, unmark } from './values.js';

/** A variable's `type` constraint, as far as it changes values: optional attributes and their defaults. */
export type TypeSpec =
  | { kind: 'any' }
  | { kind: 'string' | 'number' | 'bool' }
  | { kind: 'list' | 'set' | 'map'; element: TypeSpec }
  | { kind: 'object'; attributes: Map<string, Attribute> }
  | { kind: 'tuple'; items: TypeSpec[] };

interface Attribute {
  readonly type: TypeSpec;
  readonly optional: boolean;
  readonly fallback: unknown;
}

const ANY: TypeSpec = { kind: 'any' };

/** Reads a `type = …` value (hcl2json's `"${object({…})}"` or an `Expr`); anything unexpected is `any`. */
export function parseType(raw: unknown): TypeSpec {
  try {
    if (raw instanceof Expr) return typeOf(parseExpression(raw.text));
    if (typeof raw === 'string') return typeOf(parseTemplate(raw, false));
  } catch {
    // A type aksguard cannot read only loses the defaults it would add.
  }
  return ANY;
}

function typeOf(node: Node): TypeSpec {
  if (node.kind === 'name') {
    return node.name === 'string' || node.name === 'number' || node.name === 'bool' ? { kind: node.name } : ANY;
  }
  if (node.kind !== 'call') return ANY;
  const [first] = node.args;
  if (!first) return ANY;
  if (node.name === 'list' || node.name === 'set' || node.name === 'map')
    return { kind: node.name, element: typeOf(first) };
  if (node.name === 'tuple' && first.kind === 'list') return { kind: 'tuple', items: first.items.map(typeOf) };
  if (node.name === 'object' && first.kind === 'object') {
    const attributes = new Map<string, Attribute>();
    for (const entry of first.entries) {
      const name =
        entry.key.kind === 'literal' ? String(entry.key.value) : entry.key.kind === 'name' ? entry.key.name : undefined;
      if (name !== undefined) attributes.set(name, attribute(entry.value));
    }
    return { kind: 'object', attributes };
  }
  return ANY;
}

function attribute(node: Node): Attribute {
  if (node.kind === 'call' && node.name === 'optional' && node.args[0]) {
    const fallback = node.args[1] ? constant(node.args[1]) : null;
    return { type: typeOf(node.args[0]), optional: true, fallback };
  }
  return { type: typeOf(node), optional: false, fallback: null };
}

/** A default inside `optional(T, default)`: Terraform allows only constants there. */
function constant(node: Node): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'list':
      return node.items.map(constant);
    case 'object':
      return Object.fromEntries(node.entries.map((e) => [String(constant(e.key)), constant(e.value)]));
    case 'name':
      return node.name;
    default:
      return new Unresolved('optional(…)', 'a default that is not a constant');
  }
}

/**
 * Converts a value to its type as Terraform does when a module receives it: missing optional attributes get
 * their default (or null), a null optional attribute with a default gets the default, attributes the type does
 * not declare are dropped, strings and numbers and bools convert into one another.
 */
export function convert(value: unknown, type: TypeSpec): unknown {
  if (value instanceof Unresolved || value === null || value === undefined || type.kind === 'any') return value;
  if (type.kind === 'string' || type.kind === 'number' || type.kind === 'bool') return primitive(value, type.kind);
  if (type.kind === 'object') {
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [name, attr] of type.attributes) {
      const given = Object.hasOwn(value, name) ? value[name] : undefined;
      if (given === undefined && !attr.optional) return value; // Terraform would reject it: keep it as written
      const absent = given === undefined || given === null;
      out[name] = convert(absent ? (attr.optional ? attr.fallback : null) : given, attr.type);
    }
    return out;
  }
  if (type.kind === 'map') {
    if (!isPlainObject(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, type.element)]));
  }
  if (type.kind === 'tuple') {
    return Array.isArray(value) ? value.map((v, i) => convert(v, type.items[i] ?? ANY)) : value;
  }
  if (!Array.isArray(value) || (type.kind !== 'list' && type.kind !== 'set')) return value;
  const items = value.map((v) => convert(v, type.element));
  return type.kind === 'set' && items.every((v) => typeof v === 'string')
    ? [...new Set(items as string[])].sort()
    : items;
}

function primitive(value: unknown, kind: 'string' | 'number' | 'bool'): unknown {
  const [plain, marked] = unmark(value);
  let out = plain;
  if (kind === 'string' && (typeof plain === 'number' || typeof plain === 'boolean')) out = String(plain);
  if (kind === 'number' && typeof plain === 'string' && plain.trim() !== '' && !Number.isNaN(Number(plain))) {
    out = Number(plain);
  }
  if (kind === 'bool' && (plain === 'true' || plain === 'false')) out = plain === 'true';
  return marked ? new Sensitive(out as string | number | boolean) : out;
}
