/**
 * A fake Kubernetes API server for tests: real HTTP(S) that the real `@kubernetes/client-node` talks to.
 *
 *   const kube = await FakeKube.start({ token: 't0ken' });     // HTTPS on 127.0.0.1 (test/support/tls, test-only)
 *   kube.store.seed(pod, node, ...);                          // any object whose apiVersion/kind is registered
 *   const kubeconfig = kube.writeKubeconfig(dir);            // a kubeconfig file (context `fake`) for the client
 *   kube.faults.push({ path: '/api/v1/pods', status: 500, times: 1 });   // fail, reset or delay requests
 *   kube.requests                                            // every request seen: method, path, query
 *   await kube.close();
 *
 * Store (`store.ts`): a generic object store by group/version/resource/namespace with one resourceVersion counter;
 * `seed`, `create` (409 AlreadyExists), `replace` (409 Conflict on a stale resourceVersion), `delete`, `get`,
 * `list`, and change events for watches. Types (`resources.ts`): core, apps, batch, RBAC, networking, coordination
 * (Leases), policy (PDBs) and Cilium; `store.types.add()` registers more.
 * Routes (`routes.ts`): list with `limit`/`continue`/`labelSelector`/`fieldSelector` (e.g. `spec.nodeName=n1`),
 * get, create (POST), replace (PUT), delete, watch (`?watch=true`, `resourceVersion`, `timeoutSeconds`, 410 when
 * too old), and discovery (`/api`, `/apis`, `/api/v1`, `/apis/g/v`, `/version`). Requests and responses are
 * Kubernetes-shaped: list items carry no kind/apiVersion, errors are `Status` objects.
 * Extending: `kube.routes.unshift({ name, method, matches(ctx), handle(ctx) })` adds a route (e.g. PATCH,
 * `pods/eviction`) ahead of the generic ones; a handler returns `{ status?, body }` or throws an `ApiError`.
 * Faults (`Fault`): by method and path (exact string or RegExp) or any predicate: answer with a status (403 gets
 * the real "cannot list resource" wording), reset the connection, or delay; `times` limits how often.
 * `dropWatches()` cuts every open watch stream, as a restarted API server or a load balancer would.
 * Built in for the reboot daemon: PATCH (`patch.ts`: merge, strategic merge, JSON patch) and `pods/eviction`
 * (`eviction.ts`: PodDisruptionBudgets answer 429); `evictions` lists every pod removed through it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { testCertificate } from '../certificate.js';
import { ApiError } from './errors.js';
import { type Eviction, evictionRoute } from './eviction.js';
import { patchRoute } from './patch.js';
import { ResourceTypes } from './resources.js';
import {
  defaultRoutes,
  discovery,
  forbiddenFor,
  parseTarget,
  type RequestContext,
  type Route,
  STREAMING,
} from './routes.js';
import { ResourceStore } from './store.js';

export { ApiError } from './errors.js';
export type { Eviction } from './eviction.js';
export type { ResourceType } from './resources.js';
export type { RequestContext, Route } from './routes.js';
export type { StoredObject } from './store.js';

export interface Fault {
  readonly method?: string;
  /** The URL path, exactly, or a pattern. */
  readonly path?: string | RegExp;
  readonly when?: (request: { method: string; url: URL }) => boolean;
  /** Answer with this status (and a Status body) instead of the real response. */
  readonly status?: number;
  readonly message?: string;
  /** Close the connection without answering. */
  readonly reset?: boolean;
  /** Wait this long before handling (or failing) the request. */
  readonly delayMs?: number;
  /** Apply to this many matching requests, then stop (default: all). */
  times?: number;
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
}

export interface FakeKubeOptions {
  /** Require `Authorization: Bearer <token>`; other requests get 401. */
  readonly token?: string;
  /** Plain HTTP instead of HTTPS (the kubeconfig then skips TLS verification). */
  readonly http?: boolean;
}

export class FakeKube {
  readonly store = new ResourceStore(new ResourceTypes());
  readonly evictions: Eviction[] = [];
  readonly routes: Route[] = [evictionRoute((e) => this.evictions.push(e)), patchRoute(), ...defaultRoutes()];
  readonly faults: Fault[] = [];
  readonly requests: SeenRequest[] = [];
  private readonly watches = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly ca: string | undefined,
    readonly token: string,
    private readonly requireToken: boolean,
  ) {}

  static async start(options: FakeKubeOptions = {}): Promise<FakeKube> {
    const certificate = options.http ? undefined : testCertificate();
    let kube: FakeKube | undefined;
    const listener = (request: IncomingMessage, response: ServerResponse) => {
      void kube?.handle(request, response);
    };
    const server = certificate
      ? createHttpsServer({ key: certificate.key, cert: certificate.cert }, listener)
      : createHttpServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const url = `${certificate ? 'https' : 'http'}://127.0.0.1:${port}`;
    kube = new FakeKube(server, url, certificate?.cert, options.token ?? 'fake-token', options.token !== undefined);
    return kube;
  }

  /** A kubeconfig (YAML) with one context `context` pointing at this server. */
  kubeconfig(options: { context?: string; cluster?: string; token?: string; server?: string } = {}): string {
    const context = options.context ?? 'fake';
    const cluster = options.cluster ?? 'fake-cluster';
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': context,
      clusters: [
        {
          name: cluster,
          cluster: {
            server: options.server ?? this.url,
            ...(this.ca
              ? { 'certificate-authority-data': Buffer.from(this.ca).toString('base64') }
              : { 'insecure-skip-tls-verify': true }),
          },
        },
      ],
      users: [{ name: 'tester', user: { token: options.token ?? this.token } }],
      contexts: [{ name: context, context: { cluster, user: 'tester' } }],
    });
  }

  writeKubeconfig(dir: string, options: Parameters<FakeKube['kubeconfig']>[0] = {}): string {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `kubeconfig-${options.context ?? 'fake'}.yaml`);
    writeFileSync(file, this.kubeconfig(options));
    return file;
  }

  /** Ends every open watch stream abruptly; clients must notice and watch again. */
  dropWatches(): number {
    const open = [...this.watches];
    for (const response of open) response.destroy();
    this.watches.clear();
    return open.length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', this.url);
    this.requests.push({ method, path: url.pathname, query: url.searchParams });
    try {
      const fault = this.takeFault(method, url);
      if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault?.reset) {
        request.socket.destroy();
        return;
      }
      if (this.requireToken && request.headers.authorization !== `Bearer ${this.token}`) {
        throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      }
      const target = parseTarget(url.pathname, this.store.types);
      if (fault?.status === 403) throw forbiddenFor(method, target, url);
      if (fault?.status) throw new ApiError(fault.status, reasonFor(fault.status), fault.message ?? 'injected fault');
      if (!target) return this.answer(response, 200, this.discover(url));
      const context: RequestContext = {
        method,
        url,
        target,
        store: this.store,
        response,
        headers: request.headers,
        body: () => readJson(request),
      };
      const route = this.routes.find((r) => r.method === method && r.matches(context));
      if (!route) throw new ApiError(405, 'MethodNotAllowed', `${method} is not supported on ${url.pathname}`);
      if (route.name === 'watch') {
        this.watches.add(response);
        response.on('close', () => this.watches.delete(response));
      }
      const reply = await route.handle(context);
      if (reply !== STREAMING) this.answer(response, reply.status ?? 200, reply.body);
    } catch (error) {
      const failure =
        error instanceof ApiError ? error : new ApiError(500, 'InternalError', `fake server bug: ${String(error)}`);
      if (!response.headersSent) this.answer(response, failure.code, failure.toStatus());
      else response.end();
    }
  }

  private discover(url: URL): unknown {
    const found = discovery(url.pathname, this.store.types);
    if (found === undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    return found;
  }

  private takeFault(method: string, url: URL): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        (f.times === undefined || f.times > 0) &&
        (!f.method || f.method === method) &&
        (!f.path || (typeof f.path === 'string' ? f.path === url.pathname : f.path.test(url.pathname))) &&
        (!f.when || f.when({ method, url })),
    );
    if (fault?.times !== undefined) fault.times--;
    return fault;
  }

  private answer(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    response.end(text);
  }
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};
const reasonFor = (status: number): string => REASONS[status] ?? 'Unknown';

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'BadRequest', 'the request body is not JSON');
  }
}
