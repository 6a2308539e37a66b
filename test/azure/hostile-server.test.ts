import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArmConnection } from '../../src/azure/connection.js';
import { readAzure } from '../../src/azure/read.js';
import type { InputError } from '../../src/model/errors.js';
import { type ArmEmulator, startArmEmulator, TOKEN } from '../support/arm-emulator/server.js';
import { defaultWorld } from '../support/arm-emulator/world.js';
import { armPageLinkingTo, stallAfterHeaders } from '../support/misbehave.js';

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const CLUSTERS_LIST = /\/subscriptions\/0+-0+-0+-0+-0+\/providers\/Microsoft\.ContainerService\/managedClusters$/;

let emulator: ArmEmulator;
beforeEach(async () => {
  emulator = await startArmEmulator(defaultWorld());
});
afterEach(() => emulator.close());

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

/**
 * The ARM reader in process, where caps and timeouts can be small. The misbehaving ARM a user meets (paging
 * loops, links to other hosts, endless answers, HTML, hostile error messages) runs through the CLI in
 * `test/robustness`.
 */
describe('reading Azure from an ARM that misbehaves', () => {
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

  it('every request has a timeout that covers its body', async () => {
    emulator.faults.push({ path: CLUSTERS_LIST, raw: stallAfterHeaders(), times: 1 });
    const started = Date.now();
    const error = await read({ timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((error as InputError).oneLine).toMatch(
      /^azure:\/subscriptions\/0+-0+-0+-0+-0+: https:\/\/127\.0\.0\.1:\d+ did not answer in time to list managed clusters \(no complete answer within 1 s\)$/,
    );
  });
});
