import { type Path, SENSITIVE, type SourceDoc } from './provenance.js';
import { containsUnresolved, Unresolved } from './unresolved.js';

/** The object a finding is about, as the report names it. */
export interface Resource {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | null;
}

/** Which target and resource a value belongs to. */
export interface Owner {
  readonly target: string;
  readonly resource: Resource;
}

/** Where a finding points: a place in a document, and what it is about. */
export interface Anchor {
  readonly path: Path;
  readonly doc: SourceDoc;
  readonly owner: Owner;
}

/** Three-valued truth: rules must not pass or fail on what the input does not tell. */
export type Tri = boolean | 'unknown';

export const and = (...values: Tri[]): Tri =>
  values.includes(false) ? false : values.includes('unknown') ? 'unknown' : true;
export const or = (...values: Tri[]): Tri =>
  values.includes(true) ? true : values.includes('unknown') ? 'unknown' : false;
export const not = (value: Tri): Tri => (value === 'unknown' ? value : !value);

/** One setting as the input states it: its value (undefined when absent) and where it is, or would be. */
export class Fact implements Anchor {
  constructor(
    readonly value: unknown,
    readonly path: Path,
    readonly doc: SourceDoc,
    readonly owner: Owner,
    /** Set when the input leaves the setting out and the platform decides it: `AKS Automatic`. */
    readonly setBy?: string,
  ) {}

  get unresolved(): Unresolved | undefined {
    return containsUnresolved(this.value);
  }

  /** Missing, null, the empty string and an empty block all mean "the platform default". */
  get isDefault(): boolean {
    return isDefaultValue(this.value);
  }

  /**
   * Applies `predicate` to the value, or answers 'unknown' when the value itself is unresolved. Lists reach the
   * predicate even when some entries are unresolved: it decides whether the known ones settle the question.
   */
  test(predicate: (value: unknown) => Tri): Tri {
    return this.value instanceof Unresolved ? 'unknown' : predicate(this.value);
  }

  /** True for `true` and the ARM string `"true"`. */
  isTrue(): Tri {
    return this.test((v) => asBoolean(v) === true);
  }

  /** True for `false` and the ARM string `"false"`; a missing value is not false. */
  isFalse(): Tri {
    return this.test((v) => asBoolean(v) === false);
  }

  /** Case-insensitive comparison with any of `expected`; a missing value equals none of them. */
  isOneOf(...expected: string[]): Tri {
    return this.test((v) => typeof v === 'string' && expected.some((e) => e.toLowerCase() === v.toLowerCase()));
  }

  /** The value as text ('' and non-strings give undefined). */
  get text(): string | undefined {
    return typeof this.value === 'string' && this.value !== '' ? this.value : undefined;
  }

  /** A string value as a message writes it (unquoted), else as `shown`; `(sensitive)` for a secret. */
  get display(): string {
    return this.sensitive ? SENSITIVE : (this.text ?? this.shown);
  }

  /** Whether the input marks the value secret: messages show `(sensitive)` instead. */
  get sensitive(): boolean {
    return this.doc.sensitive?.(this.path) === true;
  }

  /** How the value reads in a message. */
  get shown(): string {
    if (this.sensitive && this.value !== undefined) return SENSITIVE;
    if (this.unresolved) return String(this.unresolved);
    if (this.value === undefined) return 'not set';
    return this.setBy ? `${JSON.stringify(this.value)} (not set; ${this.setBy} sets it)` : JSON.stringify(this.value);
  }
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

/** RULES.md: `null`, a missing key, `''` and an empty block mean "the platform default". */
export function isDefaultValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  return (
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Unresolved) &&
    Object.keys(value).length === 0
  );
}
