import { Unresolved } from '../../model/unresolved.js';
import { FUNCTIONS, same } from './functions.js';
import { bool, operate, unary } from './operators.js';
import { type Node, parseExpression, parseTemplate, type Step, type TemplatePart } from './syntax.js';
import { SyntaxFault } from './tokens.js';
import {
  Budget,
  brief,
  checkSize,
  Failed,
  firstUnknown,
  isPlainObject,
  markDeep,
  NotEvaluated,
  Reference,
  Sensitive,
  TerraformError,
  unmark,
  unmarkDeep,
} from './values.js';

/** What names evaluate to in one place of a configuration. */
export interface Scope {
  /** `var.x`, `local.x`, `module.x`, `each.key`, `count.index`, `path.module`; undefined when not defined here. */
  reference(root: string, name: string): unknown;
  /** A name bound by a `for` expression or a dynamic block's iterator; undefined when not bound. */
  bound?(name: string): unknown;
  /** The module address resources are referenced in (`module.aks.`), '' at the root. */
  readonly module?: string | undefined;
  /** The scan's evaluation budget; a fresh one per call when absent. */
  readonly budget?: Budget | undefined;
}

/** An expression as the HCL reader found it: its text, parsed and evaluated on demand. */
export class Expr {
  constructor(readonly text: string) {}
}

/** An object whose attributes are computed when asked (a module's outputs): only what is read is evaluated. */
export class LazyObject {
  constructor(
    readonly names: readonly string[],
    private readonly lookup: (name: string) => unknown,
  ) {}

  get(name: string): unknown {
    if (!this.names.includes(name)) throw new TerraformError(`no output "${name}"`);
    return this.lookup(name);
  }

  materialize(): Record<string, unknown> {
    return Object.fromEntries(this.names.map((n) => [n, this.lookup(n)]));
  }
}

const NAMESPACES = new Set(['var', 'local', 'module', 'each', 'count', 'path', 'terraform', 'self']);

/**
 * Evaluates a configuration value: an `Expr`, or `@cdktf/hcl2json`'s output, where strings are templates
 * (`"${var.x}"` is the expression `var.x`). Lists and objects are evaluated item by item. What cannot be known
 * without running Terraform (resource attributes, data sources, variables without a value) becomes an
 * `Unresolved` naming that input, never a guess; parts derived from `sensitive` values are marked `Sensitive`.
 */
export function evaluate(value: unknown, scope: Scope): unknown {
  if (value instanceof Expr) return guarded(value.text, scope, () => parseExpression(value.text));
  if (typeof value === 'string') {
    if (!value.includes('{')) return value;
    return guarded(value, scope, () => parseTemplate(value, false));
  }
  if (Array.isArray(value)) return value.map((item) => evaluate(item, scope));
  if (isPlainObject(value)) return evaluateObject(value, scope);
  return value;
}

/** hcl2json keeps an object key that is an expression as a template (`"${var.k}"`): evaluate it like a value. */
function evaluateObject(value: Record<string, unknown>, scope: Scope): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k.includes('${') ? unmark(evaluate(k, scope))[0] : k;
    if (key instanceof Unresolved) return key;
    out[String(key)] = evaluate(v, scope);
  }
  return out;
}

/** Evaluates `text` parsed by `parse`; a Terraform error, an exceeded limit or odd syntax make it unknown. */
function guarded(text: string, scope: Scope, parse: () => Node): unknown {
  try {
    return evalNode(parse(), scope, scope.budget ?? new Budget());
  } catch (error) {
    const reason =
      error instanceof TerraformError
        ? `Terraform would reject it: ${error.message}`
        : error instanceof NotEvaluated
          ? error.message
          : error instanceof SyntaxFault
            ? `syntax aksguard does not read: ${error.message}`
            : error instanceof RangeError
              ? 'not evaluated: nested too deeply'
              : undefined;
    if (reason === undefined) throw error;
    return new Failed(brief(text), reason);
  }
}

function evalNode(node: Node, scope: Scope, budget: Budget): unknown {
  budget.spend();
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'template':
      return template(node.parts, scope, budget);
    case 'name':
      return path(node, [], scope, budget);
    case 'path':
      return path(node.base, node.steps, scope, budget);
    case 'unary':
      return unary(node.op, evalNode(node.operand, scope, budget));
    case 'binary':
      return binary(node, scope, budget);
    case 'conditional':
      return conditional(node, scope, budget);
    case 'list':
      return checkSize(node.items.map((item) => evalNode(item, scope, budget)));
    case 'object':
      return object(node.entries, scope, budget);
    case 'call':
      return call(node, scope, budget);
    case 'for':
      return forExpression(node, scope, budget);
  }
}

function path(base: Node, steps: readonly Step[], scope: Scope, budget: Budget): unknown {
  let value: unknown;
  let rest = steps;
  if (base.kind !== 'name') value = evalNode(base, scope, budget);
  else {
    const name = base.name;
    const bound = scope.bound?.(name);
    if (bound !== undefined) value = bound;
    else {
      const root = rootValue(name, steps, scope, budget);
      value = root.value;
      rest = steps.slice(root.used);
    }
  }
  for (const [i, step] of rest.entries()) {
    if (step.kind === 'splat') return splat(value, rest.slice(i + 1), scope, budget);
    value = applyStep(value, step, scope, budget);
  }
  return materialize(value);
}

/** A module's outputs (or a list or map of them) as a plain value, once it is used as a whole. */
function materialize(value: unknown): unknown {
  if (value instanceof LazyObject) return value.materialize();
  if (Array.isArray(value) && value.some((v) => v instanceof LazyObject)) return value.map(materialize);
  if (isPlainObject(value) && Object.values(value).some((v) => v instanceof LazyObject)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialize(v)]));
  }
  return value;
}

/** The value a name and its first steps denote: a scope's namespace, a data source or a resource reference. */
function rootValue(
  name: string,
  steps: readonly Step[],
  scope: Scope,
  budget: Budget,
): { value: unknown; used: number } {
  const attr = (i: number) => (steps[i]?.kind === 'attr' ? (steps[i] as { name: string }).name : undefined);
  const first = attr(0);
  if (first === undefined) return { value: new Unresolved(name, `${name} is not defined here`), used: 0 };
  const module = scope.module ?? '';
  if (NAMESPACES.has(name)) {
    const value = scope.reference(name, first);
    if (value !== undefined) return { value, used: 1 };
    const reason =
      name === 'var' || name === 'local' ? 'not declared in this module' : 'only known when Terraform runs';
    return { value: new Unresolved(`${name}.${first}`, reason), used: 1 };
  }
  if (name === 'data') {
    const resource = attr(1);
    if (resource === undefined) return { value: new Unresolved(`data.${first}`, 'a malformed reference'), used: 1 };
    const written = `data.${first}.${resource}`;
    return instanceReference(`${module}${written}`, written, steps, 2, scope, budget);
  }
  return instanceReference(`${module}${name}.${first}`, `${name}.${first}`, steps, 1, scope, budget);
}

/** `type.name` or `type.name[key]`: a reference whose address includes the instance key when it is known. */
function instanceReference(
  address: string,
  written: string,
  steps: readonly Step[],
  used: number,
  scope: Scope,
  budget: Budget,
): { value: unknown; used: number } {
  const next = steps[used];
  if (next?.kind !== 'index') return { value: new Reference(address, '', written), used };
  const [key] = unmark(evalNode(next.key, scope, budget));
  if (key instanceof Unresolved || (typeof key !== 'number' && typeof key !== 'string')) {
    return { value: new Reference(address, '', `${written}[…]`), used: used + 1 };
  }
  const suffix = `[${typeof key === 'number' ? key : JSON.stringify(key)}]`;
  return { value: new Reference(`${address}${suffix}`, '', `${written}${suffix}`), used: used + 1 };
}

function applyStep(value: unknown, step: Step, scope: Scope, budget: Budget): unknown {
  if (step.kind === 'attr') return attribute(value, step.name);
  const [key, marked] = unmark(evalNode((step as { key: Node }).key, scope, budget));
  if (key instanceof Unresolved) return value instanceof Unresolved ? value : key;
  const found = index(value, key);
  return marked ? markDeep(found) : found;
}

function attribute(value: unknown, name: string): unknown {
  if (value instanceof Reference) return value.with(name);
  if (value instanceof Unresolved) return value;
  if (value instanceof LazyObject) return value.get(name);
  if (isPlainObject(value)) {
    if (Object.hasOwn(value, name)) return value[name];
    throw new TerraformError(`no attribute "${name}"`);
  }
  if (value === null) throw new TerraformError(`attribute "${name}" of a null value`);
  throw new TerraformError(`attribute "${name}" of a value that is not an object`);
}

function index(value: unknown, key: unknown): unknown {
  if (value instanceof Reference) return value.with(String(key));
  if (value instanceof Unresolved) return value;
  if (Array.isArray(value)) {
    const i = typeof key === 'number' ? key : Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= value.length)
      throw new TerraformError(`index ${String(key)} out of range`);
    return value[i];
  }
  if (value instanceof LazyObject) return value.get(String(key));
  if (isPlainObject(value)) {
    const name = String(key);
    if (Object.hasOwn(value, name)) return value[name];
    throw new TerraformError(`no element ${JSON.stringify(name)}`);
  }
  throw new TerraformError(value === null ? 'indexing a null value' : 'indexing a value that is not a list or map');
}

/** `x[*].a.b`: the remaining steps applied to every element; a single value is a list of one, null none. */
function splat(value: unknown, steps: readonly Step[], scope: Scope, budget: Budget): unknown {
  if (value instanceof Unresolved) return value;
  const items = value === null ? [] : Array.isArray(value) ? value : [value];
  return items.map((item) => {
    let v = item;
    for (const step of steps) v = step.kind === 'splat' ? v : applyStep(v, step, scope, budget);
    return v;
  });
}

function binary(node: Extract<Node, { kind: 'binary' }>, scope: Scope, budget: Budget): unknown {
  const left = evalNode(node.left, scope, budget);
  const [l, leftMarked] = unmark(left);
  // Terraform evaluates both sides; skipping the right one when the left decides spares errors the author guarded.
  if ((node.op === '&&' && l === false) || (node.op === '||' && l === true)) return left;
  const right = evalNode(node.right, scope, budget);
  const [r, rightMarked] = unmark(right);
  const result = operate(node.op, l, r);
  return (leftMarked || rightMarked) && !(result instanceof Unresolved) ? markDeep(result) : result;
}

function conditional(node: Extract<Node, { kind: 'conditional' }>, scope: Scope, budget: Budget): unknown {
  const [condition, marked] = unmark(evalNode(node.condition, scope, budget));
  if (condition instanceof Unresolved) {
    const a = evalOrUnknown(node.yes, scope, budget);
    const b = evalOrUnknown(node.no, scope, budget);
    return !firstUnknown(a) && !firstUnknown(b) && same(a, b) ? a : condition;
  }
  const result = evalNode(bool(condition) ? node.yes : node.no, scope, budget);
  return marked ? markDeep(result) : result;
}

function evalOrUnknown(node: Node, scope: Scope, budget: Budget): unknown {
  try {
    return evalNode(node, scope, budget);
  } catch (error) {
    if (error instanceof TerraformError) return new Unresolved('(branch)', error.message);
    throw error;
  }
}

function object(entries: readonly { key: Node; value: Node }[], scope: Scope, budget: Budget): unknown {
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    const [key, marked] = unmark(evalNode(entry.key, scope, budget));
    if (key instanceof Unresolved) return key;
    const value = evalNode(entry.value, scope, budget);
    out[keyText(key)] = marked ? markDeep(value) : value;
  }
  return checkSize(out);
}

function keyText(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'boolean') return String(key);
  throw new TerraformError('an object key must be a string');
}

function template(parts: readonly TemplatePart[], scope: Scope, budget: Budget): unknown {
  let out = '';
  let marked = false;
  for (const part of parts) {
    let piece: unknown;
    if (part.kind === 'text') piece = part.text;
    else if (part.kind === 'interpolation') piece = evalNode(part.node, scope, budget);
    else if (part.kind === 'if') {
      const [condition, m] = unmark(evalNode(part.condition, scope, budget));
      if (condition instanceof Unresolved) return condition;
      marked ||= m;
      piece = template(bool(condition) ? part.yes : part.no, scope, budget);
    } else piece = templateFor(part, scope, budget);
    const [value, m] = unmark(piece);
    if (value instanceof Unresolved) return value;
    if (value === null) throw new TerraformError('a null value in a string template');
    if (typeof value === 'object') throw new TerraformError('a list or object in a string template');
    marked ||= m;
    out += String(value);
    checkSize(out);
  }
  return marked ? new Sensitive(out) : out;
}

function templateFor(part: Extract<TemplatePart, { kind: 'for' }>, scope: Scope, budget: Budget): unknown {
  const entries = iterate(evalNode(part.collection, scope, budget));
  if (entries instanceof Unresolved) return entries;
  const pieces = entries.map(([k, v]) => {
    budget.spend();
    return template(part.body, bind(scope, part.key, k, part.value, v), budget);
  });
  const unknown = pieces.find((p) => p instanceof Unresolved);
  if (unknown) return unknown;
  const [joined, marked] = unmarkDeep(pieces);
  const text = (joined as string[]).join('');
  return marked ? new Sensitive(text) : text;
}

/** A collection as (key, value) pairs: list items by index, map entries by sorted key. */
function iterate(collection: unknown): [unknown, unknown][] | Unresolved {
  if (collection instanceof Unresolved) return collection;
  if (Array.isArray(collection)) return collection.map((v, i) => [i, v]);
  if (isPlainObject(collection)) {
    return Object.keys(collection)
      .sort()
      .map((k) => [k, collection[k]]);
  }
  throw new TerraformError(collection === null ? 'a for expression over null' : 'a for expression over a single value');
}

function forExpression(node: Extract<Node, { kind: 'for' }>, scope: Scope, budget: Budget): unknown {
  const entries = iterate(evalNode(node.collection, scope, budget));
  if (entries instanceof Unresolved) return entries;
  const list: unknown[] = [];
  const map: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    budget.spend();
    const inner = bind(scope, node.key, k, node.value, v);
    let include: unknown = true;
    let marked = false;
    if (node.condition) [include, marked] = unmark(evalNode(node.condition, inner, budget));
    if (!node.object) {
      if (include instanceof Unresolved) return include;
      if (bool(include)) list.push(withMark(evalNode(node.valueExpr, inner, budget), marked));
      continue;
    }
    const [key] = unmark(evalNode(node.keyExpr as Node, inner, budget));
    if (key instanceof Unresolved) return key;
    const name = keyText(key);
    // Unlike Terraform, an element whose condition is unknown leaves only that key unknown, not the whole object.
    if (include instanceof Unresolved) map[name] = include;
    else if (bool(include)) {
      const value = withMark(evalNode(node.valueExpr, inner, budget), marked);
      if (node.group) map[name] = [...((map[name] as unknown[] | undefined) ?? []), value];
      else if (Object.hasOwn(map, name))
        throw new TerraformError(`duplicate key ${JSON.stringify(name)} in a for expression`);
      else map[name] = value;
    }
  }
  return checkSize(node.object ? map : list);
}

const withMark = (value: unknown, marked: boolean) => (marked ? markDeep(value) : value);

function bind(scope: Scope, keyName: string | undefined, key: unknown, valueName: string, value: unknown): Scope {
  const names = new Map<string, unknown>([[valueName, value]]);
  if (keyName !== undefined) names.set(keyName, key);
  return {
    reference: (root, name) => scope.reference(root, name),
    bound: (name) => (names.has(name) ? names.get(name) : scope.bound?.(name)),
    module: scope.module ?? '',
    budget: scope.budget ?? new Budget(),
  };
}

function call(node: Extract<Node, { kind: 'call' }>, scope: Scope, budget: Budget): unknown {
  const name = node.name.replace(/^provider::[\w-]+::/, '');
  if (name === 'try') return tryCall(node.args, scope, budget);
  if (name === 'can') return canCall(node.args, scope, budget);
  const fn = FUNCTIONS[name];
  if (!fn && name !== 'sensitive')
    return new Unresolved(`${name}(…)`, `function ${name}() is not evaluated by aksguard`);
  let args = node.args.map((arg) => evalNode(arg, scope, budget));
  if (node.expand) {
    const last = args[args.length - 1];
    if (last instanceof Unresolved) return last;
    if (!Array.isArray(last)) throw new TerraformError('only a list can be expanded into arguments');
    args = [...args.slice(0, -1), ...last];
  }
  if (name === 'sensitive') return markDeep(args[0]);
  if (name === 'nonsensitive') return unmarkDeep(args[0])[0];
  const fun = fn as (typeof FUNCTIONS)[string];
  if (!fun.deep) {
    const unknown = args.find((a) => a instanceof Unresolved);
    if (unknown) return unknown;
    const result = fun.call(args);
    return args.some((a) => a instanceof Sensitive) ? markDeep(result) : result;
  }
  const unknown = args.map(firstUnknown).find((u) => u !== undefined);
  if (unknown) return unknown;
  const [plain, marked] = unmarkDeep(args);
  const result = fun.call(plain as unknown[]);
  return marked ? markDeep(result) : result;
}

/** `try(a, b, …)`: the first argument Terraform can evaluate; an unknown one makes the result unknown. */
function tryCall(args: readonly Node[], scope: Scope, budget: Budget): unknown {
  for (const arg of args) {
    try {
      return evalNode(arg, scope, budget);
    } catch (error) {
      if (!(error instanceof TerraformError)) throw error;
    }
  }
  throw new TerraformError('no argument of try() could be evaluated');
}

function canCall(args: readonly Node[], scope: Scope, budget: Budget): unknown {
  try {
    const value = evalNode(args[0] as Node, scope, budget);
    return value instanceof Unresolved ? value : true;
  } catch (error) {
    if (error instanceof TerraformError) return false;
    throw error;
  }
}

/** The expression text of a raw value when it is a single expression (`"${x}"` or an `Expr`). */
export function expressionText(value: unknown): string | undefined {
  if (value instanceof Expr) return value.text.trim();
  if (typeof value !== 'string' || !value.startsWith('${')) return undefined;
  try {
    const node = parseTemplate(value, false);
    return node.kind === 'template' || node.kind === 'literal' ? undefined : value.slice(2, -1).trim();
  } catch {
    return undefined;
  }
}
