import { ApiError } from './errors.js';
import type { Route, Target } from './routes.js';
import { metadataOf } from './selectors.js';
import type { ResourceStore, StoredObject } from './store.js';

export interface Eviction {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/**
 * `POST …/pods/<name>/eviction`, as the API server answers it: 404 for a missing pod, 409 when the
 * `deleteOptions.preconditions.uid` names an older pod of the same name, 429 when a PodDisruptionBudget selecting
 * the pod allows no disruption now; otherwise the pod is deleted (at once: no kubelet here) and reported.
 */
export function evictionRoute(onEvicted: (eviction: Eviction) => void): Route {
  return {
    name: 'eviction',
    method: 'POST',
    matches: (c) => c.target?.type.resource === 'pods' && c.target.subresource === 'eviction',
    async handle(c) {
      const { type, namespace, name } = c.target as Target;
      const body = (await c.body()) as { deleteOptions?: { preconditions?: { uid?: string } } };
      const pod = c.store.get(type, namespace, name as string);
      const uid = String(metadataOf(pod).uid);
      const wanted = body.deleteOptions?.preconditions?.uid;
      if (wanted !== undefined && wanted !== uid) {
        throw new ApiError(
          409,
          'Conflict',
          `Precondition failed: UID in precondition: ${wanted}, UID in object meta: ${uid}`,
        );
      }
      const blocking = budgetsFor(c.store, pod).find((pdb) => disruptionsAllowed(c.store, pdb) < 1);
      if (blocking) {
        throw new ApiError(
          429,
          'TooManyRequests',
          `Cannot evict pod as it would violate the pod's disruption budget.`,
          {
            causes: [
              {
                reason: 'DisruptionBudget',
                message: `The disruption budget ${metadataOf(blocking).name} needs more healthy pods`,
              },
            ],
          },
        );
      }
      // Reported before the deletion, so a watcher of deletions can tell evictions from other removals.
      onEvicted({ namespace: namespace ?? 'default', name: name as string, uid });
      c.store.delete(type, namespace, name as string);
      return { status: 201, body: { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 } };
    },
  };
}

function matchLabels(pdb: StoredObject): Record<string, string> {
  const spec = (pdb.spec ?? {}) as { selector?: { matchLabels?: Record<string, string> } };
  return spec.selector?.matchLabels ?? {};
}

function budgetsFor(store: ResourceStore, pod: StoredObject): StoredObject[] {
  const type = store.types.byKind('policy/v1', 'PodDisruptionBudget');
  if (!type) return [];
  const labels = (metadataOf(pod).labels ?? {}) as Record<string, string>;
  return store
    .list(type, String(metadataOf(pod).namespace))
    .filter((pdb) => Object.entries(matchLabels(pdb)).every(([k, v]) => labels[k] === v));
}

/** minAvailable or maxUnavailable (whole numbers) against the healthy (Running, not deleting) selected pods. */
function disruptionsAllowed(store: ResourceStore, pdb: StoredObject): number {
  const podType = store.types.byKind('v1', 'Pod');
  if (!podType) return 0;
  const selector = matchLabels(pdb);
  const selected = store.list(podType, String(metadataOf(pdb).namespace)).filter((p) => {
    const labels = (metadataOf(p).labels ?? {}) as Record<string, string>;
    return Object.entries(selector).every(([k, v]) => labels[k] === v) && !metadataOf(p).deletionTimestamp;
  });
  const healthy = selected.filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running').length;
  const spec = (pdb.spec ?? {}) as { minAvailable?: number; maxUnavailable?: number };
  if (typeof spec.minAvailable === 'number') return healthy - spec.minAvailable;
  if (typeof spec.maxUnavailable === 'number') return spec.maxUnavailable - (selected.length - healthy);
  return 1;
}
