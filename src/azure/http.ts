import type { Readable } from 'node:stream';
import {
  createDefaultHttpClient,
  type HttpClient,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { MAX_RETRY_WAIT_MS, readCapped, retryAfterMs, TransportError, waitNote } from '../model/transport.js';

/** How long one ARM request (its body included) may take. */
export const ARM_TIMEOUT_MS = 30_000;
/** One ARM answer larger than this is refused: a page of clusters or pools is kilobytes. */
export const MAX_ARM_BODY_BYTES = 64 * 2 ** 20;
/** Retries of a throttled or failed request, as the SDK's default. */
export const ARM_RETRIES = 3;

export interface ArmHttpOptions {
  readonly endpoint: string;
  readonly timeoutMs?: number;
  readonly maxBodyBytes?: number;
}

/**
 * The HTTP client every ARM request goes through last, after the token was added: it refuses any URL not on the
 * ARM endpoint's host (a `nextLink` or polling URL elsewhere would receive the bearer token), and reads every body
 * itself, under a timeout that covers the body and a byte cap (the SDK's own timeout stops at the headers).
 */
export function armHttpClient(options: ArmHttpOptions): HttpClient {
  const inner = createDefaultHttpClient();
  const home = new URL(options.endpoint);
  const timeoutMs = options.timeoutMs ?? ARM_TIMEOUT_MS;
  const maxBytes = options.maxBodyBytes ?? MAX_ARM_BODY_BYTES;
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const url = new URL(request.url);
      if (url.protocol !== home.protocol || url.host !== home.host) {
        throw new TransportError(
          `ARM pointed aksguard at ${url.protocol}//${url.host}, not ${home.protocol}//${home.host}: refused (the sign-in token goes only to the ARM endpoint)`,
          'foreign-host',
        );
      }
      // This attempt's own deadline; the caller's signal is put back for the retry policy and the next attempt.
      const timeout = AbortSignal.timeout(timeoutMs);
      const caller = request.abortSignal;
      request.abortSignal = caller ? AbortSignal.any([caller as AbortSignal, timeout]) : timeout;
      request.streamResponseStatusCodes = new Set([Number.POSITIVE_INFINITY]);
      try {
        const response = await inner.sendRequest(request);
        const stream = response.readableStreamBody as Readable | undefined;
        delete response.readableStreamBody;
        response.bodyAsText = stream ? (await readCapped(stream, maxBytes)).toString('utf8') : '';
        return response;
      } catch (error) {
        if (timeout.aborted) {
          throw new TransportError(`no complete answer within ${timeoutMs / 1000} s`, 'timeout');
        }
        throw error;
      } finally {
        if (caller) request.abortSignal = caller;
        else delete request.abortSignal;
      }
    },
  };
}

export interface ThrottleOptions {
  /** Told before the SDK waits to retry a throttled request, e.g. to log it on stderr. */
  readonly onWait?: (line: string) => void;
  readonly maxWaitMs?: number;
  readonly now?: () => number;
}

const RETRY_AFTER_HEADERS = ['retry-after-ms', 'x-ms-retry-after-ms', 'retry-after'];

/**
 * Sits under the SDK's retry policy and sees each attempt's answer: a 429 or 503 asking to wait (any of the three
 * headers ARM uses) has its wait capped at `maxWaitMs` — the SDK would obey an hour silently — and logged.
 */
export function cappedThrottling(options: ThrottleOptions = {}): PipelinePolicy {
  const attempts = new WeakMap<PipelineRequest, number>();
  const cap = options.maxWaitMs ?? MAX_RETRY_WAIT_MS;
  const now = options.now ?? Date.now;
  return {
    name: 'aksguardCappedThrottling',
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status !== 429 && response.status !== 503) return response;
      const asked = askedWait(response, now());
      if (asked === undefined) return response;
      const attempt = (attempts.get(request) ?? 0) + 1;
      attempts.set(request, attempt);
      const wait = Math.min(asked, cap);
      for (const header of RETRY_AFTER_HEADERS) response.headers.delete(header);
      response.headers.set('retry-after-ms', String(wait));
      if (attempt <= ARM_RETRIES) {
        options.onWait?.(
          `Azure answered ${response.status} to ${request.method} ${new URL(request.url).pathname}; ${waitNote(asked, wait, cap)} before retry ${attempt} of ${ARM_RETRIES}`,
        );
      }
      return response;
    },
  };
}

function askedWait(response: PipelineResponse, now: number): number | undefined {
  for (const header of RETRY_AFTER_HEADERS) {
    const value = response.headers.get(header);
    if (value === undefined) continue;
    const asked = header === 'retry-after' ? retryAfterMs(value, now) : Number(value);
    if (asked !== undefined && Number.isFinite(asked)) return Math.max(0, asked);
  }
  return undefined;
}
