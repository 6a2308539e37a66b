import { ApiError } from './errors.js';
import { type Reply, type RequestContext, STREAMING, selectorsOf, type Target } from './routes.js';
import { metadataOf } from './selectors.js';
import type { StoredObject, StoreEvent } from './store.js';

/**
 * A watch as the API server streams it: one JSON event per line. Without a resourceVersion (or with "0") it
 * starts with ADDED for every current object; with one, it replays the changes since then, or sends an ERROR
 * event with 410 Expired when they are no longer kept. `timeoutSeconds` ends the stream.
 */
export function streamWatch(context: RequestContext): Reply {
  const { url, store, response } = context;
  const target = context.target as Target;
  const selected = selectorsOf(url);
  const inScope = (event: StoreEvent) =>
    event.resourceType === target.type &&
    (target.namespace === undefined || metadataOf(event.object).namespace === target.namespace) &&
    selected(event.object);

  response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  // The API server answers a watch at once, events or not; clients wait for these headers.
  response.flushHeaders();
  const send = (type: string, object: unknown) => {
    if (!context.watchStalled?.()) response.write(`${JSON.stringify({ type, object })}\n`);
  };

  const since = url.searchParams.get('resourceVersion');
  if (!since || since === '0') {
    for (const object of store.list(target.type, target.namespace).filter(selected)) send('ADDED', object);
  } else {
    const missed = store.eventsSince(Number(since));
    if (!missed) {
      send('ERROR', new ApiError(410, 'Expired', `too old resource version: ${since}`).toStatus());
      response.end();
      return STREAMING;
    }
    for (const event of missed.filter(inScope)) send(event.type, event.object);
  }

  const unsubscribe = store.subscribe((event) => {
    if (inScope(event)) send(event.type, event.object satisfies StoredObject);
  });
  const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
  const timer = timeout > 0 ? setTimeout(() => response.end(), timeout * 1000) : undefined;
  response.on('close', () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  });
  return STREAMING;
}
