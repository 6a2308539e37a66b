import { ApiError } from './errors.js';

/** A parsed label or field selector: every requirement must hold. */
export type Selector = (object: Record<string, unknown>) => boolean;

const matchAll: Selector = () => true;

/**
 * Label selectors as the API server accepts them: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * comma-separated.
 */
export function labelSelector(text: string | null): Selector {
  if (!text) return matchAll;
  const requirements = splitTopLevel(text).map(parseLabelRequirement);
  return (object) => {
    const labels = (metadataOf(object).labels ?? {}) as Record<string, string>;
    return requirements.every((test) => test(labels));
  };
}

function parseLabelRequirement(raw: string): (labels: Record<string, string>) => boolean {
  const text = raw.trim();
  const set = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (set) {
    const [, key = '', op, values = ''] = set;
    const allowed = new Set(values.split(',').map((v) => v.trim()));
    return op === 'in'
      ? (labels) => key in labels && allowed.has(labels[key] as string)
      : (labels) => !(key in labels) || !allowed.has(labels[key] as string);
  }
  const compare = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(text);
  if (compare) {
    const [, key = '', op, value] = compare;
    return op === '!=' ? (labels) => labels[key] !== value : (labels) => labels[key] === value;
  }
  const exists = /^(!?)([\w./-]+)$/.exec(text);
  if (exists) {
    const [, negate, key = ''] = exists;
    return negate ? (labels) => !(key in labels) : (labels) => key in labels;
  }
  throw new ApiError(400, 'BadRequest', `unable to parse requirement: ${JSON.stringify(text)}`);
}

/** Field selectors: `path=value`, `path==value`, `path!=value` on dotted paths such as `spec.nodeName`. */
export function fieldSelector(text: string | null): Selector {
  if (!text) return matchAll;
  const requirements = text.split(',').map((raw) => {
    const match = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(raw.trim());
    if (!match) throw new ApiError(400, 'BadRequest', `invalid field selector: ${JSON.stringify(raw)}`);
    const [, path = '', op, value = ''] = match;
    const read = (object: Record<string, unknown>) => String(valueAt(object, path) ?? '');
    return op === '!='
      ? (o: Record<string, unknown>) => read(o) !== value
      : (o: Record<string, unknown>) => read(o) === value;
  });
  return (object) => requirements.every((test) => test(object));
}

function valueAt(object: unknown, dotted: string): unknown {
  let value = object;
  for (const key of dotted.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Splits on commas outside parentheses (`a in (x,y),b` has two requirements). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.filter((p) => p.trim() !== '');
}

export const metadataOf = (object: Record<string, unknown>): Record<string, unknown> =>
  (object.metadata ?? {}) as Record<string, unknown>;
