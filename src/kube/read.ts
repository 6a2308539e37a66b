import { ApiException, createConfiguration, ServerConfiguration } from '@kubernetes/client-node';
import { kubePath } from '../model/kubernetes.js';
import type { SourceDoc } from '../model/provenance.js';
import { hideUrlCredentials } from '../report/terminal.js';
import { emptyFragment, type Fragment, type Located } from '../sources/fragment.js';
import { limits } from '../sources/limits.js';
import { DEFAULT_CHUNK_SIZE } from './defaults.js';
import { clusterError, PagingError } from './errors.js';
import { boundedHttp } from './http.js';
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
  /** Told when a throttled request waits (429), e.g. to log it on stderr. */
  readonly onWait?: (line: string) => void;
  /** Objects read across every kind before the read is refused (default: the scan's object limit). */
  readonly maxObjects?: number;
  /** The longest wait a 429's `Retry-After` gets (default 60 s). */
  readonly maxWaitMs?: number;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 30_000;
/** One page of 500 objects is a few megabytes; a body far beyond that is a server gone wrong. */
const MAX_PAGE_BYTES = 128 * 2 ** 20;
/** Pages of one kind: 10,000 pages of 500 is five million objects, far more than a cluster holds. */
const MAX_PAGES = 10_000;

/**
 * Reads the objects the in-cluster rules need from a live cluster: list calls only (the scanner never writes),
 * paged with `limit`/`continue`, a few kinds at a time. Any failure stops the read with a one-line InputError.
 */
export async function readCluster(options: ReadOptions): Promise<Fragment> {
  const { access } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const onWait = options.onWait;
  const apis = makeApis(
    createConfiguration({
      baseServer: new ServerConfiguration(access.server, {}),
      authMethods: { default: access.config },
      httpApi: boundedHttp({
        timeoutMs,
        maxBodyBytes: MAX_PAGE_BYTES,
        ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
        ...(onWait ? { onWait: (line: string) => onWait(`kube:${access.context}: ${line}`) } : {}),
      }),
    }),
  );
  const doc = liveDoc(`kube:${access.context}`);
  const budget = { left: options.maxObjects ?? limits().objects };
  const lists = await inParallel(LIST_SPECS, options.concurrency ?? DEFAULT_CONCURRENCY, options.onProgress, (spec) =>
    listAll(apis, spec, options.chunkSize ?? DEFAULT_CHUNK_SIZE, budget).catch((error: unknown) => {
      throw clusterError(error, access, spec, timeoutMs);
    }),
  );
  const objects: Located[] = lists.flat().map((value) => ({ value, path: [], doc }));
  const server = hideUrlCredentials(access.server);
  return {
    ...emptyFragment(doc.file),
    kubernetes: [{ cluster: { name: access.cluster, server }, live: true, objects }],
  };
}

/**
 * Every object of one kind, page by page. A continue token the server no longer honours (410 Gone, after a few
 * minutes or an etcd compaction) restarts the list once from the beginning, as client-go's pager falls back too.
 * A token the server already gave, more pages than a cluster could fill, or more objects than the scan takes
 * are errors: a server that pages forever must not keep the scan (and its memory) going.
 */
async function listAll(
  apis: Apis,
  spec: ListSpec,
  limit: number,
  budget: { left: number },
): Promise<Record<string, unknown>[]> {
  let objects: Record<string, unknown>[] = [];
  let token: string | undefined;
  let restarted = false;
  const seen = new Set<string>();
  for (;;) {
    let page: Awaited<ReturnType<ListSpec['list']>>;
    try {
      page = await spec.list(apis, { limit, ...(token ? { _continue: token } : {}) });
    } catch (error) {
      const status = error instanceof ApiException ? error.code : undefined;
      if (spec.optional && status === 404) return [];
      if (status !== 410 || !token || restarted) throw error;
      budget.left += objects.length;
      [objects, token, restarted] = [[], undefined, true];
      seen.clear();
      continue;
    }
    // A proxy or sign-in page answering 200 with HTML gets here as a string, not a list.
    if (!Array.isArray(page?.items)) throw new SyntaxError('the answer is not a Kubernetes list');
    budget.left -= page.items.length;
    if (budget.left < 0) throw new PagingError(`more objects than aksguard reads in one scan (AKSGUARD_MAX_OBJECTS)`);
    for (const item of page.items) objects.push(asJson(item as Record<string, unknown>, spec));
    token = page.metadata?._continue || page.metadata?.continue || undefined;
    if (!token) return objects;
    if (seen.has(token)) throw new PagingError('the same continue token came back twice (the server pages in a loop)');
    if (seen.size >= MAX_PAGES) throw new PagingError(`more than ${MAX_PAGES.toLocaleString('en')} pages`);
    seen.add(token);
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
