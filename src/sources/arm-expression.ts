import { field, isRecord } from '../model/settings.js';
import { Unresolved } from '../model/unresolved.js';
import { type CallSite, deploymentTime, type Fn, FUNCTIONS } from './arm-functions.js';
import { type Node, parseExpression } from './arm-parser.js';

/**
 * Evaluates ARM template language expressions (`[parameters('x')]`, `[if(…)]`, `[format(…)]`, copy loops,
 * lambdas, …) far enough to know security settings from parameter defaults and variables. Anything that depends
 * on deployment time (`reference()`, `resourceId()`, `resourceGroup()`, …) stays an `Unresolved` value, never a
 * guess. A template cannot make this take unbounded time or memory: see `Budget`.
 */

export interface Scope {
  parameter(name: string): unknown;
  variable(name: string): unknown;
  /** The current iteration of the innermost resource copy loop, or of the loop named; undefined outside any. */
  copyIndex(loop: string | undefined): number | Unresolved | undefined;
  /** What `reference()` of a nested deployment of this template gives (`{ outputs }`), when it is one. */
  deployment(name: string): unknown;
  readonly budget: Budget;
}

/**
 * A resource id built by `resourceId()` and its kin: unknown as text (it holds the subscription and resource
 * group), but known to be an id of this type and name, so `reference()` can follow it to a nested deployment of
 * the same template and `empty()` knows it is not empty.
 */
export class ResourceId extends Unresolved {
  constructor(
    readonly type: string,
    readonly names: readonly unknown[],
  ) {
    super(`resourceId('${type}', …)`, 'a resource id is known only at deployment time');
  }
}

/**
 * What one template may cost. Values are counted as written out (a string's characters; an array's or object's
 * entries with everything inside them), so expressions that double a value at every step — nested `concat`,
 * `replace`, `createArray(x, x)` — become unknown at this size instead of exhausting memory.
 */
export class Budget {
  static readonly MAX_VALUE = 200_000;
  static readonly MAX_STEPS = 2_000_000;
  /** Variables and parameters defined through one another, this many deep. */
  static readonly MAX_DEPTH = 64;
  /** ARM's own limit on a copy loop's count. */
  static readonly MAX_COPIES = 800;
  /** Copies made by copy loops in one template, nested deployments included: more become unknown. */
  static readonly MAX_COPIES_IN_ALL = 20_000;
  /** Resources one template may expand to (every instance of every loop, nested deployments included). */
  static readonly MAX_RESOURCES = 10_000;

  steps = 0;
  depth = 0;
  copies = 0;
  resources = 0;
  readonly parsed = new Map<string, Node | Error>();

  /** Whether `count` more copies fit; counts them when they do. */
  allow(count: number): boolean {
    if (this.copies + count > Budget.MAX_COPIES_IN_ALL) return false;
    this.copies += count;
    return true;
  }
}

/** A scope inside one iteration of a copy loop: `copyIndex()` answers it; everything else is the outer scope's. */
export function withCopy(scope: Scope, loop: string, index: number | Unresolved, unnamed: boolean): Scope {
  return {
    budget: scope.budget,
    parameter: (name) => scope.parameter(name),
    variable: (name) => scope.variable(name),
    deployment: (name) => scope.deployment(name),
    copyIndex: (name) =>
      (name === undefined ? unnamed : name.toLowerCase() === loop.toLowerCase()) ? index : scope.copyIndex(name),
  };
}

/**
 * A copy loop's iterations (`{ name, count }`): the count when it is known and within budget, else the reason
 * it is not, as an Unresolved.
 */
export function copyCount(copy: Record<string, unknown>, scope: Scope): number | Unresolved {
  const count = evaluateDeep(field(copy, 'count'), scope);
  if (count instanceof Unresolved) return count;
  const n = typeof count === 'string' ? Number(count) : count;
  const name = String(field(copy, 'name') ?? 'copy');
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    return new Unresolved(`copy ${name}`, `its count is not a whole number (${JSON.stringify(count)})`);
  if (n > Budget.MAX_COPIES)
    return new Unresolved(`copy ${name}`, `its count ${n} is above ARM's limit of ${Budget.MAX_COPIES}`);
  if (!scope.budget.allow(n))
    return new Unresolved(
      `copy ${name}`,
      `the template makes more than ${Budget.MAX_COPIES_IN_ALL} copies in all, aksguard's budget`,
    );
  return n;
}

/** `[expr]` (not `[[`, which escapes a literal `[`). */
export function isExpression(value: string): boolean {
  return value.startsWith('[') && !value.startsWith('[[') && value.endsWith(']');
}

/** Evaluates every expression inside a JSON value; literal parts keep their shape, property copy loops expand. */
export function evaluateDeep(value: unknown, scope: Scope, depth = 0): unknown {
  if (depth > 64) return new Unresolved('(deeply nested value)', 'nested too deeply to evaluate');
  if (typeof value === 'string') {
    if (isExpression(value)) return evaluate(value, scope);
    return value.startsWith('[[') ? value.slice(1) : value;
  }
  if (Array.isArray(value)) return value.map((item) => evaluateDeep(item, scope, depth + 1));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key.toLowerCase() === 'copy' && Array.isArray(item)) Object.assign(out, copiedProperties(item, scope, depth));
      else out[key] = evaluateDeep(item, scope, depth + 1);
    }
    return out;
  }
  return value;
}

/** Property iteration: `"copy": [{ "name": "agentPoolProfiles", "count": 3, "input": {…} }]` → the arrays. */
function copiedProperties(loops: unknown[], scope: Scope, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const loop of loops) {
    if (!isRecord(loop) || typeof field(loop, 'name') !== 'string') continue;
    out[field(loop, 'name') as string] = copyArray(loop, scope, depth);
  }
  return out;
}

/** The array a property or variable copy loop makes. */
export function copyArray(loop: Record<string, unknown>, scope: Scope, depth = 0): unknown {
  const count = copyCount(loop, scope);
  if (count instanceof Unresolved) return count;
  const name = field(loop, 'name') as string;
  return Array.from({ length: count }, (_, i) =>
    evaluateDeep(field(loop, 'input'), withCopy(scope, name, i, false), depth + 1),
  );
}

export function evaluate(expression: string, scope: Scope, holes?: Unresolved[]): unknown {
  const node = parsed(expression, scope.budget);
  if (node instanceof Error) return new Unresolved(expression, `cannot parse the expression: ${node.message}`);
  return new Evaluator(expression, scope, holes).run(node);
}

function parsed(expression: string, budget: Budget): Node | Error {
  let node = budget.parsed.get(expression);
  if (node === undefined) {
    try {
      node = parseExpression(expression.slice(1, -1));
    } catch (error) {
      node = error instanceof Error ? error : new Error(String(error));
    }
    budget.parsed.set(expression, node);
  }
  return node;
}

/**
 * A resource name split at its `/` (`cluster/pool`), each segment a string or, where an expression decides it
 * at deployment time, an Unresolved. `format()` and `concat()` keep their known parts, so
 * `format('{0}/{1}', parameters('cluster'), 'user')` still names the pool `user`; a segment that is exactly one
 * unknown value is that Unresolved itself, so two names built from the same parameter can be matched.
 */
export function nameSegments(value: unknown, scope: Scope): (string | Unresolved)[] {
  const holes: Unresolved[] = [];
  const result =
    typeof value === 'string' && isExpression(value) ? evaluate(value, scope, holes) : evaluateDeep(value, scope);
  const text =
    result instanceof Unresolved
      ? hole(holes.push(result) - 1)
      : typeof result === 'string'
        ? result
        : JSON.stringify(result ?? null);
  return text.split('/').map((segment) => {
    if (!segment.includes(HOLE)) return segment;
    const only = new RegExp(`^${HOLE}(\\d+)${HOLE}$`).exec(segment);
    return only
      ? (holes[Number(only[1])] as Unresolved)
      : new Unresolved(String(value), 'part of the name is known only at deployment time');
  });
}

/** An expression as a message shows it: whole when short, else its start. */
function brief(expression: string): string {
  return expression.length <= 60 ? expression : `${expression.slice(0, 57)}…]`;
}

const HOLE = '\u0000';
const hole = (i: number) => `${HOLE}${i}${HOLE}`;

const sizes = new WeakMap<object, number>();

/** A value's size as written out: characters of strings plus entries, counting shared parts every time. */
export function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value === null || typeof value !== 'object' || value instanceof Unresolved) return 1;
  const known = sizes.get(value);
  if (known !== undefined) return known;
  let total = 1;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    total += sizeOf(item);
    if (total > Budget.MAX_VALUE) break;
  }
  sizes.set(value, total);
  return total;
}

/**
 * Functions that only place their arguments in a new value (or pick one out): an argument with an unknown part
 * leaves that part unknown in the result rather than the whole result, so one unknown setting in a
 * `createObject(…)` of all of them does not hide the others.
 */
const PLACING = new Set([
  'concat',
  'createobject',
  'createarray',
  'array',
  'union',
  'shallowmerge',
  'first',
  'last',
  'take',
  'skip',
  'tryget',
  'items',
  'objectkeys',
  'length',
  'flatten',
  'parameters',
  'variables',
  'copyindex',
  'lambdavariables',
]);

const opened = new WeakMap<object, Unresolved | null>();

/** The first unknown value inside an array or object (not the value itself), if any. */
export function inside(value: unknown): Unresolved | undefined {
  if (value === null || typeof value !== 'object' || value instanceof Unresolved) return undefined;
  const known = opened.get(value);
  if (known !== undefined) return known ?? undefined;
  let found: Unresolved | undefined;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    found = item instanceof Unresolved ? item : inside(item);
    if (found) break;
  }
  opened.set(value, found ?? null);
  return found;
}

/** Functions whose arguments are not all evaluated first. */
const LAZY = new Set([
  'if',
  'and',
  'or',
  'coalesce',
  'map',
  'filter',
  'reduce',
  'sort',
  'toobject',
  'mapvalues',
  'empty',
  'reference',
  'resourceid',
  'subscriptionresourceid',
  'tenantresourceid',
  'extensionresourceid',
  'managementgroupresourceid',
]);

/** `Microsoft.Resources/deployments`: the resource type argument of `resourceId()` and its kin. */
const RESOURCE_TYPE = /^[A-Za-z0-9]+(\.[A-Za-z0-9]+)+\/[A-Za-z0-9/]+$/;

class Evaluator implements CallSite {
  private readonly lambdas: Map<string, unknown>[] = [];

  constructor(
    private readonly expression: string,
    private readonly scope: Scope,
    /** When set, `format()`/`concat()` keep their known parts and record their unknown ones here (see `nameSegments`). */
    private readonly holes?: Unresolved[],
  ) {}

  run(node: Node): unknown {
    const budget = this.scope.budget;
    if (++budget.steps > Budget.MAX_STEPS) {
      return this.unknown(`the template needs more than ${Budget.MAX_STEPS} evaluation steps, aksguard's budget`);
    }
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
        return this.checked(this.call(node.name, node.args));
    }
  }

  /** An unknown value, named by what it depends on (a short form of the expression when nothing better). */
  unknown(reason: string, what = brief(this.expression)): Unresolved {
    return new Unresolved(what, reason);
  }

  tooBig(size: number): Unresolved | undefined {
    return size > Budget.MAX_VALUE
      ? this.unknown(`its value would pass ${Budget.MAX_VALUE} characters or items, aksguard's budget`)
      : undefined;
  }

  private checked(value: unknown): unknown {
    return value instanceof Unresolved ? value : (this.tooBig(sizeOf(value)) ?? value);
  }

  /**
   * Evaluates all arguments; an unresolved one makes the whole call unresolved, and so does one that holds an
   * unresolved value inside it, unless the function only places values (`createObject`, `first`, …).
   */
  private all(fn: string, args: readonly Node[]): unknown[] | Unresolved {
    const values: unknown[] = [];
    const placing = PLACING.has(fn);
    for (const [i, arg] of args.entries()) {
      const value = this.run(arg);
      // createArray's items and createObject's values may themselves be unknown; its keys may not.
      const kept = fn === 'createarray' || (fn === 'createobject' && i % 2 === 1);
      const open = value instanceof Unresolved ? (kept ? undefined : value) : placing ? undefined : inside(value);
      if (open) return open;
      values.push(value);
    }
    // concat() places array items, but writes anything else out as text.
    if (fn === 'concat' && !values.every(Array.isArray)) return values.map(inside).find(Boolean) ?? values;
    return values;
  }

  private call(name: string, args: readonly Node[]): unknown {
    const fn = name.toLowerCase();
    if (LAZY.has(fn)) return this.lazy(fn, args, name);
    if (this.holes && (fn === 'format' || fn === 'concat')) return this.partial(fn, args);
    const values = this.all(fn, args);
    if (values instanceof Unresolved) return values;
    const [a] = values;
    switch (fn) {
      case 'parameters':
        return this.scope.parameter(String(a));
      case 'variables':
        return this.scope.variable(String(a));
      case 'copyindex':
        return this.copyIndex(values);
      case 'lambdavariables':
        return this.lambdaVariable(String(a));
      case 'lambda':
        return this.unknown('a lambda outside map(), filter(), reduce(), sort() or toObject()');
    }
    const pure = FUNCTIONS[fn];
    return pure ? pure(values, this) : this.unknown(deploymentTime(name), `${name}()`);
  }

  private lazy(fn: string, args: readonly Node[], name: string): unknown {
    switch (fn) {
      case 'if': {
        const condition = this.run(args[0] as Node);
        if (condition instanceof Unresolved) return condition;
        return this.run(args[condition === true || condition === 'true' ? 1 : 2] as Node);
      }
      case 'and':
      case 'or': {
        let open: Unresolved | undefined;
        for (const arg of args) {
          const value = this.run(arg);
          if (value instanceof Unresolved) open ??= value;
          else if (Boolean(value) === (fn === 'or')) return fn === 'or';
        }
        return open ?? fn === 'and';
      }
      case 'coalesce':
        for (const arg of args) {
          const value = this.run(arg);
          if (value instanceof Unresolved) return value;
          if (value !== null && value !== undefined) return value;
        }
        return null;
      case 'empty': {
        const value = this.run(args[0] as Node);
        if (value instanceof ResourceId) return false;
        return value instanceof Unresolved ? value : (FUNCTIONS.empty as Fn)([value], this);
      }
      case 'reference':
        return this.reference(args);
      case 'map':
      case 'filter':
      case 'reduce':
      case 'sort':
      case 'toobject':
      case 'mapvalues':
        return this.iterate(fn, args);
      default:
        return this.resourceId(name, args);
    }
  }

  /** `resourceId(…)` and its kin: the type and names, whatever the unknown subscription and group around them. */
  private resourceId(name: string, args: readonly Node[]): unknown {
    const values = args.map((arg) => this.run(arg));
    const at = values.findIndex((v) => typeof v === 'string' && RESOURCE_TYPE.test(v));
    if (at === -1) return this.unknown(deploymentTime(name), `${name}()`);
    return new ResourceId(values[at] as string, values.slice(at + 1));
  }

  /** `reference()` of a nested deployment of the same template gives its outputs; anything else is unknown. */
  private reference(args: readonly Node[]): unknown {
    const target = this.run(args[0] as Node);
    const name =
      typeof target === 'string' && !target.includes('/')
        ? target
        : target instanceof ResourceId &&
            target.type.toLowerCase() === 'microsoft.resources/deployments' &&
            typeof target.names.at(-1) === 'string'
          ? (target.names.at(-1) as string)
          : undefined;
    const found = name === undefined ? undefined : this.scope.deployment(name);
    return found ?? this.unknown(deploymentTime('reference'), 'reference()');
  }

  /** `map`, `filter`, `reduce`, `sort`, `toObject`, `mapValues`: a collection and one or two lambdas over it. */
  private iterate(fn: string, args: readonly Node[]): unknown {
    const source = this.run(args[0] as Node);
    if (source instanceof Unresolved) return source;
    const items = fn === 'mapvalues' ? Object.values(isRecord(source) ? source : {}) : source;
    if (!Array.isArray(items)) return this.unknown(`${fn}() of something that is not an array`);
    const apply = (lambda: Node | undefined, ...values: unknown[]) => this.applyLambda(lambda, values);
    switch (fn) {
      case 'map':
        return items.map((item, i) => apply(args[1], item, i));
      case 'filter': {
        const kept = items.filter((item, i) => apply(args[1], item, i) === true);
        return kept;
      }
      case 'reduce': {
        let acc = this.run(args[1] as Node);
        for (const [i, item] of items.entries()) acc = apply(args[2], acc, item, i);
        return acc;
      }
      case 'sort':
        return [...items].sort((x, y) => (apply(args[1], x, y) === true ? -1 : 1));
      case 'mapvalues':
        return Object.fromEntries(Object.keys(source as object).map((k, i) => [k, apply(args[1], items[i])]));
      default: {
        const entries = items.map((item) => [String(apply(args[1], item)), args[2] ? apply(args[2], item) : item]);
        return Object.fromEntries(entries);
      }
    }
  }

  private applyLambda(node: Node | undefined, values: unknown[]): unknown {
    if (node?.type !== 'call' || node.name.toLowerCase() !== 'lambda' || node.args.length < 2)
      return this.unknown('expected a lambda()');
    const params = node.args.slice(0, -1).map((p) => (p.type === 'literal' ? String(p.value) : ''));
    this.lambdas.push(new Map(params.map((p, i) => [p.toLowerCase(), values[i]])));
    try {
      return this.run(node.args.at(-1) as Node);
    } finally {
      this.lambdas.pop();
    }
  }

  private lambdaVariable(name: string): unknown {
    for (let i = this.lambdas.length - 1; i >= 0; i--) {
      const frame = this.lambdas[i] as Map<string, unknown>;
      if (frame.has(name.toLowerCase())) return frame.get(name.toLowerCase());
    }
    return this.unknown(`lambdaVariables('${name}') outside its lambda`);
  }

  private copyIndex(values: unknown[]): unknown {
    const [first, second] = values;
    const loop = typeof first === 'string' ? first : undefined;
    const offset = Number((loop === undefined ? first : second) ?? 0);
    const index = this.scope.copyIndex(loop);
    if (index === undefined) return this.unknown('copyIndex() outside a copy loop');
    return index instanceof Unresolved ? index : index + offset;
  }

  /** `format`/`concat` in a name: unknown arguments become holes the caller maps back (see `nameSegments`). */
  private partial(fn: string, args: readonly Node[]): unknown {
    const holes = this.holes as Unresolved[];
    const values = args.map((arg) => {
      const value = this.run(arg);
      return value instanceof Unresolved ? hole(holes.push(value) - 1) : value;
    });
    return (FUNCTIONS[fn] as NonNullable<(typeof FUNCTIONS)[string]>)(values, this);
  }
}
