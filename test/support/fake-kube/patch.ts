import { ApiError } from './errors.js';
import type { Route, Target } from './routes.js';
import type { StoredObject } from './store.js';

/**
 * PATCH as the API server takes it, by Content-Type: JSON merge patch (RFC 7386), strategic merge patch (here:
 * merge semantics, enough for metadata and spec.unschedulable; lists are replaced, not merged by key) and JSON
 * patch (RFC 6902: add, remove, replace, test). The result is stored with the resourceVersion it was read at, so
 * a patch never loses a concurrent write; a patch carrying a stale `metadata.resourceVersion` gets 409.
 */
export function patchRoute(): Route {
  return {
    name: 'patch',
    method: 'PATCH',
    matches: (c) => c.target !== undefined && !!c.target.name && !c.target.subresource,
    async handle(c) {
      const { type, namespace, name } = c.target as Target;
      const current = c.store.get(type, namespace, name as string);
      const contentType = String(c.headers['content-type'] ?? 'application/merge-patch+json').split(';')[0];
      const body = await c.body();
      let patched: StoredObject;
      if (contentType === 'application/json-patch+json') {
        if (!Array.isArray(body)) throw new ApiError(400, 'BadRequest', 'a JSON patch is a list of operations');
        patched = jsonPatch(current, body as JsonPatchOp[]);
      } else if (
        contentType === 'application/merge-patch+json' ||
        contentType === 'application/strategic-merge-patch+json'
      ) {
        patched = mergePatch(current, body) as StoredObject;
      } else {
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format: ${contentType}`,
        );
      }
      const metadata = (patched.metadata ?? {}) as Record<string, unknown>;
      const requested = metadata.resourceVersion;
      const currentVersion = (current.metadata as Record<string, unknown>).resourceVersion;
      const resourceVersion = requested === undefined || requested === currentVersion ? currentVersion : requested;
      return { body: c.store.replace(type, { ...patched, metadata: { ...metadata, resourceVersion } }) };
    },
  };
}

/** RFC 7386: objects merge key by key, `null` removes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

interface JsonPatchOp {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
}

function jsonPatch(target: StoredObject, ops: readonly JsonPatchOp[]): StoredObject {
  const doc = structuredClone(target) as Record<string, unknown>;
  for (const op of ops) {
    const keys = op.path
      .split('/')
      .slice(1)
      .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop();
    if (last === undefined) throw new ApiError(422, 'Invalid', `bad JSON patch path '${op.path}'`);
    let parent: Record<string, unknown> = doc;
    for (const key of keys) {
      const next = parent[key];
      if (typeof next !== 'object' || next === null) throw new ApiError(422, 'Invalid', `no path '${op.path}'`);
      parent = next as Record<string, unknown>;
    }
    const index = Array.isArray(parent) ? (last === '-' ? parent.length : Number(last)) : undefined;
    switch (op.op) {
      case 'add':
        if (Array.isArray(parent)) parent.splice(index as number, 0, op.value);
        else parent[last] = op.value;
        break;
      case 'replace':
        if (!(last in parent)) throw new ApiError(422, 'Invalid', `no path '${op.path}' to replace`);
        parent[last] = op.value;
        break;
      case 'remove':
        if (!(last in parent)) throw new ApiError(422, 'Invalid', `no path '${op.path}' to remove`);
        if (Array.isArray(parent)) parent.splice(index as number, 1);
        else delete parent[last];
        break;
      case 'test':
        if (JSON.stringify(parent[last]) !== JSON.stringify(op.value))
          throw new ApiError(422, 'Invalid', `test of '${op.path}' failed`);
        break;
      default:
        throw new ApiError(422, 'Invalid', `unsupported JSON patch op '${op.op}'`);
    }
  }
  return doc;
}
