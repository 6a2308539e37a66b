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

function format(args: unknown[], call: CallSite): unknown {
  const template = str(args[0]);
  const values = args.slice(1).map((v) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : str(v)));
  const holes = [...template.matchAll(/\{(\d+)(:[^}]*)?\}/g)];
  const size = template.length + holes.reduce((n, m) => n + (values[Number(m[1])]?.length ?? 0), 0);
  return call.tooBig(size) ?? template.replace(/\{(\d+)(:[^}]*)?\}/g, (_, i: string) => values[Number(i)] ?? '');
}

function replace([text, from, to]: unknown[], call: CallSite): unknown {
  const [a, b, c] = [str(text), str(from), str(to)];
  if (b === '') return a;
  const count = a.split(b).length - 1;
  return call.tooBig(a.length + count * (c.length - b.length)) ?? a.replaceAll(b, c);
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

function padLeft([value, width, pad]: unknown[], call: CallSite): unknown {
  const n = num(width);
  return call.tooBig(n) ?? str(value).padStart(n, typeof pad === 'string' ? pad : ' ');
}

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
  equals: ([a, b]) => JSON.stringify(a) === JSON.stringify(b),
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
  substring: ([a, start, length]) =>
    str(a).substring(num(start), length === undefined ? undefined : num(start) + num(length)),
  indexof: ([a, b]) => str(a).toLowerCase().indexOf(str(b).toLowerCase()),
  lastindexof: ([a, b]) => str(a).toLowerCase().lastIndexOf(str(b).toLowerCase()),
  padleft: padLeft,
  format,
  concat,
  join,
  contains: ([a, b]) =>
    Array.isArray(a) || typeof a === 'string' ? a.includes(b as never) : isRecord(a) && field(a, str(b)) !== undefined,
  empty: ([a]) => isEmpty(a),
  length: ([a]) => lengthOf(a),
  first: ([a]) => (Array.isArray(a) ? (a[0] ?? null) : str(a).slice(0, 1)),
  last: ([a]) => (Array.isArray(a) ? (a.at(-1) ?? null) : str(a).slice(-1)),
  take: ([a, n]) => (Array.isArray(a) ? a.slice(0, num(n)) : str(a).slice(0, num(n))),
  skip: ([a, n]) => (Array.isArray(a) ? a.slice(num(n)) : str(a).slice(num(n))),
  union: (args) => (args.every(Array.isArray) ? [...new Set(args.flat())] : args.reduce(merged, {})),
  intersection: ([first, ...rest]) =>
    Array.isArray(first)
      ? first.filter((x) => rest.every((r) => Array.isArray(r) && r.includes(x)))
      : Object.fromEntries(
          Object.entries(isRecord(first) ? first : {}).filter(([k, v]) =>
            rest.every((r) => isRecord(r) && JSON.stringify(r[k]) === JSON.stringify(v)),
          ),
        ),
  range,
  min: (args) => Math.min(...(Array.isArray(args[0]) ? args[0] : args).map(num)),
  max: (args) => Math.max(...(Array.isArray(args[0]) ? args[0] : args).map(num)),
  add: ([a, b]) => num(a) + num(b),
  sub: ([a, b]) => num(a) - num(b),
  mul: ([a, b]) => num(a) * num(b),
  div: ([a, b]) => Math.trunc(num(a) / num(b)),
  mod: ([a, b]) => num(a) % num(b),
  flatten: ([a]) => (Array.isArray(a) ? a.flat() : []),
  items: ([a]) => Object.entries(isRecord(a) ? a : {}).map(([key, value]) => ({ key, value })),
  objectkeys: ([a]) => Object.keys(isRecord(a) ? a : {}),
  tryget: tryGet,
  shallowmerge: ([a]) => Object.assign({}, ...(Array.isArray(a) ? a.filter(isRecord) : [])),
};

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
