import type { Readable } from 'node:stream';

/** The longest a throttled request waits before it is sent again, whatever the server asks for. */
export const MAX_RETRY_WAIT_MS = 60_000;

/**
 * A `Retry-After` header (seconds, or an HTTP date) in milliseconds, or undefined when it says neither. Servers
 * ask for anything up to hours; callers cap it at `MAX_RETRY_WAIT_MS` and say so.
 */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `waiting 60 s (the server asked for 3600 s; aksguard waits at most 60 s)` for a log line. */
export function waitNote(asked: number | undefined, waited: number, cap = MAX_RETRY_WAIT_MS): string {
  const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
  return asked !== undefined && asked > waited
    ? `waiting ${seconds(waited)} (the server asked for ${seconds(asked)}; aksguard waits at most ${seconds(cap)})`
    : `waiting ${seconds(waited)}`;
}

/** Why aksguard itself stopped a request to a server: the answer was late, too big, cut off, or went elsewhere. */
export type TransportReason = 'timeout' | 'too-large' | 'cut-off' | 'foreign-host';

export class TransportError extends Error {
  constructor(
    message: string,
    readonly reason: TransportReason,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/**
 * The body of an answer, refused past `maxBytes` (the stream is destroyed at once, so a body that never ends
 * stops being read) and when the connection closes before the body is complete.
 */
export function readCapped(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const cutOff = () => reject(new TransportError('the connection closed in the middle of the answer', 'cut-off'));
    stream.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= maxBytes) chunks.push(chunk);
      else {
        stream.destroy();
        reject(new TransportError(`an answer larger than ${Math.round(maxBytes / 2 ** 20)} MB`, 'too-large'));
      }
    });
    stream.once('end', () => resolve(Buffer.concat(chunks, length)));
    stream.once('error', cutOff);
    stream.once('close', () => {
      if ((stream as Readable & { complete?: boolean }).complete === false) cutOff();
    });
  });
}
