import { Fact, type Owner } from './fact.js';
import type { Path, SourceDoc } from './provenance.js';
import { Unresolved } from './unresolved.js';

/**
 * A view over a JSON-like object in the ARM shape (`properties` content) with case-insensitive keys, so
 * `enableRBAC` (ARM) and `enableRbac` (az CLI) read the same. Values keep the path they were found at.
 */
export class Settings {
  constructor(
    readonly value: unknown,
    readonly path: Path,
    readonly doc: SourceDoc,
    readonly owner: Owner,
  ) {}

  /** The value at a dotted path such as `apiServerAccessProfile.enablePrivateCluster`. */
  get(dotted: string): Fact {
    const keys = dotted.split('.');
    let value: unknown = this.value;
    const path = [...this.path];
    for (const [i, key] of keys.entries()) {
      if (value instanceof Unresolved) return new Fact(value, [...path, ...keys.slice(i)], this.doc, this.owner);
      const found = isRecord(value) ? findKey(value, key) : undefined;
      if (found === undefined) return new Fact(undefined, [...path, ...keys.slice(i)], this.doc, this.owner);
      path.push(found);
      value = (value as Record<string, unknown>)[found];
    }
    return new Fact(value, path, this.doc, this.owner);
  }

  /** The first of several spellings that is present (e.g. a current name and its legacy one), else the first. */
  first(...spellings: string[]): Fact {
    const facts = spellings.map((s) => this.get(s));
    return facts.find((f) => !f.isDefault) ?? (facts[0] as Fact);
  }

  /** A nested object as Settings (empty when absent). */
  section(dotted: string): Settings {
    const fact = this.get(dotted);
    return new Settings(fact.value, fact.path, this.doc, this.owner);
  }

  /** The entries of an object-valued setting, e.g. `addonProfiles`. */
  entries(): [string, Settings][] {
    if (!isRecord(this.value)) return [];
    return Object.keys(this.value).map((k) => [k, this.section(k)]);
  }

  withOwner(owner: Owner): Settings {
    return new Settings(this.value, this.path, this.doc, owner);
  }
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
