import { checkSize, isPlainObject, LIMITS, NotEvaluated, Sensitive, TerraformError, unmark } from './values.js';

/**
 * Terraform's built-in functions whose result follows from their arguments alone. `deep` functions get their
 * arguments fully known and without sensitive marks (the evaluator marks the result again); the others work on
 * the structure and may see unknown or sensitive parts inside lists and objects.
 */
export interface TfFunction {
  readonly deep: boolean;
  readonly call: (args: unknown[]) => unknown;
}

const deep = (call: (args: unknown[]) => unknown): TfFunction => ({ deep: true, call });
const shallow = (call: (args: unknown[]) => unknown): TfFunction => ({ deep: false, call });

const fail = (message: string): never => {
  throw new TerraformError(message);
};

const str = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(`a string is required, not ${describe(value)}`);
};
const num = (value: unknown): number => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && !Number.isNaN(n) ? n : fail(`a number is required, not ${describe(value)}`);
};
const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : fail(`a list is required, not ${describe(value)}`);
const map = (value: unknown): Record<string, unknown> =>
  isPlainObject(value) ? value : fail(`a map or object is required, not ${describe(value)}`);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Equality as Terraform compares values: by content, marks ignored. */
export const same = (a: unknown, b: unknown): boolean => JSON.stringify(plain(a)) === JSON.stringify(plain(b));
const plain = (value: unknown): unknown =>
  value instanceof Sensitive
    ? value.value
    : Array.isArray(value)
      ? value.map(plain)
      : isPlainObject(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
        : value;

/** Sets of strings are sorted (as Terraform orders them), other sets keep first occurrences. */
function toSet(items: unknown[]): unknown[] {
  const seen = new Set<string>();
  const out = items.filter((item) => {
    const key = JSON.stringify(plain(item));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return out.every((v) => typeof v === 'string') ? out.sort() : out;
}

const sortedKeys = (value: Record<string, unknown>) => Object.keys(value).sort();

/** Regular expressions run by the JavaScript engine, which backtracks: patterns that may take exponential time are refused. */
function compile(pattern: string, flags = ''): RegExp {
  if (pattern.length > 1000 || /\((?:[^()\\]|\\.)*[+*}|](?:[^()\\]|\\.)*\)[+*{]/.test(pattern)) {
    throw new NotEvaluated('not evaluated: a regular expression with nested repetition, which could run for hours');
  }
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'), flags);
  } catch {
    return fail(`an invalid regular expression ${JSON.stringify(pattern.slice(0, 40))}`);
  }
}

function regexResult(match: RegExpExecArray): unknown {
  if (match.groups) return { ...match.groups };
  return match.length > 1 ? match.slice(1).map((g) => g ?? null) : match[0];
}

function regexInput(value: unknown): string {
  const text = str(value);
  return text.length > 10_000 ? fail('a string too long to match a regular expression against') : text;
}

function format(spec: string, args: unknown[]): string {
  let n = 0;
  return spec.replace(/%([-+# 0]*)(\d*)(?:\.(\d+))?([a-zA-Z%])/g, (whole, _flags, _width, precision, verb) => {
    if (verb === '%') return '%';
    const value = args[n++];
    if (value === undefined) return fail(`format: not enough arguments for ${whole}`);
    switch (verb) {
      case 'd':
        return String(Math.trunc(num(value)));
      case 'f':
        return num(value).toFixed(precision === undefined ? 6 : Number(precision));
      case 'q':
        return JSON.stringify(str(value));
      case 's':
        return str(value);
      case 'v':
        return typeof value === 'string' ? value : JSON.stringify(plain(value));
      case 't':
        return String(value);
      default:
        return fail(`format: the verb %${verb} is not supported`);
    }
  });
}

function range(args: unknown[]): number[] {
  const [a, b, c] = args.map(num);
  const [start, end, step] =
    b === undefined ? [0, a as number, 1] : [a as number, b, (c ?? (a as number) <= b) ? 1 : -1];
  if (step === 0) return fail('range: the step must not be zero');
  const count = Math.max(0, Math.ceil((end - start) / step));
  if (count > LIMITS.size) {
    throw new NotEvaluated(`not evaluated: range() of ${count} elements (aksguard's limit is ${LIMITS.size})`);
  }
  return Array.from({ length: count }, (_, i) => start + i * step);
}

function flatten(value: unknown[]): unknown[] {
  return value.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));
}

export const FUNCTIONS: Record<string, TfFunction> = {
  // Strings
  lower: deep(([s]) => str(s).toLowerCase()),
  upper: deep(([s]) => str(s).toUpperCase()),
  title: deep(([s]) => str(s).replace(/\b[a-z]/g, (c) => c.toUpperCase())),
  trimspace: deep(([s]) => str(s).trim()),
  chomp: deep(([s]) => str(s).replace(/(\r?\n)+$/, '')),
  trim: deep(([s, chars]) => {
    const set = new Set(str(chars));
    const text = [...str(s)];
    while (text.length && set.has(text[0] as string)) text.shift();
    while (text.length && set.has(text[text.length - 1] as string)) text.pop();
    return text.join('');
  }),
  trimprefix: deep(([s, p]) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s))),
  trimsuffix: deep(([s, p]) => (str(p) !== '' && str(s).endsWith(str(p)) ? str(s).slice(0, -str(p).length) : str(s))),
  startswith: deep(([s, p]) => str(s).startsWith(str(p))),
  endswith: deep(([s, p]) => str(s).endsWith(str(p))),
  strcontains: deep(([s, p]) => str(s).includes(str(p))),
  strrev: deep(([s]) => [...str(s)].reverse().join('')),
  substr: deep(([s, offset, length]) => {
    const chars = [...str(s)];
    const start = num(offset) < 0 ? chars.length + num(offset) : num(offset);
    const end = num(length) < 0 ? chars.length : start + num(length);
    return chars.slice(start, end).join('');
  }),
  replace: deep(([s, search, replacement]) => {
    const pattern = str(search);
    const match = /^\/(.*)\/$/s.exec(pattern);
    if (match)
      return regexInput(s).replace(
        compile(match[1] as string, 'g'),
        str(replacement).replace(/\$\{?(\w+)\}?/g, '$<$1>'),
      );
    return checkSize(str(s).split(pattern).join(str(replacement)));
  }),
  split: deep(([sep, s]) => (str(s) === '' ? [] : str(s).split(str(sep)))),
  join: deep(([sep, items]) => checkSize(list(items).map(str).join(str(sep)))),
  format: deep(([spec, ...rest]) => checkSize(format(str(spec), rest))),
  formatlist: deep(([spec, ...rest]) => {
    const length = rest.find(Array.isArray)?.length ?? 1;
    return Array.from({ length }, (_, i) =>
      format(
        str(spec),
        rest.map((r) => (Array.isArray(r) ? r[i] : r)),
      ),
    );
  }),
  indent: deep(([n, s]) => str(s).replace(/\n/g, `\n${' '.repeat(num(n))}`)),
  regex: deep(([pattern, s]) => {
    const match = compile(str(pattern)).exec(regexInput(s));
    return match ? regexResult(match) : fail('regex: the pattern does not match');
  }),
  regexall: deep(([pattern, s]) => {
    const re = compile(str(pattern), 'g');
    return [...regexInput(s).matchAll(re)].map((m) => regexResult(m as RegExpExecArray));
  }),
  // Collections
  length: shallow(([v]) => {
    const [value] = unmark(v);
    if (typeof value === 'string') return [...value].length;
    if (Array.isArray(value)) return value.length;
    if (isPlainObject(value)) return Object.keys(value).length;
    return fail(`length of ${describe(value)}`);
  }),
  concat: shallow((lists) => checkSize(lists.flatMap(list))),
  merge: shallow((maps) => checkSize(Object.assign({}, ...maps.filter((m) => m !== null).map(map)))),
  contains: deep(([items, item]) => list(items).some((v) => same(v, item))),
  coalesce: shallow((args) => {
    const found = args.find((a) => {
      const [v] = unmark(a);
      return v !== null && v !== '';
    });
    return found === undefined ? fail('coalesce: no non-null, non-empty argument') : found;
  }),
  coalescelist: shallow(
    (args) => args.find((a) => Array.isArray(a) && a.length > 0) ?? fail('coalescelist: all empty'),
  ),
  compact: shallow(([items]) => list(items).filter((v) => unmark(v)[0] !== null && unmark(v)[0] !== '')),
  distinct: shallow(([items]) => list(items).filter((v, i, all) => all.findIndex((w) => same(v, w)) === i)),
  flatten: shallow(([items]) => checkSize(flatten(list(items)))),
  keys: shallow(([m]) => sortedKeys(map(m))),
  values: shallow(([m]) => sortedKeys(map(m)).map((k) => map(m)[k])),
  lookup: shallow(([m, key, fallback]) => {
    const record = map(m);
    const name = str(unmark(key)[0]);
    if (Object.hasOwn(record, name)) return record[name];
    return fallback === undefined ? fail(`lookup: no key ${JSON.stringify(name)}`) : fallback;
  }),
  element: shallow(([items, index]) => {
    const all = list(items);
    if (all.length === 0) return fail('element of an empty list');
    return all[num(unmark(index)[0]) % all.length];
  }),
  index: deep(([items, item]) => {
    const found = list(items).findIndex((v) => same(v, item));
    return found === -1 ? fail('index: the value is not in the list') : found;
  }),
  slice: shallow(([items, from, to]) => list(items).slice(num(unmark(from)[0]), num(unmark(to)[0]))),
  reverse: shallow(([items]) => [...list(items)].reverse()),
  sort: deep(([items]) => list(items).map(str).sort()),
  one: shallow(([items]) => {
    const all = list(items);
    return all.length === 0 ? null : all.length === 1 ? all[0] : fail('one: more than one element');
  }),
  range: deep(range),
  zipmap: shallow(([keys, vals]) => Object.fromEntries(list(keys).map((k, i) => [str(unmark(k)[0]), list(vals)[i]]))),
  setunion: shallow((sets) => toSet(sets.flatMap(list))),
  setintersection: deep(([first, ...rest]) =>
    toSet(list(first).filter((v) => rest.every((s) => list(s).some((w) => same(v, w))))),
  ),
  setsubtract: deep(([a, b]) => toSet(list(a).filter((v) => !list(b).some((w) => same(v, w))))),
  chunklist: shallow(([items, size]) => {
    const all = list(items);
    const n = num(unmark(size)[0]);
    if (n <= 0) return [all];
    return Array.from({ length: Math.ceil(all.length / n) }, (_, i) => all.slice(i * n, i * n + n));
  }),
  alltrue: deep(([items]) => list(items).every((v) => v === true || v === 'true')),
  anytrue: deep(([items]) => list(items).some((v) => v === true || v === 'true')),
  sum: deep(([items]) =>
    list(items)
      .map(num)
      .reduce((a, b) => a + b, 0),
  ),
  // Numbers
  min: deep((args) => Math.min(...args.map(num))),
  max: deep((args) => Math.max(...args.map(num))),
  abs: deep(([n]) => Math.abs(num(n))),
  ceil: deep(([n]) => Math.ceil(num(n))),
  floor: deep(([n]) => Math.floor(num(n))),
  signum: deep(([n]) => Math.sign(num(n))),
  pow: deep(([a, b]) => num(a) ** num(b)),
  parseint: deep(([s, base]) => {
    const n = Number.parseInt(str(s), num(base));
    return Number.isNaN(n) ? fail('parseint: not a number') : n;
  }),
  // Types and encodings. A jsonencode'd value keeps its structure: its consumers (azapi `body`) want the object.
  jsonencode: shallow(([v]) => v),
  jsondecode: shallow(([v]) => {
    const [text, marked] = unmark(v);
    if (typeof text !== 'string') return v;
    try {
      const parsed: unknown = JSON.parse(text);
      return marked ? new Sensitive(JSON.stringify(parsed)) : checkSize(parsed);
    } catch {
      return fail('jsondecode: not valid JSON');
    }
  }),
  base64encode: deep(([s]) => Buffer.from(str(s)).toString('base64')),
  base64decode: deep(([s]) => Buffer.from(str(s), 'base64').toString('utf8')),
  tostring: deep(([v]) => (v === null ? null : str(v))),
  tonumber: deep(([v]) => (v === null ? null : num(v))),
  tobool: deep(([v]) =>
    v === null || typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : fail('tobool'),
  ),
  tolist: shallow(([v]) => (v === null ? null : list(v))),
  toset: shallow(([v]) => (v === null ? null : toSet(list(v)))),
  tomap: shallow(([v]) => (v === null ? null : map(v))),
};
