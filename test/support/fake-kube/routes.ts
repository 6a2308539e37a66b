import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { ApiError, forbidden } from './errors.js';
import { apiVersionOf, groupVersionPath, type ResourceType, type ResourceTypes } from './resources.js';
import { fieldSelector, labelSelector, type Selector } from './selectors.js';
import type { ResourceStore, StoredObject } from './store.js';
import { streamWatch } from './watch.js';

/** The resource a request URL addresses: `/api/v1/namespaces/ns/pods/name/subresource` and its shorter forms. */
export interface Target {
  readonly type: ResourceType;
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  readonly subresource?: string | undefined;
}

export interface RequestContext {
  readonly method: string;
  readonly url: URL;
  /** Undefined for non-resource paths (`/api`, `/apis`, `/version`, discovery). */
  readonly target: Target | undefined;
  readonly store: ResourceStore;
  readonly response: ServerResponse;
  readonly headers: IncomingHttpHeaders;
  /** The request body parsed as JSON. */
  body(): Promise<unknown>;
  /** True while watches are stalled: open streams send nothing. */
  watchStalled?: () => boolean;
}

/** What a handler answers: a JSON body (200 unless `status` says otherwise), or `STREAMING` when it wrote itself. */
export type Reply = { readonly status?: number; readonly body: unknown } | typeof STREAMING;
export const STREAMING = Symbol('streaming');

export interface Route {
  /** For logs and for finding a route to replace. */
  readonly name: string;
  readonly method: string;
  matches(context: RequestContext): boolean;
  handle(context: RequestContext): Promise<Reply> | Reply;
}

const isWatch = (url: URL) => ['true', '1'].includes(url.searchParams.get('watch') ?? '');
const resourceRoute = (
  name: string,
  method: string,
  shape: (t: Target, url: URL) => boolean,
  handle: Route['handle'],
): Route => ({ name, method, matches: (c) => c.target !== undefined && shape(c.target, c.url), handle });

/** The generic list/get/watch/create/replace/delete routes every resource type gets. */
export function defaultRoutes(): Route[] {
  return [
    resourceRoute(
      'watch',
      'GET',
      (t, url) => !t.name && isWatch(url),
      (c) => streamWatch(c),
    ),
    resourceRoute(
      'list',
      'GET',
      (t) => !t.name,
      (c) => ({ body: listBody(c) }),
    ),
    resourceRoute(
      'get',
      'GET',
      (t) => !!t.name && !t.subresource,
      (c) => ({ body: getObject(c) }),
    ),
    resourceRoute(
      'create',
      'POST',
      (t) => !t.name,
      async (c) => ({ status: 201, body: create(c, await c.body()) }),
    ),
    resourceRoute(
      'replace',
      'PUT',
      (t) => !!t.name && !t.subresource,
      async (c) => ({ body: replace(c, await c.body()) }),
    ),
    resourceRoute(
      'delete',
      'DELETE',
      (t) => !!t.name && !t.subresource,
      (c) => ({ body: remove(c) }),
    ),
  ];
}

/** `limit` and `continue` page through objects in key order; `labelSelector` and `fieldSelector` filter them. */
function listBody({ target, url, store }: RequestContext): unknown {
  const { type, namespace } = target as Target;
  const selected = selectorsOf(url);
  const limit = Number(url.searchParams.get('limit') ?? 0);
  const token = decodeContinue(url.searchParams.get('continue'));
  const matching = store.list(type, namespace).filter(selected);
  const start = token ? matching.findIndex((o) => objectKey(o) > token.after) : 0;
  const rest = start === -1 ? [] : matching.slice(start);
  const page = limit > 0 ? rest.slice(0, limit) : rest;
  const remaining = rest.length - page.length;
  const last = page.at(-1);
  const resourceVersion = token?.resourceVersion ?? String(store.resourceVersion);
  return {
    kind: `${type.kind}List`,
    apiVersion: apiVersionOf(type),
    metadata: {
      resourceVersion,
      ...(remaining > 0 && last
        ? { continue: encodeContinue({ resourceVersion, after: objectKey(last) }), remainingItemCount: remaining }
        : {}),
    },
    // A real API server leaves kind and apiVersion off list items; clients must not depend on them.
    items: page.map(({ kind: _kind, apiVersion: _apiVersion, ...item }) => item),
  };
}

export function selectorsOf(url: URL): Selector {
  const labels = labelSelector(url.searchParams.get('labelSelector'));
  const fields = fieldSelector(url.searchParams.get('fieldSelector'));
  return (object) => labels(object) && fields(object);
}

function getObject({ target, store }: RequestContext): StoredObject {
  const { type, namespace, name } = target as Target;
  return store.get(type, namespace, name as string);
}

function create({ target, store }: RequestContext, body: unknown): StoredObject {
  const { type, namespace } = target as Target;
  const object = body as StoredObject;
  const given = (object.metadata ?? {}) as Record<string, unknown>;
  // generateName: the server picks the name, as for Events.
  const name = given.name ?? (given.generateName ? `${given.generateName}${randomSuffix()}` : undefined);
  const metadata = { ...given, ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) };
  return store.create(type, { ...object, metadata });
}

function replace({ target, store }: RequestContext, body: unknown): StoredObject {
  const { type, namespace } = target as Target;
  const object = body as StoredObject;
  // The namespace comes from the URL, as the API server takes it.
  const metadata = { ...(object.metadata as Record<string, unknown>), ...(namespace ? { namespace } : {}) };
  return store.replace(type, { ...object, metadata });
}

function remove({ target, store }: RequestContext): unknown {
  const { type, namespace, name } = target as Target;
  return store.delete(type, namespace, name as string);
}

const randomSuffix = () => Math.random().toString(36).slice(2, 7);

interface ContinueToken {
  readonly resourceVersion: string;
  readonly after: string;
}

const encodeContinue = (token: ContinueToken): string => Buffer.from(JSON.stringify(token)).toString('base64url');

function decodeContinue(text: string | null): ContinueToken | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ContinueToken;
  } catch {
    throw new ApiError(400, 'BadRequest', 'continue key is not valid');
  }
}

const objectKey = (object: StoredObject): string => {
  const metadata = object.metadata as { namespace?: string; name: string };
  return `${metadata.namespace ?? ''}/${metadata.name}`;
};

/** Parses a resource URL; undefined for discovery and other non-resource paths. */
export function parseTarget(pathname: string, types: ResourceTypes): Target | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group = '';
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] as string;
    rest = parts.slice(3);
  } else return undefined;
  const version = parts[0] === 'api' ? (parts[1] as string) : (parts[2] as string);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && types.byResource(group, version, rest[2] as string)?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const type = types.byResource(group, version, rest[0] as string);
  if (!type) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${pathname})`);
  return { type, namespace, name: rest[1], subresource: rest[2] };
}

/** The verb a request needs in RBAC terms, for realistic 403 messages. */
export function verbOf(method: string, target: Target | undefined, url: URL): string {
  if (method === 'GET') return target?.name ? 'get' : isWatch(url) ? 'watch' : 'list';
  return { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] ?? method.toLowerCase();
}

export function forbiddenFor(method: string, target: Target | undefined, url: URL): ApiError {
  const resource = target
    ? `${target.type.resource}${target.subresource ? `/${target.subresource}` : ''}`
    : url.pathname;
  return forbidden(verbOf(method, target, url), resource, target?.type.group ?? '', target?.namespace);
}

/** `/api`, `/apis`, `/api/v1`, `/apis/g/v` and `/version`: what clients ask before they know the resource paths. */
export function discovery(pathname: string, types: ResourceTypes): unknown {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/version') return { major: '1', minor: '35', gitVersion: 'v1.35.4', platform: 'linux/amd64' };
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis') {
    const groups = types.groupVersions().filter((g) => g.group !== '');
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map(({ group, version }) => ({
        name: group,
        versions: [{ groupVersion: `${group}/${version}`, version }],
        preferredVersion: { groupVersion: `${group}/${version}`, version },
      })),
    };
  }
  const gv = types.groupVersions().find((g) => groupVersionPath(g) === path);
  if (!gv) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv.group ? `${gv.group}/${gv.version}` : gv.version,
    resources: types
      .all()
      .filter((t) => t.group === gv.group && t.version === gv.version)
      .map((t) => ({
        name: t.resource,
        singularName: t.kind.toLowerCase(),
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      })),
  };
}
