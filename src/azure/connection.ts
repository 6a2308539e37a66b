import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/identity';

/** Where ARM is and who calls it: everything a client needs. */
export interface ArmConnection {
  readonly endpoint: string;
  readonly credential: TokenCredential;
  /** Added to the User-Agent header, so ARM logs show which tool called. */
  readonly userAgent: string;
}

/**
 * A client for one subscription. The SDK's default pipeline retries 429 and 5xx answers (honouring
 * `Retry-After`) and network errors; `$host` must be set besides `endpoint`, as the generated operations build
 * their URLs from it.
 */
export function containerService(connection: ArmConnection, subscriptionId: string): ContainerServiceClient {
  return new ContainerServiceClient(connection.credential, subscriptionId, {
    endpoint: connection.endpoint,
    $host: connection.endpoint,
    credentialScopes: [`${connection.endpoint}/.default`],
    userAgentOptions: { userAgentPrefix: connection.userAgent },
  });
}
