/**
 * Servers aksguard does not control, misbehaving (issue 13 and more): the fake Kubernetes API server and the ARM
 * emulator, each started for one case, with a `raw` fault from `../support/misbehave.ts`. The precise messages
 * are checked here; in-process tests (`test/kube`, `test/azure`) cover what needs small caps or timeouts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rootCertificates } from 'node:tls';
import { startArmEmulator } from '../support/arm-emulator/server.js';
import { defaultWorld } from '../support/arm-emulator/world.js';
import { FakeKube, type Fault } from '../support/fake-kube/index.js';
import { seedSampleCluster } from '../support/fake-kube/sample-cluster.js';
import {
  armPageLinkingTo,
  dropMidBody,
  endlessBody,
  htmlPage,
  redirectTo,
  sameContinueToken,
  stallAfterHeaders,
} from '../support/misbehave.js';
import type { HostileCase, Setup } from './harness.js';

const SERVER = 'https:\\/\\/127\\.0\\.0\\.1:\\d+';

/** A seeded fake API server with `fault` in place, and the scan arguments that read it. */
async function kubeWith(dir: string, fault: Fault | undefined, ...args: string[]): Promise<Setup> {
  const kube = await FakeKube.start({ token: 'live-token' });
  seedSampleCluster(kube.store, { namespaces: 2, podsPerNamespace: 2, nodes: 2 });
  if (fault) kube.faults.push(fault);
  const kubeconfig = kube.writeKubeconfig(dir, { context: 'prod', cluster: 'prod-weu' });
  return { args: ['scan', '--kubeconfig', kubeconfig, '--format', 'json', ...args], cleanup: () => kube.close() };
}

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const CLUSTERS_LIST = /\/subscriptions\/0+-0+-0+-0+-0+\/providers\/Microsoft\.ContainerService\/managedClusters$/;

/** The ARM emulator with `raw` answering the list of clusters, and the scan arguments that read it. */
async function armWith(fault: Parameters<typeof armPageLinkingTo>[0] | 'html' | 'endless' | 'throttled') {
  const emulator = await startArmEmulator(defaultWorld());
  const raw =
    fault === 'html'
      ? htmlPage()
      : fault === 'endless'
        ? endlessBody()
        : fault === 'throttled'
          ? undefined
          : armPageLinkingTo(fault);
  if (raw) emulator.faults.push({ path: CLUSTERS_LIST, raw, times: 1000 });
  else emulator.faults.push({ method: 'GET', path: CLUSTERS_LIST, status: 429, retryAfter: 1, times: 1 });
  const args = ['scan', '--azure', '--arm-endpoint', emulator.url, '--subscription', SUBSCRIPTION, '--format', 'json'];
  return { setup: { args, env: emulator.env(), cleanup: () => emulator.close() } as Setup, emulator };
}

const AZURE_SCOPE = 'azure:\\/subscriptions\\/0+-0+-0+-0+-0+';

export const SERVER_CASES: readonly HostileCase[] = [
  {
    name: 'kube: a list body that never ends',
    prepare: (dir) => kubeWith(dir, { path: '/api/v1/pods', raw: endlessBody() }, '--request-timeout', '5s'),
    expected: {
      exit: [2],
      stderr: new RegExp(
        `^kube:prod: the API server ${SERVER} (sent too much for one page of list pods in all namespaces \\(an answer larger than 128 MB\\); refused|did not answer within 5 s to list pods in all namespaces \\(timeout\\))$`,
      ),
    },
  },
  {
    name: 'kube: headers, then silence',
    prepare: (dir) => kubeWith(dir, { path: '/api/v1/nodes', raw: stallAfterHeaders() }, '--request-timeout', '2s'),
    expected: {
      exit: [2],
      stderr: new RegExp(
        `^kube:prod: the API server ${SERVER} did not answer within 2 s to list nodes at cluster scope \\(timeout\\)$`,
      ),
    },
  },
  {
    name: 'kube: the connection drops in the middle of a body',
    prepare: (dir) => kubeWith(dir, { path: '/apis/apps/v1/deployments', raw: dropMidBody() }),
    expected: {
      exit: [2],
      stderr: new RegExp(
        `^kube:prod: the connection to ${SERVER} was cut in the middle of the answer to list deployments in API group apps in all namespaces; try again$`,
      ),
    },
  },
  {
    name: 'kube: a 200 with an HTML sign-in page',
    prepare: (dir) => kubeWith(dir, { path: '/api/v1/namespaces', raw: htmlPage() }),
    expected: {
      exit: [2],
      stderr: /answered list namespaces at cluster scope with something that is not Kubernetes JSON/,
      absent: ['<script>'],
    },
  },

  {
    name: 'kube: a continue token that never changes',
    prepare: (dir) => kubeWith(dir, { path: '/api/v1/serviceaccounts', raw: sameContinueToken() }),
    expected: {
      exit: [2],
      stderr:
        /^kube:prod: cannot list serviceaccounts in all namespaces: the same continue token came back twice \(the server pages in a loop\); refused$/,
    },
  },
  {
    name: 'kube: a redirect to another server (the token must not follow)',
    prepare: async (dir) => {
      let stolen = 0;
      const other = createServer((_, response) => {
        stolen++;
        response.end('{}');
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const target = `http://127.0.0.1:${(other.address() as AddressInfo).port}/steal`;
      const setup = await kubeWith(dir, { path: '/api/v1/pods', raw: redirectTo(target) });
      return {
        ...setup,
        check: () => (stolen > 0 ? `the redirect target got ${stolen} request(s)` : undefined),
        cleanup: async () => {
          await setup.cleanup?.();
          other.close();
        },
      };
    },
    expected: { exit: [2], stderr: /^kube:prod: the API server answered 307 to list pods in all namespaces$/ },
  },

  {
    name: 'kube: 429 with Retry-After, then an answer',
    prepare: (dir) => kubeWith(dir, { path: '/api/v1/pods', status: 429, headers: { 'Retry-After': '1' }, times: 1 }),
    expected: {
      exit: [1],
      stderr:
        /^aksguard: kube:prod: the API server answered 429 Too Many Requests to GET \/api\/v1\/pods; waiting 1 s before retry 1 of 4$/,
    },
  },
  {
    name: 'kube: a certificate the kubeconfig does not trust',
    prepare: async (dir) => {
      const setup = await kubeWith(dir, undefined);
      const kubeconfig = setup.args[2] as string;
      // Any CA other than the one that signed the server's certificate: a public root will do.
      const otherCa = Buffer.from(rootCertificates[0] as string).toString('base64');
      const text = readFileSync(kubeconfig, 'utf8');
      writeFileSync(
        kubeconfig,
        text.replace(/certificate-authority-data: .*/, `certificate-authority-data: ${otherCa}`),
      );
      return setup;
    },
    expected: {
      exit: [2],
      stderr: new RegExp(
        `^kube:prod: the API server ${SERVER} presented a certificate the kubeconfig's CA does not trust`,
      ),
    },
  },

  {
    name: 'azure: a nextLink pointing at the page itself',
    prepare: async () => (await armWith((url) => url.href)).setup,
    expected: {
      exit: [2],
      stderr: new RegExp(
        `^${AZURE_SCOPE}: cannot list managed clusters: ARM sent a nextLink it had already sent \\(the list pages in a loop\\); refused$`,
      ),
    },
  },
  {
    name: 'azure: a nextLink to another host (the bearer token must not follow)',
    prepare: async () =>
      (await armWith((url) => `${url.origin.replace('127.0.0.1', 'localhost')}/stolen?api-version=1`)).setup,
    expected: {
      exit: [2],
      stderr: new RegExp(
        `^${AZURE_SCOPE}: ARM pointed aksguard at https:\\/\\/localhost:\\d+, not ${SERVER}: refused \\(the sign-in token goes only to the ARM endpoint\\), when trying to list managed clusters$`,
      ),
    },
  },
  {
    name: 'azure: an answer that never ends',
    prepare: async () => (await armWith('endless')).setup,
    expected: { exit: [2], stderr: /sent an answer larger than 64 MB to list managed clusters; refused$/ },
  },
  {
    name: 'azure: a 200 with an HTML page',
    prepare: async () => (await armWith('html')).setup,
    expected: {
      exit: [2],
      stderr: /answered with something that is not ARM JSON when trying to list managed clusters/,
      absent: ['<script>'],
    },
  },
  {
    name: 'azure: throttled with Retry-After (logged)',
    prepare: async () => (await armWith('throttled')).setup,
    expected: {
      exit: [0, 1],
      stderr:
        /^aksguard: Azure answered 429 to GET \/subscriptions\/0+-0+-0+-0+-0+\/providers\/Microsoft\.ContainerService\/managedClusters; waiting 1 s before retry 1 of 3$/,
    },
  },
];
