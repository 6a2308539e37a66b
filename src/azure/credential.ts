import {
  AggregateAuthenticationError,
  CredentialUnavailableError,
  DefaultAzureCredential,
  type TokenCredential,
} from '@azure/identity';
import { InputError } from '../model/errors.js';

/** How long the credential chain may look for a sign-in before aksguard gives up (the chain's IMDS probe takes ≤ 1 s). */
export const SIGN_IN_TIMEOUT_MS = 12_000;

const HOW_TO_SIGN_IN =
  'sign in with `az login` (then `az account set -s <subscription>`), or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_FEDERATED_TOKEN_FILE for workload identity)';

/**
 * `DefaultAzureCredential` (environment, workload identity, managed identity, Azure CLI, PowerShell, azd) that
 * fails fast and in one line: a chain that finds nothing becomes an error saying how to sign in, and a chain that
 * hangs (an unreachable metadata endpoint, a stuck `az`) is given up after `timeoutMs`.
 */
export function signedIn(
  timeoutMs = SIGN_IN_TIMEOUT_MS,
  chain: TokenCredential = new DefaultAzureCredential(),
): TokenCredential {
  return {
    async getToken(scopes, options) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(signInError(`no Azure credential answered within ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
        timer.unref();
      });
      try {
        return await Promise.race([chain.getToken(scopes, options), timeout]);
      } catch (error) {
        throw error instanceof InputError ? error : explainSignIn(error);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function explainSignIn(error: unknown): InputError {
  if (error instanceof CredentialUnavailableError || allUnavailable(error)) {
    return signInError('no Azure credential found');
  }
  const message = error instanceof Error ? error.message : String(error);
  return signInError(`Azure sign-in failed (${(message.split('\n')[0] ?? '').slice(0, 200)})`);
}

/** The chain tried every credential and none was set up (as opposed to one that was set up and failed). */
function allUnavailable(error: unknown): boolean {
  return (
    error instanceof AggregateAuthenticationError &&
    error.errors.every(
      (e) => e instanceof CredentialUnavailableError || (e as Error)?.name === 'CredentialUnavailableError',
    )
  );
}

const signInError = (what: string) => new InputError('azure', `${what}: ${HOW_TO_SIGN_IN}`);
