import { isRestError } from '@azure/core-rest-pipeline';
import { InputError } from '../model/errors.js';
import { TransportError } from '../model/transport.js';
import { hideUrlCredentials } from '../report/terminal.js';
import { NotArmJson, PagingError } from './raw.js';

/** The least-privileged built-in roles, named in 403 messages and in the README. */
export const READ_ROLE =
  "'Reader' on the subscription or resource group (the 'Azure Kubernetes Service Cluster User Role' reads clusters but not their agent pools)";
export const UPGRADE_ROLE =
  "'Azure Kubernetes Service Contributor Role' on the cluster (or a custom role with Microsoft.ContainerService/managedClusters/agentPools/upgradeNodeImageVersion/action)";

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT']);

/** What was being done when ARM failed, for the message. */
export interface ArmAction {
  /** `list managed clusters`, `read agent pool np1`… */
  readonly what: string;
  /** The ARM scope it was done on: `/subscriptions/…` or a resource id. */
  readonly scope: string;
  readonly endpoint: string;
  /** The role that allows it. */
  readonly role: string;
}

/**
 * One line, `azure:<scope>: what failed and what to do`. Never ARM's whole error: it can be long, multi-line,
 * and carry request details; only its code and first sentence are kept.
 */
export function armError(error: unknown, action: ArmAction): InputError {
  if (error instanceof InputError) return error;
  const fail = (message: string) => new InputError(`azure:${action.scope}`, message);
  const endpoint = hideUrlCredentials(action.endpoint);
  if (error instanceof TransportError) return transportError(error, { ...action, endpoint }, fail);
  if (error instanceof PagingError) return fail(`cannot ${action.what}: ${error.message}; refused`);
  if (error instanceof NotArmJson || error instanceof SyntaxError) {
    return fail(
      `${endpoint} answered with something that is not ARM JSON when trying to ${action.what} (a proxy or a sign-in page?)`,
    );
  }
  if (isRestError(error) && error.statusCode !== undefined) {
    const detail = armDetail(error.response?.bodyAsText, error.message);
    switch (error.statusCode) {
      case 401:
        return fail(
          `Azure rejected the credential (401${detail}) when trying to ${action.what}: sign in again with \`az login\`, or check AZURE_TENANT_ID / AZURE_CLIENT_ID`,
        );
      case 403:
        return fail(`not allowed to ${action.what}: the signed-in identity needs ${action.role} (403${detail})`);
      case 404:
        return fail(
          `not found when trying to ${action.what} (404${detail}): check --subscription, --resource-group and --name`,
        );
      case 429:
        return fail(`Azure kept throttling requests to ${action.what} (429${detail}); wait a few minutes and retry`);
      default:
        return fail(`Azure answered ${error.statusCode}${detail} when trying to ${action.what}; retry later`);
    }
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE.has(code)) {
    return fail(`cannot reach ${endpoint} (${code}) to ${action.what}: check the network or proxy (HTTPS_PROXY)`);
  }
  if (typeof code === 'string' && /CERT|SELF_SIGNED|TLS/.test(code)) {
    return fail(`${endpoint} presented a certificate this machine does not trust (${code})`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return fail(`cannot ${action.what}: ${firstLine(message)}`);
}

function transportError(error: TransportError, action: ArmAction, fail: (message: string) => InputError): InputError {
  switch (error.reason) {
    case 'timeout':
      return fail(`${action.endpoint} did not answer in time to ${action.what} (${error.message})`);
    case 'too-large':
      return fail(`${action.endpoint} sent ${error.message} to ${action.what}; refused`);
    default:
      return fail(`${error.message}, when trying to ${action.what}`);
  }
}

/** ` AuthorizationFailed: The client … does not have authorization…` from an ARM error body. */
function armDetail(body: string | undefined | null, fallback: string): string {
  let code: unknown;
  let message: unknown;
  try {
    const parsed = JSON.parse(body ?? '') as { error?: { code?: unknown; message?: unknown } };
    code = parsed.error?.code;
    message = parsed.error?.message;
  } catch {
    message = fallback;
  }
  const parts = [
    typeof code === 'string' ? ` ${code}` : '',
    typeof message === 'string' && message ? `: ${firstLine(message)}` : '',
  ];
  return parts.join('');
}

const firstLine = (text: string): string => (text.split('\n')[0] ?? '').trim().slice(0, 240);
