import { Unresolved } from '../../model/unresolved.js';
import { evaluate, LazyObject, type Scope } from './expression.js';
import type { HclFile } from './hcl.js';
import { convert, parseType, type TypeSpec } from './types.js';
import { type Budget, Failed, isPlainObject, LIMITS, markDeep, Sensitive, unmarkDeep } from './values.js';

interface Variable {
  readonly hasDefault: boolean;
  readonly fallback: unknown;
  readonly sensitive: boolean;
  readonly nullable: boolean;
  readonly type: TypeSpec;
}

export interface ModuleScopeOptions {
  readonly files: readonly HclFile[];
  /** The root module's `.tfvars` files, in the order Terraform reads them (later ones win). */
  readonly tfvars?: readonly HclFile[];
  /** A called module's arguments, each evaluated (once) in the caller's scope when first read. */
  readonly inputs?: ReadonlyMap<string, () => unknown>;
  /** The module's address, `module.aks.` ('' at the root). */
  readonly address: string;
  readonly folder: string;
  readonly budget: Budget;
  /** `module.NAME`: the outputs of a module this one calls (a list or map of them for `count`/`for_each`). */
  readonly modules: (name: string) => unknown;
}

/**
 * A module's `var.*`, `local.*`, `module.*` and `path.*`. A variable's value comes from the calling module's
 * arguments, else (root module only) the folder's `.tfvars` files, else its default, converted to its declared
 * type (optional attributes get their defaults); without any it is unknown. Locals and outputs are evaluated on
 * first use, once; one defined in terms of itself is unknown.
 */
export class ModuleScope implements Scope {
  readonly module: string;
  readonly budget: Budget;
  private readonly variables = new Map<string, Variable>();
  private readonly given = new Map<string, () => unknown>();
  private readonly locals = new Map<string, unknown>();
  private readonly outputs = new Map<string, { value: unknown; sensitive: boolean }>();
  private readonly cache = new Map<string, unknown>();
  private readonly busy = new Set<string>();

  constructor(private readonly options: ModuleScopeOptions) {
    this.module = options.address;
    this.budget = options.budget;
    for (const { body } of options.files) this.declare(body);
    // Terraform reads terraform.tfvars, then *.auto.tfvars in name order; later files win.
    for (const { body } of options.tfvars ?? []) {
      for (const [name, value] of Object.entries(body)) {
        if (this.variables.has(name)) this.given.set(name, () => evaluate(value, this));
      }
    }
    // A module argument sets its variable even when the declaration is missing (e.g. a variables.tf not at hand).
    for (const [name, value] of options.inputs ?? []) this.given.set(name, value);
  }

  private declare(body: Record<string, unknown>): void {
    for (const [name, definitions] of Object.entries(record(body.variable))) {
      const definition = record(list(definitions)[0]);
      const flag = (key: string, fallback: boolean) => {
        const value = evaluate(definition[key], this);
        return typeof value === 'boolean' ? value : fallback;
      };
      this.variables.set(name, {
        hasDefault: Object.hasOwn(definition, 'default'),
        fallback: definition.default,
        sensitive: flag('sensitive', false),
        nullable: flag('nullable', true),
        type: parseType(definition.type),
      });
    }
    for (const block of list(body.locals)) {
      for (const [name, value] of Object.entries(record(block))) this.locals.set(name, value);
    }
    for (const [name, definitions] of Object.entries(record(body.output))) {
      const definition = record(list(definitions)[0]);
      this.outputs.set(name, { value: definition.value, sensitive: evaluate(definition.sensitive, this) === true });
    }
  }

  reference(root: string, name: string): unknown {
    if (root === 'var') return this.variable(name);
    if (root === 'local' && this.locals.has(name)) {
      return this.memo(`local.${name}`, () => evaluate(this.locals.get(name), this));
    }
    if (root === 'module') return this.options.modules(name);
    if (root === 'path' && ['module', 'root', 'cwd'].includes(name)) return this.options.folder;
    return undefined;
  }

  /** The module's outputs, each evaluated when read. */
  outputValues(): LazyObject {
    return new LazyObject([...this.outputs.keys()], (name) =>
      this.memo(`output.${name}`, () => {
        const output = this.outputs.get(name);
        const value = evaluate(output?.value, this);
        return output?.sensitive ? markDeep(value) : value;
      }),
    );
  }

  private variable(name: string): unknown {
    const declared = this.variables.get(name);
    const given = this.given.get(name);
    if (!declared && !given) return undefined;
    return this.memo(`var.${name}`, () => {
      let value = given ? given() : declared?.hasDefault ? evaluate(declared.fallback, this) : undefined;
      if (value === undefined) return new Unresolved(`var.${name}`, 'no default and no value given');
      if (!declared) return value;
      if (value === null && !declared.nullable && declared.hasDefault) value = evaluate(declared.fallback, this);
      const converted = convert(value, declared.type);
      return declared.sensitive ? markDeep(converted) : converted;
    });
  }

  private memo(key: string, compute: () => unknown): unknown {
    if (this.cache.has(key)) return this.cache.get(key);
    if (this.busy.has(key)) return new Unresolved(key, 'defined in terms of itself, a cycle Terraform rejects');
    this.busy.add(key);
    try {
      const computed = compute();
      const value = computed instanceof Failed && !computed.named ? computed.as(key) : computed;
      this.cache.set(key, value);
      return value;
    } finally {
      this.busy.delete(key);
    }
  }
}

/** `count.index`, `each.key` and `each.value` of one resource or module instance, on top of its module's scope. */
export class InstanceScope implements Scope {
  constructor(
    private readonly outer: Scope,
    private readonly own: { count?: unknown; key?: unknown; value?: unknown },
  ) {}

  get module(): string {
    return this.outer.module ?? '';
  }

  get budget(): Budget | undefined {
    return this.outer.budget;
  }

  reference(root: string, name: string): unknown {
    if (root === 'count' && name === 'index' && this.own.count !== undefined) return this.own.count;
    if (root === 'each' && (name === 'key' || name === 'value') && this.own[name] !== undefined) return this.own[name];
    return this.outer.reference(root, name);
  }

  bound(name: string): unknown {
    return this.outer.bound?.(name);
  }
}

/** A dynamic block's iterator (`<name>.key`, `<name>.value`) inside its `content`. */
export class IteratorScope implements Scope {
  constructor(
    private readonly outer: Scope,
    private readonly iterator: string,
    private readonly key: unknown,
    private readonly value: unknown,
  ) {}

  get module(): string {
    return this.outer.module ?? '';
  }

  get budget(): Budget | undefined {
    return this.outer.budget;
  }

  reference(root: string, name: string): unknown {
    return this.outer.reference(root, name);
  }

  bound(name: string): unknown {
    return name === this.iterator ? { key: this.key, value: this.value } : this.outer.bound?.(name);
  }
}

export interface Instance {
  readonly scope: Scope;
  /** `[0]`, `["key"]`, or '' for a single resource (or one whose instances are unknown). */
  readonly suffix: string;
}

export interface Instances {
  readonly instances: Instance[];
  /** Set when `count`/`for_each` is unknown: then one instance stands for all, and whether it exists is unknown. */
  readonly unknown?: Unresolved;
}

/** One instance per `count` index or `for_each` key when they are known and within the limit. */
export function instances(raw: Record<string, unknown>, scope: Scope): Instances {
  const single = (unknown: Unresolved): Instances => ({
    instances: [{ scope: new InstanceScope(scope, { count: unknown, key: unknown, value: unknown }), suffix: '' }],
    unknown,
  });
  if (Object.hasOwn(raw, 'count')) {
    const [count] = unmarkDeep(evaluate(raw.count, scope));
    if (count instanceof Unresolved) return single(count);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      return single(new Unresolved('count', 'Terraform would reject it: count must be a whole number'));
    }
    if (count > LIMITS.instances) return single(tooMany('count', count));
    scope.budget?.spend(count);
    return {
      instances: Array.from({ length: count }, (_, i) => ({
        scope: new InstanceScope(scope, { count: i }),
        suffix: `[${i}]`,
      })),
    };
  }
  if (Object.hasOwn(raw, 'for_each')) {
    const each = evaluate(raw.for_each, scope);
    const entries = forEachEntries(each);
    if (entries instanceof Unresolved) return single(entries);
    if (entries.length > LIMITS.instances) return single(tooMany('for_each', entries.length));
    scope.budget?.spend(entries.length);
    return {
      instances: entries.map(([key, value]) => ({
        scope: new InstanceScope(scope, { key, value }),
        suffix: `[${JSON.stringify(key)}]`,
      })),
    };
  }
  return { instances: [{ scope, suffix: '' }] };
}

/** A `for_each` value as (key, value) pairs: a map by key, a set of strings by its items; else unknown. */
export function forEachEntries(value: unknown): [string, unknown][] | Unresolved {
  if (value instanceof Unresolved) return value;
  if (value === null) return new Unresolved('for_each', 'Terraform would reject it: for_each is null');
  if (Array.isArray(value)) {
    const [plain] = unmarkDeep(value);
    const items = plain as unknown[];
    const unknown = items.find((v): v is Unresolved => v instanceof Unresolved);
    if (unknown) return unknown;
    return [...new Set(items.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))))].map((k) => [k, k]);
  }
  if (isPlainObject(value)) return Object.entries(value);
  if (value instanceof Sensitive) return new Unresolved('for_each', 'Terraform would reject it: for_each is sensitive');
  return new Unresolved('for_each', 'Terraform would reject it: for_each must be a map or a set');
}

function tooMany(what: string, n: number): Unresolved {
  return new Unresolved(`${what} = ${n}`, `more instances than aksguard's limit of ${LIMITS.instances}`);
}

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}
