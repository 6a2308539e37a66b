import { Unresolved } from '../../model/unresolved.js';
import { evaluate, type Scope } from './expression.js';
import type { HclFile } from './hcl.js';

/**
 * A module's `var.*` and `local.*`: a variable's value comes from the calling module's arguments, else (root
 * module only) the folder's `.tfvars` files, else its default; without any it is unknown. Locals are evaluated
 * on first use, once; a local defined in terms of itself is unknown.
 */
export class ModuleScope implements Scope {
  private readonly variables = new Map<string, { value: unknown } | undefined>();
  private readonly locals = new Map<string, unknown>();
  private readonly cache = new Map<string, unknown>();
  private readonly busy = new Set<string>();

  constructor(files: readonly HclFile[], tfvars: readonly HclFile[], inputs: ReadonlyMap<string, unknown> | undefined) {
    for (const { body } of files) {
      for (const [name, definitions] of Object.entries(record(body.variable))) {
        const definition = Array.isArray(definitions) ? record(definitions[0]) : {};
        this.variables.set(name, Object.hasOwn(definition, 'default') ? { value: definition.default } : undefined);
      }
      for (const block of list(body.locals))
        for (const [name, value] of Object.entries(record(block))) this.locals.set(name, value);
    }
    // Terraform reads terraform.tfvars, then *.auto.tfvars in name order; later files win.
    for (const { body } of tfvars) {
      for (const [name, value] of Object.entries(body)) {
        if (this.variables.has(name)) this.variables.set(name, { value: evaluate(value, EMPTY) });
      }
    }
    // A module argument sets its variable even when the declaration is missing (e.g. a variables.tf not at hand).
    for (const [name, value] of inputs ?? []) this.variables.set(name, { value });
  }

  reference(root: string, name: string): unknown {
    if (root === 'var') {
      if (!this.variables.has(name)) return undefined;
      const found = this.variables.get(name);
      if (!found)
        return new Unresolved(`var.${name}`, `variable '${name}' has no default and no value in a .tfvars file`);
      return this.memo(`var.${name}`, () => evaluate(found.value, this));
    }
    if (root === 'local' && this.locals.has(name))
      return this.memo(`local.${name}`, () => evaluate(this.locals.get(name), this));
    return undefined;
  }

  private memo(key: string, compute: () => unknown): unknown {
    if (this.cache.has(key)) return this.cache.get(key);
    if (this.busy.has(key)) return new Unresolved(key, 'defined in terms of itself');
    this.busy.add(key);
    const value = compute();
    this.busy.delete(key);
    this.cache.set(key, value);
    return value;
  }
}

/** `count.index`, `each.key` and `each.value` of one resource instance, on top of its module's scope. */
export class InstanceScope implements Scope {
  constructor(
    private readonly module: Scope,
    private readonly own: { count?: unknown; key?: unknown; value?: unknown },
  ) {}

  reference(root: string, name: string): unknown {
    if (root === 'count' && name === 'index')
      return this.own.count ?? new Unresolved('count.index', 'count is unknown');
    if (root === 'each' && (name === 'key' || name === 'value')) {
      return this.own[name] ?? new Unresolved(`each.${name}`, 'for_each is unknown');
    }
    return this.module.reference(root, name);
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

  reference(root: string, name: string): unknown {
    if (root === this.iterator && name === 'key') return this.key;
    if (root === this.iterator && name === 'value') return this.value;
    return this.outer.reference(root, name);
  }
}

export interface Instance {
  readonly scope: Scope;
  /** `[0]`, `["key"]`, or '' for a single resource. */
  readonly suffix: string;
}

/** One instance per `count` index or `for_each` key when they are known; a single one (unknown index) when not. */
export function instances(raw: Record<string, unknown>, scope: Scope): Instance[] {
  if (Object.hasOwn(raw, 'count')) {
    const count = evaluate(raw.count, scope);
    if (typeof count !== 'number') return [{ scope: new InstanceScope(scope, {}), suffix: '' }];
    return Array.from({ length: count }, (_, i) => ({
      scope: new InstanceScope(scope, { count: i }),
      suffix: `[${i}]`,
    }));
  }
  if (Object.hasOwn(raw, 'for_each')) {
    const each = evaluate(raw.for_each, scope);
    const entries: [string, unknown][] | undefined = Array.isArray(each)
      ? each.some((v) => v instanceof Unresolved)
        ? undefined
        : each.map((v) => [String(v), v])
      : each !== null && typeof each === 'object' && !(each instanceof Unresolved)
        ? Object.entries(each)
        : undefined;
    if (!entries) return [{ scope: new InstanceScope(scope, {}), suffix: '' }];
    return entries.map(([key, value]) => ({
      scope: new InstanceScope(scope, { key, value }),
      suffix: `[${JSON.stringify(key)}]`,
    }));
  }
  return [{ scope, suffix: '' }];
}

const EMPTY: Scope = { reference: () => undefined };

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}
