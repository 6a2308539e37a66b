import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArmConnection } from '../../src/azure/connection.js';
import { readAzure } from '../../src/azure/read.js';
import type { InputError } from '../../src/model/errors.js';
import { aksguardAsync } from '../support/arm-emulator/run.js';
import { type ArmEmulator, startArmEmulator, TOKEN } from '../support/arm-emulator/server.js';
import { defaultWorld } from '../support/arm-emulator/world.js';
import type { Run } from '../support/cli.js';
import { armPageLinkingTo, endlessBody, htmlPage, stallAfterHeaders } from '../support/misbehave.js';

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const CLUSTERS_LIST = /\/subscriptions\/0+-0+-0+-0+-0+\/providers\/Microsoft\.ContainerService\/managedClusters$/;

let emulator: ArmEmulator;
beforeEach(async () => {
  emulator = await startArmEmulator(defaultWorld());
});
afterEach(() => emulator.close());

const scanAzure = (args: string[] = []) =>
  aksguardAsync(
    ['scan', '--azure', '--arm-endpoint', emulator.url, '--subscription', SUBSCRIPTION, '--format', 'json', ...args],
    emulator.env(),
  );

function expectOneLine(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr.trimEnd()).toMatch(pattern);
}

/**
 * In process, with a static token, so timeouts and caps can be small. The emulator's self-signed certificate is
 * trusted by spawned CLIs through NODE_EXTRA_CA_CERTS, which a running process cannot take on: these reads skip
 * verification instead (only in this test process, only for the emulator on 127.0.0.1).
 */
function connection(overrides: Partial<ArmConnection> = {}): ArmConnection {
  return {
    endpoint: emulator.url,
    credential: { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    userAgent: 'aksguard-test',
    ...overrides,
  };
}

async function read(overrides: Partial<ArmConnection> = {}) {
  const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  try {
    return await readAzure({
      connection: connection(overrides),
      selection: { subscriptions: [SUBSCRIPTION], resourceGroup: undefined, name: undefined },
      concurrency: 4,
    });
  } finally {
    if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
  }
}

describe('scan --azure against an ARM that misbehaves', () => {
  it('a nextLink pointing at the page itself is an error, not requests forever', async () => {
    emulator.faults.push({ path: CLUSTERS_LIST, raw: armPageLinkingTo((url) => url.href), times: 1000 });
    const run = await scanAzure();
    expectOneLine(
      run,
      /^azure:\/subscriptions\/0+-0+-0+-0+-0+: cannot list managed clusters: ARM sent a nextLink it had already sent \(the list pages in a loop\); refused$/,
    );
    expect(emulator.requests.filter((r) => CLUSTERS_LIST.test(r.path)).length).toBe(1);
  });

  it('a nextLink that comes back after a detour is a loop too', async () => {
    let page = 0;
    emulator.faults.push({
      path: CLUSTERS_LIST,
      raw: armPageLinkingTo((url) => `${url.origin}${url.pathname}?api-version=2025-10-01&$skipToken=${page++ % 2}`),
      times: 1000,
    });
    const error = await read().catch((e: unknown) => e);
    expect((error as InputError).message).toMatch(/already sent/);
    expect(emulator.requests.filter((r) => CLUSTERS_LIST.test(r.path)).length).toBe(3);
  });

  it('a nextLink to another host is refused: the bearer token never goes there', async () => {
    const elsewhere = emulator.url.replace('127.0.0.1', 'localhost');
    emulator.faults.push({
      path: CLUSTERS_LIST,
      raw: armPageLinkingTo(() => `${elsewhere}/stolen?api-version=1`),
      times: 1,
    });
    const run = await scanAzure();
    expectOneLine(
      run,
      /^azure:\/subscriptions\/0+-0+-0+-0+-0+: ARM pointed aksguard at https:\/\/localhost:\d+, not https:\/\/127\.0\.0\.1:\d+: refused \(the sign-in token goes only to the ARM endpoint\), when trying to list managed clusters$/,
    );
    expect(emulator.requests.some((r) => r.path === '/stolen')).toBe(false);
  });

  it('Retry-After is honoured up to a cap, and every wait is logged', async () => {
    emulator.faults.push({ method: 'GET', path: CLUSTERS_LIST, status: 429, retryAfter: 3600, times: 1 });
    const waits: string[] = [];
    const started = Date.now();
    const result = await read({ maxWaitMs: 300, onWait: (line) => waits.push(line) });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.fragments.length).toBeGreaterThan(0);
    expect(waits).toEqual([
      expect.stringMatching(
        /^Azure answered 429 to GET \/subscriptions\/0+-0+-0+-0+-0+\/providers\/Microsoft\.ContainerService\/managedClusters; waiting 0\.3 s \(the server asked for 3600 s; aksguard waits at most 0\.3 s\) before retry 1 of 3$/,
      ),
    ]);
    const lists = emulator.requests.filter((r) => CLUSTERS_LIST.test(r.path));
    expect(lists.map((r) => r.status).slice(0, 2)).toEqual([429, 200]);
  });

  it('the CLI logs a throttled wait on stderr', async () => {
    emulator.faults.push({ method: 'GET', path: CLUSTERS_LIST, status: 429, retryAfter: 1, times: 1 });
    const run = await scanAzure(['--as-of', '2026-11-28']);
    expect(run.code).not.toBe(2);
    expect(run.stderr).toMatch(
      /^aksguard: Azure answered 429 to GET \/subscriptions\/.*; waiting 1 s before retry 1 of 3\n/,
    );
  });

  it('every request has a timeout that covers its body', async () => {
    emulator.faults.push({ path: CLUSTERS_LIST, raw: stallAfterHeaders(), times: 1 });
    const started = Date.now();
    const error = await read({ timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((error as InputError).oneLine).toMatch(
      /^azure:\/subscriptions\/0+-0+-0+-0+-0+: https:\/\/127\.0\.0\.1:\d+ did not answer in time to list managed clusters \(no complete answer within 1 s\)$/,
    );
  });

  it('an answer that never ends is cut off', async () => {
    emulator.faults.push({ path: CLUSTERS_LIST, raw: endlessBody(), times: 1 });
    const run = await scanAzure();
    expectOneLine(run, /sent an answer larger than 64 MB to list managed clusters; refused$/);
  });

  it('a 200 with an HTML page is an error, not "no clusters"', async () => {
    emulator.faults.push({ path: CLUSTERS_LIST, raw: htmlPage(), times: 1 });
    const run = await scanAzure();
    expectOneLine(run, /answered with something that is not ARM JSON when trying to list managed clusters/);
    expect(run.stderr).not.toContain('<script>');
  });

  it('an ARM error message cannot drive the terminal', async () => {
    emulator.faults.push({
      path: CLUSTERS_LIST,
      raw: (response) => {
        response.writeHead(400, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'Bad', message: 'no\u001b]52;c;ZXZpbA==\u0007\rforged' } }));
      },
      times: 1,
    });
    const run = await scanAzure();
    expectOneLine(run, /Azure answered 400 Bad: no\\u001b\]52;c;ZXZpbA==\\u0007\\u000dforged when trying to list/);
    expect(run.stderr).not.toContain('\u001b');
  });
});
