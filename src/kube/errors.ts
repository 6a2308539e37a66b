import { ApiException } from '@kubernetes/client-node';
import { InputError } from '../model/errors.js';
import { commandWord } from '../model/shell-command.js';
import { TransportError } from '../model/transport.js';
import { hideUrlCredentials, terminalLine } from '../report/terminal.js';
import type { ClusterAccess } from './kubeconfig.js';
import type { ListSpec } from './resources.js';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE']);

/**
 * One line that says what failed and what to do, named after the context (`kube:<context>: …`). Never the
 * client's own message: it carries request headers.
 */
export function clusterError(error: unknown, access: ClusterAccess, spec: ListSpec, timeoutMs: number): InputError {
  const fail = (message: string) => new InputError(`kube:${access.context}`, message);
  const group = spec.group ? ` in API group ${spec.group}` : '';
  const scope = spec.clusterScoped ? 'at cluster scope' : 'in all namespaces';
  const action = `list ${spec.resource}${group} ${scope}`;
  // The kubeconfig may carry a password in the server URL: it is never shown.
  const server = hideUrlCredentials(access.server);
  if (error instanceof PagingError) return fail(`cannot ${action}: ${error.message}; refused`);
  if (error instanceof TransportError) return transportError(error, server, action, timeoutMs, fail);
  if (error instanceof SyntaxError || /mediaType .* is not supported/i.test(String(error))) {
    return fail(
      `the API server ${server} answered ${action} with something that is not Kubernetes JSON (a proxy or a sign-in page?)`,
    );
  }
  if (error instanceof ApiException) {
    const code = error.code;
    if (code === 401) {
      const name = commandWord('cluster', access.cluster, '<cluster>').word;
      return fail(
        `the API server ${server} rejected the credentials (401 Unauthorized): they are missing or expired; refresh them, e.g. az aks get-credentials -g <rg> -n ${name}`,
      );
    }
    if (code === 403) {
      return fail(
        `not allowed to ${action} (403 Forbidden): grant this identity 'list' on '${spec.resource}'${group} ${scope} (a ClusterRole bound by a ClusterRoleBinding)`,
      );
    }
    return fail(`the API server answered ${code}${statusText(error.body)} to ${action}`);
  }
  const failure = error as { name?: string; type?: string; code?: string; message?: string };
  if (failure.name === 'AbortError' || failure.type === 'aborted') {
    return fail(`the API server ${server} did not answer within ${timeoutMs / 1000} s to ${action} (timeout)`);
  }
  if (failure.code && UNREACHABLE.has(failure.code)) {
    return fail(
      `cannot reach the API server ${server} (${failure.code}): check the network, VPN or private endpoint, and --context`,
    );
  }
  if ((failure.code && RESET.has(failure.code)) || /socket hang up/i.test(failure.message ?? '')) {
    return fail(`the connection to ${server} was reset during ${action} (${failure.code ?? 'ECONNRESET'}); try again`);
  }
  if (failure.code && /CERT|SELF_SIGNED|TLS/.test(failure.code)) {
    return fail(
      `the API server ${server} presented a certificate the kubeconfig's CA does not trust (${failure.code})`,
    );
  }
  return fail(`cannot ${action}: ${(failure.message ?? String(error)).split('\n')[0]}`);
}

/** A list that pages without end: a repeated continue token, too many pages or objects. */
export class PagingError extends Error {
  override name = 'PagingError';
}

function transportError(
  error: TransportError,
  server: string,
  action: string,
  timeoutMs: number,
  fail: (message: string) => InputError,
): InputError {
  switch (error.reason) {
    case 'timeout':
      return fail(`the API server ${server} did not answer within ${timeoutMs / 1000} s to ${action} (timeout)`);
    case 'too-large':
      return fail(`the API server ${server} sent too much for one page of ${action} (${error.message}); refused`);
    default:
      return fail(`the connection to ${server} was cut in the middle of the answer to ${action}; try again`);
  }
}

/** ` Internal Server Error: etcd timeout` from a Kubernetes Status body, if there is one. */
function statusText(body: unknown): string {
  let status: unknown = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      return '';
    }
  }
  if (typeof status !== 'object' || status === null) return '';
  const { reason, message } = status as { reason?: unknown; message?: unknown };
  const text = [typeof reason === 'string' ? ` ${reason}` : '', typeof message === 'string' ? `: ${message}` : ''].join(
    '',
  );
  return terminalLine(text.split('\n')[0]?.slice(0, 300) ?? '');
}
