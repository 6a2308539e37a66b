import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type TestCertificate, testCertificate } from '../certificate.js';
import type { EmulatedCluster, World } from './world.js';

// biome-ignore lint/suspicious/noExplicitAny: REST example bodies are free-form JSON that the fixtures walk by known paths
type Json = Record<string, any>;

/** A fault the emulator answers with instead of the real response, for the first `times` matching requests. */
export interface Fault {
  readonly method?: string;
  /** Matched against the path (without the query). */
  readonly path: RegExp;
  readonly status?: number;
  /** Seconds, sent as `Retry-After`. */
  readonly retryAfter?: number;
  /** Wait this long before answering (a slow ARM). */
  readonly delayMs?: number;
  /** Close the connection without an answer (a network failure). */
  readonly drop?: boolean;
  times: number;
}

export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly at: number;
  readonly status: number;
  readonly authorized: boolean;
}

export interface EmulatorOptions {
  /** How many polls a long-running operation answers `InProgress` before it succeeds. */
  readonly pollsUntilDone?: number;
  /** Items per list page (the rest follow through `nextLink`). */
  readonly pageSize?: number;
}

export interface ArmEmulator {
  readonly url: string;
  readonly certificate: TestCertificate;
  readonly world: World;
  readonly requests: Recorded[];
  readonly faults: Fault[];
  /** Environment for a spawned CLI: trust the certificate and sign in as an App Service managed identity. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

/** The token the managed-identity endpoint hands out and every ARM route requires. */
export const TOKEN = 'emulated-arm-token';
const IDENTITY_HEADER = 'emulated-identity-header';
const CLUSTER_PATH =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)/i;

interface Operation {
  readonly cluster: EmulatedCluster;
  readonly pool: Json;
  pollsLeft: number;
}

/**
 * A local HTTPS server answering the ARM paths aksguard uses from a world composed of the official REST examples,
 * with injectable faults, paging, long-running node-image upgrades, and an App Service-style managed-identity
 * token endpoint so the real `DefaultAzureCredential` signs in against it.
 */
export async function startArmEmulator(world: World, options: EmulatorOptions = {}): Promise<ArmEmulator> {
  const certificate = testCertificate();
  const requests: Recorded[] = [];
  const faults: Fault[] = [];
  const operations = new Map<string, Operation>();
  let url = '';
  const context = { world, operations, options, base: () => url };

  const server: Server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const record = (status: number) =>
      requests.push({
        method: req.method ?? 'GET',
        path,
        at: Date.now(),
        status,
        authorized: req.headers.authorization === `Bearer ${TOKEN}`,
      });
    const fault = faults.find((f) => f.times > 0 && f.path.test(path) && (!f.method || f.method === req.method));
    if (fault) fault.times -= 1;
    const answer = () => {
      if (fault?.drop) {
        record(0);
        req.socket.destroy();
        return;
      }
      if (fault?.status) {
        record(fault.status);
        const headers = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
        send(res, fault.status, errorBody(fault.status), headers);
        return;
      }
      const [status, body, headers] = route(req, path, context);
      record(status);
      send(res, status, body, headers);
    };
    if (fault?.delayMs) setTimeout(answer, fault.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    certificate,
    world,
    requests,
    faults,
    env: () => ({
      NODE_EXTRA_CA_CERTS: certificate.certFile,
      IDENTITY_ENDPOINT: `${url}/msi/token`,
      IDENTITY_HEADER,
      // Only the production credentials: no developer tool is asked, and no metadata endpoint is probed.
      AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Answer = [number, unknown, Record<string, string>?];

interface Context {
  readonly world: World;
  readonly operations: Map<string, Operation>;
  readonly options: EmulatorOptions;
  base(): string;
}

function route(req: IncomingMessage, path: string, context: Context): Answer {
  const query = new URL(req.url ?? '/', 'https://emulator').searchParams;
  if (path === '/msi/token') return token(req, query);
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return [401, errorBody(401)];
  if (!query.get('api-version'))
    return [400, { error: { code: 'MissingApiVersionParameter', message: 'api-version is required' } }];
  const lower = path.toLowerCase();
  const { world } = context;
  if (lower === '/subscriptions')
    return page(
      world.subscriptions.map((s) => ({ ...s, state: 'Enabled' })),
      query,
      path,
      context,
    );
  const subscriptionList = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters$/.exec(
    lower,
  );
  if (subscriptionList) {
    const clusters = world.clusters.filter((c) => c.subscription === subscriptionList[1]);
    return page(
      clusters.map((c) => c.body),
      query,
      path,
      context,
    );
  }
  const groupList =
    /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters$/.exec(
      lower,
    );
  if (groupList) {
    const clusters = world.clusters.filter(
      (c) => c.subscription === groupList[1] && c.resourceGroup.toLowerCase() === groupList[2],
    );
    return page(
      clusters.map((c) => c.body),
      query,
      path,
      context,
    );
  }
  const operation = /\/locations\/[^/]+\/(operations|operationresults)\/([^/]+)$/.exec(lower);
  if (operation) return pollOperation(operation[1] as string, operation[2] as string, context);
  const match = CLUSTER_PATH.exec(path);
  const cluster = match && findCluster(world, match);
  if (!cluster) return [404, notFound('ResourceNotFound', path)];
  return clusterRoute(req.method ?? 'GET', lower.slice((match?.[0] ?? '').length), cluster, context);
}

function clusterRoute(method: string, rest: string, cluster: EmulatedCluster, context: Context): Answer {
  if (method === 'GET' && rest === '') return [200, cluster.body];
  if (method === 'GET' && rest === '/agentpools') return [200, { value: cluster.pools }];
  if (method === 'GET' && rest === '/maintenanceconfigurations') return [200, { value: cluster.maintenance }];
  const poolMatch = /^\/agentpools\/([^/]+)(\/.*)?$/.exec(rest);
  const pool = poolMatch && cluster.pools.find((p) => String(p.name).toLowerCase() === poolMatch[1]);
  if (!pool) return [404, notFound('NotFound', rest)];
  const tail = poolMatch?.[2] ?? '';
  if (method === 'GET' && tail === '') return [200, pool];
  if (method === 'GET' && tail === '/upgradeprofiles/default') return [200, cluster.upgradeProfiles.get(pool.name)];
  if (method === 'POST' && tail === '/upgradenodeimageversion') return startUpgrade(cluster, pool, context);
  return [404, notFound('NotFound', rest)];
}

/** AKS answers 202 with both polling headers; the pool shows the operation in its provisioning state meanwhile. */
function startUpgrade(cluster: EmulatedCluster, pool: Json, context: Context): Answer {
  const id = `op-${context.operations.size + 1}`;
  context.operations.set(id, { cluster, pool, pollsLeft: context.options.pollsUntilDone ?? 2 });
  pool.properties.provisioningState = 'UpgradingNodeImageVersion';
  const location = `${context.base()}/subscriptions/${cluster.subscription}/providers/Microsoft.ContainerService/locations/eastus`;
  return [
    202,
    '',
    {
      'azure-asyncoperation': `${location}/operations/${id}?api-version=2025-10-01`,
      location: `${location}/operationresults/${id}?api-version=2025-10-01`,
      'retry-after': '1',
    },
  ];
}

function pollOperation(kind: string, id: string, context: Context): Answer {
  const operation = context.operations.get(id);
  if (!operation) return [404, notFound('OperationNotFound', id)];
  if (kind === 'operations' && operation.pollsLeft > 0) {
    operation.pollsLeft -= 1;
    return [200, { id, name: id, status: 'InProgress', startTime: new Date().toISOString() }, { 'retry-after': '1' }];
  }
  if (operation.pollsLeft > 0) return [202, '', { 'retry-after': '1' }];
  const { pool, cluster } = operation;
  pool.properties.nodeImageVersion = cluster.upgradeProfiles.get(pool.name)?.properties.latestNodeImageVersion;
  pool.properties.provisioningState = 'Succeeded';
  if (kind === 'operationresults') return [200, pool];
  return [
    200,
    { id, name: id, status: 'Succeeded', startTime: new Date().toISOString(), endTime: new Date().toISOString() },
  ];
}

function token(req: IncomingMessage, query: URLSearchParams): Answer {
  if (req.headers['x-identity-header'] !== IDENTITY_HEADER) return [401, { error: 'invalid identity header' }];
  const expires = Math.floor(Date.now() / 1000) + 3600;
  return [
    200,
    { access_token: TOKEN, expires_on: String(expires), resource: query.get('resource'), token_type: 'Bearer' },
  ];
}

/** A list answer, `pageSize` items at a time with `nextLink` (ARM's `$skipToken` style). */
function page(items: unknown[], query: URLSearchParams, path: string, context: Context): Answer {
  const size = context.options.pageSize ?? 2;
  const skip = Number(query.get('$skipToken') ?? 0);
  const next =
    skip + size < items.length
      ? `${context.base()}${path}?api-version=${query.get('api-version')}&$skipToken=${skip + size}`
      : undefined;
  return [200, { value: items.slice(skip, skip + size), ...(next ? { nextLink: next } : {}) }];
}

function findCluster(world: World, match: RegExpExecArray): EmulatedCluster | undefined {
  const [, subscription, rg, name] = match.map((m) => m.toLowerCase());
  return world.clusters.find(
    (c) => c.subscription === subscription && c.resourceGroup.toLowerCase() === rg && c.name.toLowerCase() === name,
  );
}

const ERRORS: Record<number, [string, string]> = {
  401: ['InvalidAuthenticationToken', 'The access token is invalid.'],
  403: [
    'AuthorizationFailed',
    "The client 'tester' does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/read' over scope '/subscriptions/x' or the scope is invalid.",
  ],
  429: ['TooManyRequests', 'Too many requests; retry after the delay.'],
  500: ['InternalServerError', 'An internal error occurred.'],
};

function errorBody(status: number): Json {
  const [code, message] = ERRORS[status] ?? ['Error', `Error ${status}`];
  return { error: { code, message } };
}

const notFound = (code: string, what: string) => ({
  error: { code, message: `The resource '${what}' was not found.` },
});

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === '' ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-ms-request-id': 'emulated',
    ...headers,
  });
  res.end(text);
}
