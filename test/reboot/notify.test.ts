import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { notify, payloadFor, render } from '../../src/reboot/notify.js';

const drain = { kind: 'drain' as const, node: 'aks-np-0', text: 'Draining node aks-np-0' };

describe('notifications', () => {
  it('fills kured-style templates', () => {
    expect(render('Reboot of node %s failed: %r', 'n1', 'drain timed out')).toBe(
      'Reboot of node n1 failed: drain timed out',
    );
  });

  it('speaks Slack, Teams and plain JSON', () => {
    expect(payloadFor('https://hooks.slack.com/services/T/B/x', drain)).toEqual({ text: 'Draining node aks-np-0' });
    const teams = payloadFor('https://contoso.webhook.office.com/webhookb2/x', drain) as {
      attachments: { content: { body: { text: string }[] } }[];
    };
    expect(teams.attachments[0]?.content.body[0]?.text).toBe('Draining node aks-np-0');
    expect(payloadFor('https://example.com/hook', drain)).toEqual({
      event: 'drain',
      node: 'aks-np-0',
      text: 'Draining node aks-np-0',
    });
  });

  it('posts to every URL and reports a failing webhook by host only (the path holds its secret)', async () => {
    const bodies: unknown[] = [];
    const server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      request.on('end', () => {
        bodies.push(JSON.parse(text));
        response.writeHead(request.url === '/broken-secret' ? 500 : 200);
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const errors: string[] = [];
    await notify([`${base}/ok`, `${base}/broken-secret`], drain, globalThis.fetch, (host, error) =>
      errors.push(`${host} ${error}`),
    );
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(bodies).toHaveLength(2);
    expect(errors).toEqual([`${new URL(base).host} HTTP 500`]);
    expect(errors.join()).not.toContain('secret');
  });
});
