import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { type HttpLibrary, type RequestContext, ResponseContext, wrapHttpLibrary } from '@kubernetes/client-node';
import { MAX_RETRY_WAIT_MS, readCapped, retryAfterMs, TransportError, waitNote } from '../model/transport.js';

export interface BoundedHttpOptions {
  /** The whole exchange (connect, headers and body) must be over within this time. */
  readonly timeoutMs: number;
  /** A response body larger than this is cut off: one page of a list never needs that much. */
  readonly maxBodyBytes: number;
  /** How often a 429 is retried before it is an error. */
  readonly maxRetries?: number;
  /** Told before each wait for a throttled request, e.g. to log it. */
  readonly onWait?: (line: string) => void;
  /** The longest wait before a retry, whatever `Retry-After` asks (default `MAX_RETRY_WAIT_MS`). */
  readonly maxWaitMs?: number;
  readonly now?: () => number;
}

/**
 * The HTTP library the Kubernetes client sends list requests through, instead of its default `node-fetch` one
 * whose timeout stops at the headers: a timeout that covers the body, a byte cap on the body, no compression
 * (a few kilobytes of gzip can unpack to gigabytes), and 429 answers retried after a capped, logged wait. The
 * kubeconfig's TLS settings, proxy and credentials arrive in the request's agent and headers, as before.
 */
export function boundedHttp(options: BoundedHttpOptions): HttpLibrary {
  return wrapHttpLibrary({ send: (request) => sendWithRetries(request, options) });
}

async function sendWithRetries(request: RequestContext, options: BoundedHttpOptions): Promise<ResponseContext> {
  const retries = options.maxRetries ?? 4;
  const now = options.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    const response = await sendOnce(request, options);
    if (response.status !== 429 || attempt > retries) return asResponseContext(response);
    const cap = options.maxWaitMs ?? MAX_RETRY_WAIT_MS;
    const asked = retryAfterMs(response.headers['retry-after'], now());
    const wait = Math.min(asked ?? 1000 * 2 ** (attempt - 1), cap);
    options.onWait?.(
      `the API server answered 429 Too Many Requests to ${request.getHttpMethod()} ${new URL(request.getUrl()).pathname}; ${waitNote(asked, wait, cap)} before retry ${attempt} of ${retries}`,
    );
    await sleep(wait);
  }
}

interface Raw {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

function sendOnce(request: RequestContext, { timeoutMs, maxBodyBytes }: BoundedHttpOptions): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.getUrl());
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const headers = { ...request.getHeaders(), 'accept-encoding': 'identity' };
    const outgoing = send(url, { method: request.getHttpMethod(), headers, agent: request.getAgent() });
    const fail = (error: Error) => {
      clearTimeout(timer);
      outgoing.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new TransportError(`no complete answer within ${timeoutMs / 1000} s`, 'timeout')),
      timeoutMs,
    );
    outgoing.once('error', fail);
    outgoing.once('response', (response) => {
      readCapped(response, maxBodyBytes).then((body) => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: flatHeaders(response), body });
      }, fail);
    });
    const body = request.getBody();
    if (typeof body === 'string') outgoing.end(body);
    else outgoing.end();
  });
}

function flatHeaders(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function asResponseContext({ status, headers, body }: Raw): ResponseContext {
  return new ResponseContext(status, headers, {
    text: async () => body.toString('utf8'),
    binary: async () => body,
  });
}
