import { createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { isRecord } from '../model/settings.js';
import { type ArmConnection, containerService } from './connection.js';
import { nextLinks } from './raw.js';

/** The subscriptions API version; stable since 2016 for listing. */
const SUBSCRIPTIONS_API = '2022-12-01';

/**
 * Ids of the enabled subscriptions the credential can see. Sent through the container-service client's own
 * pipeline (token, retries, User-Agent), so no second SDK package is needed for this one GET.
 */
export async function listSubscriptions(connection: ArmConnection): Promise<string[]> {
  const client = containerService(connection, 'subscriptions');
  const ids: string[] = [];
  let url: string | undefined = `${connection.endpoint}/subscriptions?api-version=${SUBSCRIPTIONS_API}`;
  const follow = nextLinks();
  while (url) {
    const request = createPipelineRequest({ url, method: 'GET' });
    const response = await client.sendRequest(request);
    if (response.status >= 400) {
      throw new RestError(`listing subscriptions failed (${response.status})`, {
        statusCode: response.status,
        request,
        response,
      });
    }
    const body: unknown = JSON.parse(response.bodyAsText ?? '{}');
    const page = isRecord(body) && Array.isArray(body.value) ? body.value : [];
    for (const entry of page) {
      if (isRecord(entry) && typeof entry.subscriptionId === 'string' && entry.state !== 'Disabled') {
        ids.push(entry.subscriptionId);
      }
    }
    url = follow(body, url);
  }
  return ids;
}
