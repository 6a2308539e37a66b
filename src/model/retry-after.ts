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
