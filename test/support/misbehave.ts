/**
 * Servers that misbehave, for the fake Kubernetes API server and the ARM emulator alike: each is a `raw` fault
 * that answers a request by hand. They are the hostile servers of issue 13 — a body that never ends, headers and
 * then silence, a connection cut in the middle, an HTML page, a redirect, a list that pages in a loop.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Misbehaviour = (response: ServerResponse, request: IncomingMessage) => void;

/** A 200 JSON list whose body never ends: `{"items":[` then the same item forever, as fast as the client reads. */
export const endlessBody =
  (item = '{"metadata":{"name":"x"}},'): Misbehaviour =>
  (response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    const chunk = Buffer.from(item.repeat(Math.max(1, Math.floor(65_536 / item.length))));
    const pump = () => {
      while (!response.destroyed && response.write(chunk)) {
        // keep writing until the socket pushes back
      }
      if (!response.destroyed) response.once('drain', pump);
    };
    response.write('{"kind":"List","items":[');
    pump();
  };

/** Headers, then nothing more: the body never comes and the connection stays open. */
export const stallAfterHeaders = (): Misbehaviour => (response) => {
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.write('{"kind":"List","items":[');
};

/** Half a JSON body, then the connection is cut. */
export const dropMidBody = (): Misbehaviour => (response) => {
  response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100000' });
  response.write('{"kind":"List","items":[{"metadata":{"name":"a"}},', () => response.socket?.destroy());
};

/** A 200 with an HTML page, as a proxy or a sign-in portal answers. */
export const htmlPage =
  (status = 200): Misbehaviour =>
  (response) => {
    response.writeHead(status, { 'Content-Type': 'text/html' });
    response.end('<html><body><h1>Sign in</h1><script>alert(1)</script></body></html>');
  };

/** A 200 that says it is JSON and is not. */
export const notJson = (): Misbehaviour => (response) => {
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end('{"kind":"List","items":[{"metadata":{"name":"secret-canary-in-body"}} oops');
};

/** A redirect elsewhere (a credential must not follow it). */
export const redirectTo =
  (location: string, status = 307): Misbehaviour =>
  (response) => {
    response.writeHead(status, { Location: location });
    response.end();
  };

/** A Kubernetes list page that always hands back the same continue token. */
export const sameContinueToken = (): Misbehaviour => (response) => {
  const body = JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { continue: 'again' }, items: [] });
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(body);
};

/** A 200 whose JSON is a Status with terminal escapes and a fake second line in its message. */
export const hostileStatus =
  (status = 500): Misbehaviour =>
  (response) => {
    const body = JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'InternalError',
      code: status,
      message: 'boom\u001b]52;c;ZXZpbA==\u0007\u001b[2J\rforged line',
    });
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(body);
  };

/** An ARM list page whose `nextLink` is made from the page's own URL (to point at itself, another host…). */
export const armPageLinkingTo =
  (link: (pageUrl: URL) => string, value: unknown[] = []): Misbehaviour =>
  (response, request) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(
      JSON.stringify({ value, nextLink: link(new URL(request.url ?? '/', `https://${request.headers.host}`)) }),
    );
  };
