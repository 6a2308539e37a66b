import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/identity';
import { ARM_RETRIES, armHttpClient, cappedThrottling } from './http.js';

/** Where ARM is and who calls it: everything a client needs. */
export interface ArmConnection {
  readonly endpoint: string;
  readonly credential: TokenCredential;
  /** Added to the User-Agent header, so ARM logs show which tool called. */
  readonly userAgent: string;
  /** Told when a throttled request waits before its retry (logged on stderr by the CLI). */
  readonly onWait?: (line: string) => void;
  /** How long one request, body included, may take (default 30 s). */
  readonly timeoutMs?: number;
  /** The longest wait a `Retry-After` gets (default 60 s). */
  readonly maxWaitMs?: number;
}

/**
 * A client for one subscription. The SDK's pipeline retries 429 and 5xx answers and network errors; aksguard's
 * HTTP client (`armHttpClient`) keeps the token on the ARM host and bounds every answer in time and size, and
 * `cappedThrottling` caps and logs each `Retry-After` wait. `$host` must be set besides `endpoint`, as the
 * generated operations build their URLs from it.
 */
export function containerService(connection: ArmConnection, subscriptionId: string): ContainerServiceClient {
  const { endpoint, onWait, timeoutMs, maxWaitMs } = connection;
  return new ContainerServiceClient(connection.credential, subscriptionId, {
    endpoint,
    $host: endpoint,
    credentialScopes: [`${endpoint}/.default`],
    userAgentOptions: { userAgentPrefix: connection.userAgent },
    httpClient: armHttpClient({ endpoint, ...(timeoutMs === undefined ? {} : { timeoutMs }) }),
    retryOptions: { maxRetries: ARM_RETRIES },
    additionalPolicies: [
      {
        policy: cappedThrottling({
          ...(onWait ? { onWait } : {}),
          ...(maxWaitMs === undefined ? {} : { maxWaitMs }),
        }),
        position: 'perRetry',
      },
    ],
  });
}
