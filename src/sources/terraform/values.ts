import { Unresolved } from '../../model/unresolved.js';

/**
 * A resource attribute Terraform only knows once it runs: `azurerm_disk_encryption_set.des.id`. Unknown like any
 * `Unresolved`, but it says which resource it comes from (`address`, module path and instance key included), so a
 * pool's `kubernetes_cluster_id` finds its cluster across modules, and an id reference counts as set (RULES.md).
 */
export class Reference extends Unresolved {
  constructor(
    /** The resource's full address: `module.aks.azurerm_kubernetes_cluster.main[0]`. */
    readonly address: string,
    /** The attribute path after the resource, `id` or `identity.0.principal_id`; '' for the whole resource. */
    readonly attribute: string,
    expression: string,
  ) {
    super(expression, referenceReason(address));
  }

  /** The resource's address without its instance key, for references written without one. */
  get base(): string {
    return this.address.replace(/\[[^\]]*\]$/, '');
  }

  /** An id-like attribute (`id`, `…_id`): non-null once applied, so it counts as set. */
  get isId(): boolean {
    return /(^|[._])(id|ids|[a-z]+_ids?)$/.test(this.attribute);
  }

  with(step: string): Reference {
    const attribute = this.attribute === '' ? step : `${this.attribute}.${step}`;
    return new Reference(this.address, attribute, `${this.expression}.${step}`);
  }
}

function referenceReason(address: string): string {
  return /(^|\.)data\./.test(address) ? 'read from Azure when Terraform runs' : 'known only once Terraform applies it';
}

/** An expression that could not be evaluated (Terraform would reject it, or a limit was reached). */
export class Failed extends Unresolved {
  /** Set once the failure is named by the local, variable or output it happened in. */
  readonly named: boolean = false;

  /** The same failure named by the local, variable or output whose value it is: shorter than its expression. */
  as(name: string): Failed {
    return Object.assign(new Failed(name, this.reason), { named: true });
  }
}

/** A primitive value derived from a `sensitive` variable or output: decided on, but never shown. */
export class Sensitive {
  constructor(readonly value: string | number | boolean | null) {}
}

/** Terraform would reject the expression (a missing attribute, a wrong type): `try()` and `can()` catch it. */
export class TerraformError extends Error {}

/** Limits on what one scan evaluates, so a few hostile lines cannot take the machine. */
export const LIMITS = {
  /** Instances of one resource or module call (`count`, `for_each`). */
  instances: 1000,
  /** Elements of any one list, object or string (in characters / 64). */
  size: 100_000,
  /** Evaluation steps in one scan: for-expression iterations, function calls, values built. */
  steps: 5_000_000,
  /** Nested module calls. */
  depth: 16,
} as const;

/** Counts work done; once spent, every further evaluation is unknown with one clear reason. */
export class Budget {
  private spent = 0;

  constructor(private readonly steps: number = LIMITS.steps) {}

  spend(n = 1): void {
    this.spent += n;
    if (this.spent > this.steps) {
      throw new NotEvaluated(
        `not evaluated: more than ${this.steps.toLocaleString('en')} evaluation steps (aksguard's limit)`,
      );
    }
  }
}

/**
 * aksguard chose not to evaluate (a limit was reached, a regular expression could run for hours): the value is
 * unknown, with this message as the reason. Unlike a `TerraformError`, `try()` and `can()` do not catch it.
 */
export class NotEvaluated extends Error {}

const sizes = new WeakMap<object, number>();

/**
 * The number of elements in a value, counting shared parts every time they occur (what printing or comparing
 * it costs), capped just above the limit so a value built by doubling is measured in linear time.
 */
export function sizeOf(value: unknown): number {
  if (typeof value === 'string') return 1 + (value.length >> 6);
  if (value === null || typeof value !== 'object' || value instanceof Unresolved || value instanceof Sensitive)
    return 1;
  const known = sizes.get(value);
  if (known !== undefined) return known;
  let total = 1;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    total += sizeOf(item);
    if (total > LIMITS.size) break;
  }
  sizes.set(value, total);
  return total;
}

/** Throws when a value built from known parts is larger than the limit. */
export function checkSize<T>(value: T): T {
  if (sizeOf(value) > LIMITS.size) {
    throw new NotEvaluated(
      `not evaluated: a value larger than ${LIMITS.size.toLocaleString('en')} elements (aksguard's limit)`,
    );
  }
  return value;
}

/** The first unknown part of a value (depth first), or undefined when every part is known. */
export function firstUnknown(value: unknown): Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (value === null || typeof value !== 'object' || value instanceof Sensitive) return undefined;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const found = firstUnknown(item);
    if (found) return found;
  }
  return undefined;
}

/** The value without its top-level sensitive mark, and whether it had one. */
export function unmark(value: unknown): [unknown, boolean] {
  return value instanceof Sensitive ? [value.value, true] : [value, false];
}

/** The value with every sensitive mark removed, and whether any was there. */
export function unmarkDeep(value: unknown): [unknown, boolean] {
  let marked = false;
  const strip = (v: unknown): unknown => {
    if (v instanceof Sensitive) {
      marked = true;
      return v.value;
    }
    if (Array.isArray(v)) return v.map(strip);
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return [strip(value), marked];
}

/** The value with every primitive part marked sensitive (unknown parts stay as they are). */
export function markDeep(value: unknown): unknown {
  if (value instanceof Sensitive || value instanceof Unresolved) return value;
  if (Array.isArray(value)) return value.map(markDeep);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markDeep(v)]));
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return new Sensitive(value as string | number | boolean | null);
  }
  return value;
}

/** The paths of the sensitive parts of a value, and the value without marks. */
export function sensitivePaths(value: unknown): { value: unknown; paths: (string | number)[][] } {
  const paths: (string | number)[][] = [];
  const strip = (v: unknown, path: (string | number)[]): unknown => {
    if (v instanceof Sensitive) {
      paths.push(path);
      return v.value;
    }
    if (Array.isArray(v)) return v.map((x, i) => strip(x, [...path, i]));
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x, [...path, k])]));
    return v;
  };
  return { value: strip(value, []), paths };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Unresolved) &&
    !(value instanceof Sensitive) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** A short, one-line form of an expression for messages (never a multi-line dump). */
export function brief(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= 60 ? line : `${line.slice(0, 57)}…`;
}
