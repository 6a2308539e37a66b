import { isRecord } from '../model/settings.js';

export type Json = Record<string, unknown>;

/** The SDK's per-response hook: every operation takes it, and it sees the body exactly as ARM sent it. */
export interface RawHook {
  onResponse(raw: { readonly bodyAsText?: string | null }): void;
}

/**
 * The items of a paged list, as ARM sent them. The SDK still makes the calls (paging, retries, errors), but its
 * models are not used: they drop properties newer than the SDK's API version, rename some (`enableRbac`) and turn
 * dates into Date objects, while the raw bodies read exactly like `az` output and the REST documentation.
 */
export async function rawItems(list: (hook: RawHook) => { byPage(): AsyncIterable<unknown> }): Promise<Json[]> {
  const items: Json[] = [];
  const hook: RawHook = {
    onResponse(raw) {
      const body = parse(raw.bodyAsText);
      if (isRecord(body) && Array.isArray(body.value)) items.push(...body.value.filter(isRecord));
    },
  };
  for await (const _page of list(hook).byPage()) {
    // Each page's items arrive through the hook.
  }
  return items;
}

/** One resource as ARM sent it. */
export async function rawResource(get: (hook: RawHook) => Promise<unknown>): Promise<Json> {
  let body: unknown;
  await get({
    onResponse(raw) {
      body = parse(raw.bodyAsText);
    },
  });
  return isRecord(body) ? body : {};
}

function parse(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
