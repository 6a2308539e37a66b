import { isRecord } from '../model/settings.js';

export type Json = Record<string, unknown>;

/** The SDK's per-response hook: every operation takes it, and it sees the body exactly as ARM sent it. */
export interface RawHook {
  onResponse(
    raw: { readonly bodyAsText?: string | null; readonly request?: { readonly url: string } },
    flat?: unknown,
    error?: unknown,
  ): void;
}

/** Pages of one list: ARM pages hold up to a thousand items, so this is millions of resources. */
export const MAX_PAGES = 10_000;

/** A list that pages without end: a `nextLink` seen before, or more pages than any real list has. */
export class PagingError extends Error {
  override name = 'PagingError';
}

/**
 * Follows ARM's `nextLink`s for whoever pages: a link already followed (or pointing at the page itself) is a
 * loop, and a list longer than `MAX_PAGES` is one too; both are errors instead of requests forever.
 */
export function nextLinks(): (page: unknown, url: string | undefined) => string | undefined {
  const seen = new Set<string>();
  return (page, url) => {
    if (url !== undefined) seen.add(url);
    const next = isRecord(page) && typeof page.nextLink === 'string' && page.nextLink ? page.nextLink : undefined;
    if (next === undefined) return undefined;
    if (seen.has(next)) throw new PagingError('ARM sent a nextLink it had already sent (the list pages in a loop)');
    if (seen.size >= MAX_PAGES) throw new PagingError(`the list has more than ${MAX_PAGES.toLocaleString('en')} pages`);
    return next;
  };
}

/**
 * The items of a paged list, as ARM sent them. The SDK still makes the calls (paging, retries, errors), but its
 * models are not used: they drop properties newer than the SDK's API version, rename some (`enableRbac`) and turn
 * dates into Date objects, while the raw bodies read exactly like `az` output and the REST documentation.
 */
export async function rawItems(list: (hook: RawHook) => { byPage(): AsyncIterable<unknown> }): Promise<Json[]> {
  const items: Json[] = [];
  const follow = nextLinks();
  const hook: RawHook = {
    onResponse(raw, _flat, error) {
      if (error) return;
      const body = armJson(raw.bodyAsText);
      follow(body, raw.request?.url);
      if (Array.isArray(body.value)) items.push(...body.value.filter(isRecord));
    },
  };
  for await (const _page of list(hook).byPage()) {
    // Each page's items arrive through the hook.
  }
  return items;
}

/** One resource as ARM sent it. */
export async function rawResource(get: (hook: RawHook) => Promise<unknown>): Promise<Json> {
  let body: Json = {};
  await get({
    onResponse(raw, _flat, error) {
      if (!error) body = armJson(raw.bodyAsText);
    },
  });
  return body;
}

/** A successful answer that is not a JSON object (a proxy's or a portal's HTML page) is an error, not "nothing". */
export class NotArmJson extends Error {
  override name = 'NotArmJson';
}

function armJson(text: string | null | undefined): Json {
  let body: unknown;
  try {
    body = JSON.parse(text ?? '');
  } catch {
    throw new NotArmJson('the answer is not JSON');
  }
  if (!isRecord(body)) throw new NotArmJson('the answer is not a JSON object');
  return body;
}
