import { Fact, type Owner } from './fact.js';
import type { Path, SourceDoc } from './provenance.js';
import { Unresolved } from './unresolved.js';

/** Values a kind of cluster has whatever its input leaves out, e.g. what AKS Automatic enforces. */
export interface PlatformValues {
  /** Who sets them, as a message names it: `AKS Automatic`. */
  readonly by: string;
  /** Nested like the settings; an Unresolved where the input does not tell whether they apply. */
  readonly values: unknown;
}

/**
 * A view over a JSON-like object in the ARM shape (`properties` content) with case-insensitive keys, so
 * `enableRBAC` (ARM) and `enableRbac` (az CLI) read the same. Values keep the path they were found at. A setting
 * the input leaves at its default reads as the platform's value when `platform` has one.
 */
export class Settings {
  constructor(
    readonly value: unknown,
    readonly path: Path,
    readonly doc: SourceDoc,
    readonly owner: Owner,
    readonly platform?: PlatformValues,
  ) {}

  /** The value at a dotted path such as `apiServerAccessProfile.enablePrivateCluster`. */
  get(dotted: string): Fact {
    const keys = dotted.split('.');
    const { value, path } = walk(this.value, keys, this.path);
    const fact = new Fact(value, path, this.doc, this.owner);
    if (!this.platform || !fact.isDefault) return fact;
    const enforced = walk(this.platform.values, keys, []).value;
    return enforced === undefined ? fact : new Fact(enforced, path, this.doc, this.owner, this.platform.by);
  }

  /** The first of several spellings that is present (e.g. a current name and its legacy one), else the first. */
  first(...spellings: string[]): Fact {
    const facts = spellings.map((s) => this.get(s));
    return facts.find((f) => !f.isDefault) ?? (facts[0] as Fact);
  }

  /** A nested object as Settings (empty when absent). */
  section(dotted: string): Settings {
    const { value, path } = walk(this.value, dotted.split('.'), this.path);
    const platform = this.platform && {
      ...this.platform,
      values: walk(this.platform.values, dotted.split('.'), []).value,
    };
    return new Settings(value, path, this.doc, this.owner, platform);
  }

  /** The entries of an object-valued setting, e.g. `addonProfiles`. */
  entries(): [string, Settings][] {
    if (!isRecord(this.value)) return [];
    return Object.keys(this.value).map((k) => [k, this.section(k)]);
  }

  withOwner(owner: Owner): Settings {
    return new Settings(this.value, this.path, this.doc, owner, this.platform);
  }
}

/**
 * The value at `keys` below `value`, and its path (the path it would have when missing). An Unresolved on the
 * way is the answer: what lies below it is unknown too.
 */
function walk(value: unknown, keys: readonly string[], from: Path): { value: unknown; path: Path } {
  const path = [...from];
  for (const [i, key] of keys.entries()) {
    if (value instanceof Unresolved) return { value, path: [...path, ...keys.slice(i)] };
    const found = isRecord(value) ? findKey(value, key) : undefined;
    if (found === undefined) return { value: undefined, path: [...path, ...keys.slice(i)] };
    path.push(found);
    value = (value as Record<string, unknown>)[found];
  }
  return { value, path };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unresolved);
}

/** The actual key in `object` matching `name` case-insensitively (exact match first). */
export function findKey(object: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((k) => k.toLowerCase() === lower);
}

/** `object[name]` with the key matched case-insensitively; undefined for non-objects. */
export function field(object: unknown, name: string): unknown {
  if (!isRecord(object)) return undefined;
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
}

/** A non-empty string, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
