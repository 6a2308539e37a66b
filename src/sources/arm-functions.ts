import { field, isRecord } from '../model/settings.js';
import type { Unresolved } from '../model/unresolved.js';

/**
 * The ARM template functions that need nothing but their arguments. Functions that read the deployment
 * (`reference()`, `resourceId()`, `resourceGroup()`, `uniqueString()`, …) are not here: they stay unknown.
 */

/** What a function may ask of the evaluator calling it. */
export interface CallSite {
  unknown(reason: string): Unresolved;
  /** An Unresolved when a result of `size` characters or items would pass the value budget, else undefined. */
  tooBig(size: number): Unresolved | undefined;
}

export type Fn = (args: unknown[], call: CallSite) => unknown;

const str = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null'));
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const lengthOf = (value: unknown): number =>
  Array.isArray(value) || typeof value === 'string' ? value.length : isRecord(value) ? Object.keys(value).length : 0;

const isEmpty = (value: unknown): boolean => value === null || value === undefined || lengthOf(value) === 0;

function concat(args: unknown[], call: CallSite): unknown {
  if (args.every(Array.isArray)) {
    return call.tooBig(args.reduce<number>((n, a) => n + (a as unknown[]).length, 0)) ?? (args as unknown[][]).flat();
  }
  const parts = args.map(str);
  return call.tooBig(parts.reduce((n, p) => n + p.length, 0)) ?? parts.join('');
}

/**
 * .NET composite formatting as ARM does it: `{0}` by position, `{{` and `}}` for braces, booleans as `True` and
 * `False`. A format specifier (`{0:N0}`) or an argument that is not given makes it unknown, never a guess.
 */
function format(args: unknown[], call: CallSite): unknown {
  const template = str(args[0]);
  const values = args.slice(1).map((v) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : str(v)));
  const holes = /\{\{|\}\}|\{(\d+)(:[^}]*)?\}/g;
  let size = template.length;
  for (const [hole, index, specifier] of template.matchAll(holes)) {
    if (specifier) return call.unknown(`format() with the format specifier ${hole}, which aksguard does not apply`);
    if (index === undefined) continue;
    const value = values[Number(index)];
    if (value === undefined) return call.unknown(`format() names argument ${index} but is given ${values.length}`);
    size += value.length;
  }
  return (
    call.tooBig(size) ??
    template.replace(holes, (hole, i?: string) => (i === undefined ? hole[0] : values[Number(i)]) ?? '')
  );
}

function replace([text, from, to]: unknown[], call: CallSite): unknown {
  const [a, b, c] = [str(text), str(from), str(to)];
  if (b === '') return a;
  const count = a.split(b).length - 1;
  return call.tooBig(a.length + count * (c.length - b.length)) ?? a.replaceAll(b, c);
}

/** What every argument has: array items, or object properties with the same value, compared as `equals()` does. */
function intersection([first, ...rest]: unknown[]): unknown {
  if (Array.isArray(first)) {
    const others = rest.map((r) => new Set(Array.isArray(r) ? r.map(canonical) : []));
    return distinct(first).filter((x) => others.every((set) => set.has(canonical(x))));
  }
  const common = Object.entries(isRecord(first) ? first : {}).filter(([k, v]) =>
    rest.every((r) => isRecord(r) && sameValue(r[k], v)),
  );
  return Object.fromEntries(common);
}

function tryGet([object, ...keys]: unknown[]): unknown {
  let value = object;
  for (const key of keys) {
    if (Array.isArray(value) && typeof key === 'number') value = value[key];
    else if (isRecord(value) && typeof key === 'string') value = field(value, key);
    else return null;
    if (value === undefined) return null;
  }
  return value;
}

function range([start, count]: unknown[], call: CallSite): unknown {
  const n = num(count);
  if (!Number.isInteger(n) || n < 0) return call.unknown('range() needs a count of 0 or more');
  return call.tooBig(n) ?? Array.from({ length: n }, (_, i) => num(start) + i);
}

function padLeft([value, width, pad = ' ']: unknown[], call: CallSite): unknown {
  const n = num(width);
  if (typeof pad !== 'string' || pad.length !== 1) return call.unknown('padLeft() pads with one character');
  return call.tooBig(n) ?? str(value).padStart(n, pad);
}

/** ARM rejects a start or length outside the string; that template would not deploy, so its value is unknown. */
function substring([text, start, length]: unknown[], call: CallSite): unknown {
  const [a, from] = [str(text), num(start)];
  const to = length === undefined ? a.length : from + num(length);
  if (!(from >= 0 && from <= to && to <= a.length)) return call.unknown('substring() outside the string');
  return a.substring(from, to);
}

/** `take`/`skip`: a count of 0 or less takes nothing or skips nothing (JavaScript would count from the end). */
const slice =
  (part: 'take' | 'skip'): Fn =>
  ([value, count]) => {
    const n = Math.max(0, num(count));
    const whole = Array.isArray(value) ? value : str(value);
    return part === 'take' ? whole.slice(0, n) : whole.slice(n);
  };

const extreme =
  (name: 'min' | 'max', pick: (...values: number[]) => number): Fn =>
  (args, call) => {
    const values = (Array.isArray(args[0]) ? args[0] : args).map(num);
    return values.length === 0 ? call.unknown(`${name}() of an empty array`) : pick(...values);
  };

/** `div`/`mod`: ARM refuses a divisor of 0 (JavaScript would give Infinity or NaN). */
const divide =
  (op: (a: number, b: number) => number): Fn =>
  ([a, b], call) =>
    num(b) === 0 ? call.unknown('division by zero') : op(num(a), num(b));

function join([list, separator]: unknown[], call: CallSite): unknown {
  if (!Array.isArray(list)) return call.unknown('join() of something that is not an array');
  const parts = list.map(str);
  return call.tooBig(parts.reduce((n, p) => n + p.length + 1, 0)) ?? parts.join(str(separator));
}

const compare =
  (test: (a: number | string, b: number | string) => boolean): Fn =>
  ([a, b]) =>
    test(a as number | string, b as number | string);

export const FUNCTIONS: Readonly<Record<string, Fn>> = {
  true: () => true,
  false: () => false,
  null: () => null,
  not: ([a]) => !a,
  equals: ([a, b]) => sameValue(a, b),
  less: compare((a, b) => a < b),
  lessorequals: compare((a, b) => a <= b),
  greater: compare((a, b) => a > b),
  greaterorequals: compare((a, b) => a >= b),
  bool: ([a]) => (typeof a === 'string' ? a.toLowerCase() === 'true' : Boolean(a)),
  int: ([a]) => Number.parseInt(String(a), 10),
  string: ([a], call) => {
    const text = str(a);
    return call.tooBig(text.length) ?? text;
  },
  json: ([a], call) => {
    try {
      return JSON.parse(String(a));
    } catch {
      return call.unknown('json() of text that is not JSON');
    }
  },
  array: ([a]) => (Array.isArray(a) ? a : [a]),
  createarray: (args) => args,
  createobject: (args) => Object.fromEntries(args.flatMap((x, i) => (i % 2 === 0 ? [[String(x), args[i + 1]]] : []))),
  tolower: ([a]) => str(a).toLowerCase(),
  toupper: ([a]) => str(a).toUpperCase(),
  trim: ([a]) => str(a).trim(),
  startswith: ([a, b]) => str(a).toLowerCase().startsWith(str(b).toLowerCase()),
  endswith: ([a, b]) => str(a).toLowerCase().endsWith(str(b).toLowerCase()),
  split: ([a, b]) => str(a).split(Array.isArray(b) ? new RegExp(b.map((s) => escapeRegExp(str(s))).join('|')) : str(b)),
  replace,
  substring,
  indexof: ([a, b]) => str(a).toLowerCase().indexOf(str(b).toLowerCase()),
  lastindexof: ([a, b]) => str(a).toLowerCase().lastIndexOf(str(b).toLowerCase()),
  padleft: padLeft,
  format,
  concat,
  join,
  contains: ([a, b]) =>
    typeof a === 'string'
      ? a.includes(str(b))
      : Array.isArray(a)
        ? a.some((x) => sameValue(x, b))
        : isRecord(a) && field(a, str(b)) !== undefined,
  empty: ([a]) => isEmpty(a),
  length: ([a]) => lengthOf(a),
  first: ([a]) => (Array.isArray(a) ? (a[0] ?? null) : str(a).slice(0, 1)),
  last: ([a]) => (Array.isArray(a) ? (a.at(-1) ?? null) : str(a).slice(-1)),
  take: slice('take'),
  skip: slice('skip'),
  union: (args) => (args.every(Array.isArray) ? distinct(args.flat()) : args.reduce(merged, {})),
  intersection,
  range,
  min: extreme('min', Math.min),
  max: extreme('max', Math.max),
  add: ([a, b]) => num(a) + num(b),
  sub: ([a, b]) => num(a) - num(b),
  mul: ([a, b]) => num(a) * num(b),
  div: divide((a, b) => Math.trunc(a / b)),
  mod: divide((a, b) => a % b),
  flatten: ([a]) => (Array.isArray(a) ? a.flat() : []),
  // ARM documents that items() sorts by key.
  items: ([a]) =>
    Object.entries(isRecord(a) ? a : {})
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([key, value]) => ({ key, value })),
  objectkeys: ([a]) => Object.keys(isRecord(a) ? a : {}),
  tryget: tryGet,
  shallowmerge: ([a]) => Object.assign({}, ...(Array.isArray(a) ? a.filter(isRecord) : [])),
};

/** A value as text that is the same for equal values (`equals()`): object properties sorted. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (!isRecord(value)) return JSON.stringify(value) ?? 'null';
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

/** The values once each, in their first order, compared as `equals()` compares them. */
function distinct(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = canonical(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** ARM's equality: the same type and content; objects by their properties, in any order. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (!isRecord(a) || !isRecord(b)) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameValue(a[k], b[k]));
}

/** ARM's `union` of objects: later keys win, and objects under the same key are merged in turn. */
function merged(into: unknown, from: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(isRecord(into) ? into : {}) };
  for (const [key, value] of Object.entries(isRecord(from) ? from : {})) {
    out[key] = isRecord(out[key]) && isRecord(value) ? merged(out[key], value) : value;
  }
  return out;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Deployment-time functions: their value comes from Azure, so anything built on them is unknown. */
export const deploymentTime = (name: string): string => `${name}() is known only at deployment time`;
