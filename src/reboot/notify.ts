/** Webhook notifications: Slack and Microsoft Teams get their own payload shapes, anything else plain JSON. */
export type NotifyKind = 'drain' | 'reboot' | 'done' | 'failed' | 'overdue';

export interface Notification {
  readonly kind: NotifyKind;
  readonly node: string;
  readonly text: string;
  readonly reason?: string;
}

/** `%s` is the node, `%r` the reason, as in kured's templates. */
export const render = (template: string, node: string, reason = ''): string =>
  template.replaceAll('%s', node).replaceAll('%r', reason);

export function payloadFor(url: string, n: Notification): unknown {
  const host = new URL(url).hostname;
  if (host === 'hooks.slack.com') return { text: n.text };
  if (
    host.endsWith('.webhook.office.com') ||
    host.endsWith('.logic.azure.com') ||
    host.endsWith('.powerplatform.com')
  ) {
    return {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            type: 'AdaptiveCard',
            version: '1.4',
            body: [{ type: 'TextBlock', text: n.text, wrap: true }],
          },
        },
      ],
    };
  }
  return { event: n.kind, node: n.node, text: n.text, ...(n.reason ? { reason: n.reason } : {}) };
}

/** Posts to every URL; a webhook that fails is logged by the caller, never stops a reboot. */
export async function notify(
  urls: readonly string[],
  n: Notification,
  post: typeof fetch,
  onError: (url: string, error: string) => void,
): Promise<void> {
  await Promise.all(
    urls.map(async (url) => {
      try {
        const response = await post(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(payloadFor(url, n)),
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) onError(new URL(url).host, `HTTP ${response.status}`);
      } catch (error) {
        // The host only: webhook URLs carry their secret in the path.
        onError(new URL(url).host, error instanceof Error ? error.message : String(error));
      }
    }),
  );
}
