import { ApiException, createConfiguration, type RequestContext, ServerConfiguration } from '@kubernetes/client-node';
import { kubePath } from '../model/kubernetes.js';
import type { SourceDoc } from '../model/provenance.js';
import { emptyFragment, type Fragment, type Located } from '../sources/fragment.js';
import { DEFAULT_CHUNK_SIZE } from './defaults.js';
import { clusterError } from './errors.js';
import type { ClusterAccess } from './kubeconfig.js';
import { type Apis, LIST_SPECS, type ListSpec, makeApis } from './resources.js';

export interface ReadOptions {
  readonly access: ClusterAccess;
  /** Objects per list request (`limit`), like kubectl's `--chunk-size` (default 500). */
  readonly chunkSize?: number;
  /** List requests in flight at once. */
  readonly concurrency?: number;
  /** How long one request may take before the scan gives up on the cluster. */
  readonly timeoutMs?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Reads the objects the in-cluster rules need from a live cluster: list calls only (the scanner never writes),
 * paged with `limit`/`continue`, a few kinds at a time. Any failure stops the read with a one-line InputError.
 */
export async function readCluster(options: ReadOptions): Promise<Fragment> {
  const { access } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const apis = makeApis(
    createConfiguration({
      baseServer: new ServerConfiguration(access.server, {}),
      authMethods: { default: access.config },
      promiseMiddleware: [
        {
          pre: async (context: RequestContext) => {
            context.setSignal(AbortSignal.timeout(timeoutMs));
            return context;
          },
          post: async (response) => response,
        },
      ],
    }),
  );
  const doc = liveDoc(`kube:${access.context}`);
  const lists = await inParallel(LIST_SPECS, options.concurrency ?? DEFAULT_CONCURRENCY, options.onProgress, (spec) =>
    listAll(apis, spec, options.chunkSize ?? DEFAULT_CHUNK_SIZE).catch((error: unknown) => {
      throw clusterError(error, access, spec, timeoutMs);
    }),
  );
  const objects: Located[] = lists.flat().map((value) => ({ value, path: [], doc }));
  return {
    ...emptyFragment(doc.file),
    kubernetes: [{ cluster: { name: access.cluster, server: access.server }, live: true, objects }],
  };
}

/**
 * Every object of one kind, page by page. A continue token the server no longer honours (410 Gone, after a few
 * minutes or an etcd compaction) restarts the list once from the beginning, as client-go's pager falls back too.
 */
async function listAll(apis: Apis, spec: ListSpec, limit: number): Promise<Record<string, unknown>[]> {
  let objects: Record<string, unknown>[] = [];
  let token: string | undefined;
  let restarted = false;
  for (;;) {
    let page: Awaited<ReturnType<ListSpec['list']>>;
    try {
      page = await spec.list(apis, { limit, ...(token ? { _continue: token } : {}) });
    } catch (error) {
      const status = error instanceof ApiException ? error.code : undefined;
      if (spec.optional && status === 404) return [];
      if (status !== 410 || !token || restarted) throw error;
      [objects, token, restarted] = [[], undefined, true];
      continue;
    }
    for (const item of page.items) objects.push(asJson(item as Record<string, unknown>, spec));
    token = page.metadata?._continue || page.metadata?.continue || undefined;
    if (!token) return objects;
  }
}

/**
 * The typed client gives class instances with `Date` timestamps; rules read objects as `kubectl get -o json`
 * shows them. Converted in place (no second copy), with the kind and apiVersion list items lack.
 */
function asJson(object: Record<string, unknown>, spec: ListSpec): Record<string, unknown> {
  datesToText(object);
  object.kind = spec.kind;
  object.apiVersion = spec.apiVersion;
  return object;
}

function datesToText(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = datesToText(value[i]);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = datesToText(record[key]);
  }
  return value;
}

/** Runs `task` over `items` with at most `limit` at once; the first failure stops new tasks and is thrown. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  onProgress: ((done: number, total: number) => void) | undefined,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
      onProgress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function liveDoc(file: string): SourceDoc {
  return { file, locate: () => undefined, describe: kubePath };
}
