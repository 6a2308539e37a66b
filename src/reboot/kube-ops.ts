import {
  ApiException,
  type ConfigurationOptions,
  CoordinationV1Api,
  CoreV1Api,
  createConfiguration,
  type KubeConfig,
  Observable,
  type RequestContext,
  ServerConfiguration,
  setHeaderOptions,
  type V1Lease,
  type V1Node,
  type V1Pod,
  Watch,
} from '@kubernetes/client-node';
import { LOCK_NAME } from './lease.js';
import {
  ConflictError,
  type EvictionResult,
  type LeaseInfo,
  type NodeChange,
  type NodeEvent,
  type NodeInfo,
  type NodeOps,
  type PodInfo,
  type Taint,
  type WatchHandle,
} from './ports.js';

const REQUEST_TIMEOUT_MS = 30_000;
/** A watch that ends (server timeout, dropped connection) is opened again after this pause. */
const REWATCH_MS = 500;

/** The `NodeOps` port on `@kubernetes/client-node`: what the daemon does to the real API server. */
export class KubeOps implements NodeOps {
  private readonly core: CoreV1Api;
  private readonly coordination: CoordinationV1Api;
  private readonly mergePatch = setHeaderOptions('Content-Type', 'application/merge-patch+json');

  constructor(
    private readonly config: KubeConfig,
    private readonly component = 'aksguard-reboot-daemon',
  ) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig names no cluster');
    const configuration = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: config },
      promiseMiddleware: [
        {
          pre: async (context: RequestContext) => {
            context.setSignal(AbortSignal.timeout(REQUEST_TIMEOUT_MS));
            return context;
          },
          post: async (response) => response,
        },
      ],
    });
    this.core = new CoreV1Api(configuration);
    this.coordination = new CoordinationV1Api(configuration);
  }

  async getNode(name: string): Promise<NodeInfo | undefined> {
    try {
      return nodeInfo(await this.core.readNode({ name }));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** A JSON merge patch; with `resourceVersion` the API server applies it only to that version (409 otherwise). */
  async patchNode(name: string, change: NodeChange): Promise<NodeInfo> {
    const spec = {
      ...(change.unschedulable === undefined ? {} : { unschedulable: change.unschedulable || null }),
      ...(change.taints === undefined ? {} : { taints: change.taints }),
    };
    const body = {
      metadata: {
        ...(change.annotations ? { annotations: change.annotations } : {}),
        ...(change.labels ? { labels: change.labels } : {}),
        ...(change.resourceVersion ? { resourceVersion: change.resourceVersion } : {}),
      },
      ...(Object.keys(spec).length > 0 ? { spec } : {}),
    };
    try {
      return nodeInfo(await this.core.patchNode({ name, body }, this.mergePatch));
    } catch (error) {
      if (statusOf(error) === 409) throw new ConflictError(`node ${name} changed since it was read`);
      throw error;
    }
  }

  async listNodes(): Promise<NodeInfo[]> {
    return (await this.core.listNode({})).items.map(nodeInfo);
  }

  async listPodsOnNode(node: string, labelSelector?: string): Promise<PodInfo[]> {
    const list = await this.core.listPodForAllNamespaces({
      fieldSelector: `spec.nodeName=${node}`,
      ...(labelSelector ? { labelSelector } : {}),
    });
    return list.items.map(podInfo);
  }

  async podExists(namespace: string, name: string, uid: string): Promise<boolean> {
    if (name === '') return false;
    try {
      return (await this.core.readNamespacedPod({ namespace, name })).metadata?.uid === uid;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  async evictPod(pod: PodInfo, gracePeriodSeconds: number | undefined, signal?: AbortSignal): Promise<EvictionResult> {
    try {
      await this.core.createNamespacedPodEviction(
        {
          name: pod.name,
          namespace: pod.namespace,
          body: {
            apiVersion: 'policy/v1',
            kind: 'Eviction',
            metadata: { name: pod.name, namespace: pod.namespace },
            // The pod we listed, not a namesake created since: the API refuses a stale uid with 409.
            deleteOptions: {
              preconditions: { uid: pod.uid },
              ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
            },
          },
        },
        signal ? abortWith(signal) : undefined,
      );
      return 'evicted';
    } catch (error) {
      const status = statusOf(error);
      if (status === 429) return 'blocked';
      if (status === 404 || status === 409) return 'gone';
      throw error;
    }
  }

  async getLease(namespace: string, name: string): Promise<LeaseInfo | undefined> {
    try {
      return leaseInfo(await this.coordination.readNamespacedLease({ name, namespace }));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async createLease(namespace: string, lease: Omit<LeaseInfo, 'resourceVersion'>): Promise<LeaseInfo | 'conflict'> {
    try {
      return leaseInfo(await this.coordination.createNamespacedLease({ namespace, body: leaseBody(namespace, lease) }));
    } catch (error) {
      if (statusOf(error) === 409) return 'conflict';
      throw error;
    }
  }

  async updateLease(namespace: string, lease: LeaseInfo): Promise<LeaseInfo | 'conflict'> {
    try {
      const body = leaseBody(namespace, lease, lease.resourceVersion);
      return leaseInfo(await this.coordination.replaceNamespacedLease({ name: lease.name, namespace, body }));
    } catch (error) {
      if (statusOf(error) === 409) return 'conflict';
      throw error;
    }
  }

  async recordEvent(node: NodeInfo, event: NodeEvent): Promise<void> {
    const now = new Date();
    // As the kubelet records node events: in `default`, with the node's name as its uid, so
    // `kubectl describe node` lists them with the kubelet's own.
    await this.core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: `${node.name}.`, namespace: 'default' },
        involvedObject: { kind: 'Node', name: node.name, uid: node.name, apiVersion: 'v1' },
        reason: event.reason,
        message: event.message,
        type: event.type,
        source: { component: this.component, host: node.name },
        reportingComponent: this.component,
        reportingInstance: node.name,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    });
  }

  /**
   * Watches the node itself and the Leases of the namespace. Heartbeats (every few seconds per holder) are not
   * news; a change of the holder set is, as it may free a slot.
   */
  watch(node: string, namespace: string, onChange: () => void): WatchHandle {
    const holders = new Map<string, string>();
    const leaseChanged = (_phase: string, lease: V1Lease) => {
      const name = lease.metadata?.name ?? '';
      const holder = lease.spec?.holderIdentity ?? '';
      if (holders.get(name) !== holder) onChange();
      holders.set(name, holder);
    };
    const watches = [
      this.keepWatching('/api/v1/nodes', { fieldSelector: `metadata.name=${node}` }, () => onChange()),
      this.keepWatching(
        `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`,
        { fieldSelector: `metadata.name=${LOCK_NAME}` },
        leaseChanged,
      ),
    ];
    return {
      synced: () => watches.every((w) => w.synced()),
      stop: () => {
        for (const w of watches) w.stop();
      },
    };
  }

  private keepWatching(
    path: string,
    query: Record<string, string>,
    onEvent: (phase: string, object: V1Lease & V1Node) => void,
  ): { synced(): boolean; stop(): void } {
    let stopped = false;
    let synced = false;
    let current: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      if (stopped) return;
      let ended = false;
      new Watch(this.config)
        .watch(path, { ...query, allowWatchBookmarks: true }, onEvent, () => {
          ended = true;
          synced = false;
          current = undefined;
          if (!stopped) timer = setTimeout(open, REWATCH_MS);
        })
        .then(
          (controller) => {
            // The client resolves even when the watch failed at once (it called done first).
            if (ended) return;
            current = controller;
            synced = true;
            if (stopped) controller.abort();
          },
          () => {
            synced = false;
            if (!stopped) timer = setTimeout(open, REWATCH_MS);
          },
        );
    };
    open();
    return {
      synced: () => synced,
      stop: () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        current?.abort();
      },
    };
  }
}

function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/**
 * Per-request options that abandon the request when `signal` aborts, on top of the request timeout the client's
 * own middleware set.
 */
function abortWith(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context) => {
          const timeout = context.getSignal();
          context.setSignal(timeout ? AbortSignal.any([timeout, signal]) : signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

export function nodeInfo(node: V1Node): NodeInfo {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  return {
    name: node.metadata?.name ?? '',
    labels: node.metadata?.labels ?? {},
    annotations: node.metadata?.annotations ?? {},
    unschedulable: node.spec?.unschedulable === true,
    taints: (node.spec?.taints ?? []).map(
      (t): Taint => ({ key: t.key, effect: t.effect, ...(t.value === undefined ? {} : { value: t.value }) }),
    ),
    ready,
    bootId: node.status?.nodeInfo?.bootID ?? '',
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? '',
    resourceVersion: node.metadata?.resourceVersion ?? '',
  };
}

export function podInfo(pod: V1Pod): PodInfo {
  const annotations = pod.metadata?.annotations ?? {};
  return {
    namespace: pod.metadata?.namespace ?? 'default',
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    labels: pod.metadata?.labels ?? {},
    ownerKinds: (pod.metadata?.ownerReferences ?? []).map((o) => o.kind),
    mirror: 'kubernetes.io/config.mirror' in annotations,
    usesEmptyDir: (pod.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined),
    deletionTimestamp:
      pod.metadata?.deletionTimestamp === undefined ? undefined : new Date(pod.metadata.deletionTimestamp).getTime(),
    finished: pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed',
  };
}

function leaseInfo(lease: V1Lease): LeaseInfo {
  return {
    name: lease.metadata?.name ?? '',
    holderIdentity: lease.spec?.holderIdentity || undefined,
    annotations: lease.metadata?.annotations ?? {},
    resourceVersion: lease.metadata?.resourceVersion ?? '',
  };
}

/** The Lease as written: the holders in its annotations; no times, as no decision may rest on another node's clock. */
function leaseBody(namespace: string, lease: Omit<LeaseInfo, 'resourceVersion'>, resourceVersion?: string): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: lease.name,
      namespace,
      annotations: { ...lease.annotations },
      ...(resourceVersion ? { resourceVersion } : {}),
    },
    spec: lease.holderIdentity ? { holderIdentity: lease.holderIdentity } : {},
  };
}
