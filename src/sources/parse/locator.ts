import type { Path } from '../../model/provenance.js';

export interface Spot {
  /** Where the value starts. */
  readonly value: number;
  /** Where a finding should point: the property key, or the value itself for array items and the root. */
  readonly anchor: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** How far a container has been read, and the children found so far. */
interface Container {
  readonly isObject: boolean;
  readonly children: Map<string | number, Spot>;
  /** For a list read by someone else, where each item starts (a Map of millions of items would cost seconds). */
  readonly items?: readonly number[];
  /** Where reading stopped: just after the last child found, or -1 when the container is done. */
  next: number;
  count: number;
}

/**
 * Finds where a path's value sits in strict JSON text (comments already blanked out) without building a tree: it
 * walks only the containers on the path, skips everything else character by character (no recursion, so any
 * nesting depth is fine), and remembers how far it read each container, so the next lookup there resumes instead
 * of rescanning. Malformed text simply ends the walk at the last spot found.
 */
export class JsonLocator {
  private readonly containers = new Map<number, Container>();
  private rootSpot: Spot | undefined;

  constructor(private readonly text: string) {}

  /** Offset to point at for `path`, or for its closest existing ancestor. */
  anchorOf(path: Path): number | undefined {
    let spot = this.root();
    if (!spot) return undefined;
    for (const segment of path) {
      const next = this.child(spot.value, segment);
      if (!next) break;
      spot = next;
    }
    return spot.anchor;
  }

  private root(): Spot | undefined {
    if (!this.rootSpot) {
      const start = skipSpace(this.text, 0);
      if (start < this.text.length) this.rootSpot = { value: start, anchor: start };
    }
    return this.rootSpot;
  }

  private child(offset: number, wanted: string | number): Spot | undefined {
    const container = this.container(offset);
    if (!container) return undefined;
    const key = container.isObject ? String(wanted) : wanted;
    if (container.items) {
      const start = container.items[key as number];
      return start === undefined ? undefined : { value: start, anchor: start };
    }
    const known = container.children.get(key);
    if (known || container.next === -1) return known;
    return this.readUntil(container, key);
  }

  /**
   * Takes the members of the object at `offset` as read by someone else (a large file's parser): each key and
   * where its value sits.
   */
  adoptObject(offset: number, children: Map<string, Spot>): void {
    this.containers.set(offset, { isObject: true, children, next: -1, count: children.size });
  }

  /** Takes the items of the list at `offset` as read by someone else: where each item starts. */
  adoptList(offset: number, items: readonly number[]): void {
    this.containers.set(offset, { isObject: false, children: new Map(), items, next: -1, count: items.length });
  }

  private container(offset: number): Container | undefined {
    let container = this.containers.get(offset);
    if (!container) {
      const open = this.text.charCodeAt(offset);
      if (open !== OPEN_BRACE && open !== OPEN_BRACKET) return undefined;
      container = { isObject: open === OPEN_BRACE, children: new Map(), next: offset + 1, count: 0 };
      this.containers.set(offset, container);
    }
    return container;
  }

  /** Reads on through the container, recording each child, until `wanted` or the end. */
  private readUntil(container: Container, wanted: string | number): Spot | undefined {
    const { text } = this;
    let i = container.next;
    for (;;) {
      i = skipSpace(this.text, i);
      if (text.charCodeAt(i) === COMMA) i = skipSpace(this.text, i + 1);
      const c = text.charCodeAt(i);
      if (c === CLOSE_BRACE || c === CLOSE_BRACKET || Number.isNaN(c)) {
        container.next = -1;
        return undefined;
      }
      const anchor = i;
      let name: string | number = container.count;
      if (container.isObject) {
        if (c !== QUOTE) return this.stop(container);
        const end = stringEnd(this.text, i);
        name = this.stringValue(i, end);
        i = skipSpace(this.text, end);
        if (text.charCodeAt(i) !== COLON) return this.stop(container);
        i = skipSpace(this.text, i + 1);
      }
      const spot = { value: i, anchor };
      if (!container.children.has(name)) container.children.set(name, spot);
      container.count++;
      container.next = valueEnd(this.text, i);
      if (name === wanted) return spot;
      i = container.next;
    }
  }

  private stop(container: Container): undefined {
    container.next = -1;
    return undefined;
  }

  private stringValue(start: number, end: number): string {
    const raw = this.text.slice(start + 1, end - 1);
    if (!raw.includes('\\')) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  }
}

/** The offset just after the JSON value starting at `i`. */
export function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return stringEnd(text, i);
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
    for (; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d <= 0x20) return i;
    }
    return i;
  }
  let depth = 0;
  for (; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === QUOTE) i = stringEnd(text, i) - 1;
    else if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
    else if ((d === CLOSE_BRACE || d === CLOSE_BRACKET) && --depth === 0) return i + 1;
  }
  return i;
}

/** The offset just after the closing quote of the string starting at `i`. */
export function stringEnd(text: string, i: number): number {
  for (let j = text.indexOf('"', i + 1); j !== -1; j = text.indexOf('"', j + 1)) {
    let slashes = 0;
    while (text.charCodeAt(j - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return j + 1;
  }
  return text.length;
}

/** The first offset from `i` on that is not JSON whitespace. */
export function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}
