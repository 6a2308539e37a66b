import { REBOOT_BLOCKED } from '../model/reboot-annotations.js';
import type { NodeInfo, NodeOps } from './ports.js';

export const POOL_LABEL = 'kubernetes.azure.com/agentpool';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const IMAGE_LABEL = 'kubernetes.azure.com/node-image-version';

export type BlockReason = 'pod' | 'alert' | 'annotation' | 'aks-upgrade';

export interface Blocker {
  readonly reason: BlockReason;
  readonly detail: string;
}

/** An alert as Prometheus' `/api/v1/alerts` lists it. */
interface Alert {
  readonly labels?: { readonly alertname?: string };
  readonly state?: string;
}

export interface BlockerConfig {
  readonly ops: NodeOps;
  readonly blockingPodSelectors: readonly string[];
  readonly prometheusUrl: string | undefined;
  readonly alertFilterRegexp: RegExp | undefined;
  readonly alertFiringOnly: boolean;
  /** Only alerts matching the filter count (kured's --alert-filter-match-only), instead of all but those. */
  readonly alertFilterMatchOnly: boolean;
  readonly fetch: typeof fetch;
}

/**
 * What holds the reboot back right now. Every source is asked, so the metric and the log name all of them; a
 * source that cannot be read (Prometheus down) blocks, as an unknown is not a yes.
 */
export async function blockers(config: BlockerConfig, node: NodeInfo, pool: readonly NodeInfo[]): Promise<Blocker[]> {
  const found: Blocker[] = [];
  const blocked = node.annotations[REBOOT_BLOCKED];
  if (blocked !== undefined) found.push({ reason: 'annotation', detail: `${REBOOT_BLOCKED}=${blocked}` });
  for (const selector of config.blockingPodSelectors) {
    const pods = await config.ops.listPodsOnNode(node.name, selector);
    const running = pods.filter((p) => !p.finished);
    if (running.length > 0)
      found.push({ reason: 'pod', detail: `${running[0]?.namespace}/${running[0]?.name} matches ${selector}` });
  }
  const upgrade = aksUpgrade(pool);
  if (upgrade) found.push({ reason: 'aks-upgrade', detail: upgrade });
  if (config.prometheusUrl) {
    const alert = await firingAlert(config);
    if (alert) found.push({ reason: 'alert', detail: alert });
  }
  return found;
}

/**
 * An AKS node image or Kubernetes upgrade is rolling through the pool when its nodes disagree on the node image
 * or kubelet version (surge nodes come up on the new one while the old ones drain). Rebooting then would take a
 * second node of the pool out while AKS is already doing so.
 */
export function aksUpgrade(pool: readonly NodeInfo[]): string | undefined {
  const images = new Set(pool.map((n) => n.labels[IMAGE_LABEL]).filter(Boolean));
  if (images.size > 1) return `node images differ in the pool (${[...images].sort().join(', ')})`;
  const kubelets = new Set(pool.map((n) => n.kubeletVersion).filter(Boolean));
  if (kubelets.size > 1) return `kubelet versions differ in the pool (${[...kubelets].sort().join(', ')})`;
  return undefined;
}

async function firingAlert(config: BlockerConfig): Promise<string | undefined> {
  const url = new URL(
    'api/v1/alerts',
    config.prometheusUrl?.endsWith('/') ? config.prometheusUrl : `${config.prometheusUrl}/`,
  );
  let alerts: Alert[];
  try {
    const response = await config.fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return `Prometheus answered ${response.status}`;
    alerts = ((await response.json()) as { data?: { alerts?: Alert[] } }).data?.alerts ?? [];
  } catch (error) {
    return `Prometheus unreachable (${error instanceof Error ? error.message : String(error)})`;
  }
  const active = alerts.filter((a) => {
    const name = a.labels?.alertname ?? '';
    const matches = config.alertFilterRegexp?.test(name) ?? false;
    if (matches !== config.alertFilterMatchOnly) return false;
    return config.alertFiringOnly ? a.state === 'firing' : a.state === 'firing' || a.state === 'pending';
  });
  if (active.length === 0) return undefined;
  const names = [...new Set(active.map((a) => a.labels?.alertname ?? '?'))].sort();
  return `alerts active: ${names.join(', ')}`;
}
