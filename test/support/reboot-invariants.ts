/**
 * REBOOT.md's safety invariants, checked from the outside: from the fake API server's own Node, Lease, Pod and
 * Event objects at every change its store makes, and at every eviction request and reboot — never from what the
 * daemons believe. What counts as unavailable is REBOOT.md's definition, written here again on the server's
 * objects rather than taken from the daemon's code.
 *
 * The pool and zone limits count "nodes made unavailable by anyone once the daemon has started one there": for a
 * node the daemon took out, every node of its pool (zone) that was unavailable no later than the moment the daemon
 * started it — the first time the node appeared as a holder on a Lease, or entered an active phase — counts. A
 * node an operator cordons after that moment cannot have been prevented, and does not.
 */
import type { FakeKube, StoredObject } from './fake-kube/index.js';
import type { Phase } from './reboot-sim.js';

export interface Violation {
  readonly at: number;
  readonly what: string;
}

export interface InvariantLimits {
  readonly namespace: string;
  readonly concurrency: number;
  readonly perPool: number;
  readonly perZone: number | undefined;
  /** Evictions by a holder whose heartbeat has not been written for this long are violations (self-fencing). */
  readonly fenceMs: number | undefined;
  readonly windowOpen: () => boolean;
  /** Told when a node reaches a phase (for kills at a phase). */
  readonly onPhase: (node: string, phase: Phase) => void;
  readonly onEviction: (node: string) => void;
}

interface NodeView {
  readonly name: string;
  readonly pool: string;
  readonly zone: string;
  readonly image: string;
  readonly ready: boolean;
  readonly cordoned: boolean;
  readonly ignoreCordon: boolean;
  readonly phase: string | undefined;
  readonly bootId: string;
  readonly blocked: boolean;
}

/** The most seen at once, against the limits. */
export interface Maxima {
  active: number;
  pool: number;
  zone: number;
}

const isActivePhase = (phase: string | undefined) => phase === 'draining' || phase === 'rebooting';
const unavailable = (v: NodeView) => !v.ready || (v.cordoned && !v.ignoreCordon) || isActivePhase(v.phase);

export class Invariants {
  readonly violations: Violation[] = [];
  readonly max: Maxima = { active: 0, pool: 0, zone: 0 };
  /** Nodes cordoned by an operator: nobody else may uncordon them. */
  readonly operatorCordoned = new Set<string>();
  /** Pods removed other than through the Eviction API. */
  readonly unevicted: string[] = [];
  /** When the daemon first touched each node: an active phase or an eviction (holding a slot alone touches nothing). */
  readonly touched = new Map<string, number>();
  readonly evictionRequests = new Map<string, number>();
  /** When each node was (last) told to reboot. */
  readonly rebootedAt = new Map<string, number>();
  private readonly views = new Map<string, NodeView>();
  private readonly holders = new Set<string>();
  /** From which store change on each node has been unavailable, and the daemon has held or worked on it. */
  private readonly since = new Map<string, number>();
  private readonly started = new Map<string, number>();
  private readonly bootAtStart = new Map<string, string>();
  private readonly blockedSince = new Map<string, number>();
  private readonly rebootingSince = new Map<string, number>();
  private readonly roundStart = new Map<string, number>();
  private readonly lastBeat = new Map<string, { token: string; at: number }>();
  private windowClosedAt: number | undefined;
  /** Store changes seen: `since` and `started` are positions in this sequence. */
  private changes = 0;

  constructor(
    private readonly kube: FakeKube,
    private readonly limits: InvariantLimits,
  ) {}

  attach(): void {
    this.kube.routes.unshift({
      name: 'invariants-spy',
      method: 'POST',
      matches: (c) => {
        if (c.target?.type.resource === 'pods' && c.target.subresource === 'eviction')
          this.onEvictionRequest(String(c.target.namespace), String(c.target.name));
        return false;
      },
      handle: () => ({ body: {} }),
    });
    this.kube.routes.unshift({
      name: 'drain-round-spy',
      method: 'GET',
      matches: (c) => {
        const field = c.url.searchParams.get('fieldSelector') ?? '';
        if (
          c.url.pathname === '/api/v1/pods' &&
          field.startsWith('spec.nodeName=') &&
          !c.url.searchParams.has('labelSelector')
        )
          this.roundStart.set(field.slice('spec.nodeName='.length), Date.now());
        return false;
      },
      handle: () => ({ body: {} }),
    });
    for (const node of this.kube.store.list(this.kube.store.types.byKind('v1', 'Node') as never)) this.onNode(node);
    this.kube.store.subscribe((event) => {
      const kind = event.resourceType.kind;
      if (kind === 'Node') this.onNode(event.object, event.type === 'DELETED');
      else if (kind === 'Lease') this.onLeases();
      else if (kind === 'Pod' && event.type === 'DELETED') this.onPodDeleted(event.object);
      else if (kind === 'Event' && event.type === 'ADDED') this.onEvent(event.object);
      else return;
      this.check();
    });
  }

  windowChanged(open: boolean): void {
    this.windowClosedAt = open ? undefined : Date.now();
  }

  /** The simulated host is told to reboot. */
  onReboot(node: string): void {
    this.rebootedAt.set(node, Date.now());
    const v = this.views.get(node);
    if (!v) {
      this.fail(`${node} rebooted without a Node object`);
      return;
    }
    if (v.phase !== 'rebooting') this.fail(`${node} rebooted in phase ${v.phase}`);
    if (!v.cordoned) this.fail(`${node} rebooted while schedulable`);
    if (!v.ready) this.fail(`${node} rebooted while already down (a second reboot)`);
    const phaseAt = this.rebootingSince.get(node) ?? Date.now();
    const blockedAt = this.blockedSince.get(node);
    if (blockedAt !== undefined && blockedAt < phaseAt) this.fail(`${node} rebooted while a blocker held`);
    if (this.windowClosedAt !== undefined && this.windowClosedAt < phaseAt)
      this.fail(`${node} rebooted outside the window`);
  }

  // ---- views of the server's objects ------------------------------------------------------------------------

  private onNode(object: StoredObject, deleted = false): void {
    const view = viewOf(object);
    if (deleted) {
      this.views.delete(view.name);
      for (const map of [this.since, this.started, this.blockedSince, this.rebootingSince]) map.delete(view.name);
      return;
    }
    const before = this.views.get(view.name);
    this.views.set(view.name, view);
    if (before?.phase !== view.phase) {
      if (view.phase === 'rebooting') {
        this.rebootingSince.set(view.name, Date.now());
        this.limits.onPhase(view.name, 'rebooting');
      } else this.rebootingSince.delete(view.name);
    }
    if (this.operatorCordoned.has(view.name) && before?.cordoned && !view.cordoned)
      this.fail(`${view.name}: an operator's cordon was lifted by someone else`);
  }

  /** Holders from every Lease of the namespace (`holderIdentity`, comma-separated), and their heartbeats. */
  private onLeases(): void {
    const type = this.kube.store.types.byKind('coordination.k8s.io/v1', 'Lease');
    const now = Date.now();
    const next = new Set<string>();
    for (const lease of this.kube.store.list(type as never, this.limits.namespace)) {
      const spec = (lease.spec ?? {}) as { holderIdentity?: string; renewTime?: string };
      const annotations = (lease.metadata as { annotations?: Record<string, string> }).annotations ?? {};
      const beats = heartbeats(annotations['aksguard.io/reboot-holders']);
      for (const holder of (spec.holderIdentity ?? '').split(',').filter(Boolean)) {
        next.add(holder);
        const token = beats.get(holder) ?? spec.renewTime ?? '';
        if (this.lastBeat.get(holder)?.token === token) continue;
        this.lastBeat.set(holder, { token, at: now });
        // A holder back from its reboot writes again: its daemon is verifying.
        const view = this.views.get(holder);
        if (view?.phase === 'rebooting' && view.bootId !== this.bootAtStart.get(holder))
          this.limits.onPhase(holder, 'verifying');
      }
    }
    for (const holder of next) if (!this.holders.has(holder)) this.limits.onPhase(holder, 'admitted');
    // An entry released and taken again is a new heartbeat, whatever its value.
    for (const holder of this.holders) if (!next.has(holder)) this.lastBeat.delete(holder);
    this.holders.clear();
    for (const holder of next) this.holders.add(holder);
  }

  private onPodDeleted(pod: StoredObject): void {
    const metadata = pod.metadata as { namespace: string; name: string };
    const evicted = this.kube.evictions.some((e) => e.namespace === metadata.namespace && e.name === metadata.name);
    if (!evicted) {
      this.unevicted.push(`${metadata.namespace}/${metadata.name}`);
      if (metadata.namespace !== this.limits.namespace) this.fail(`pod ${metadata.name} removed without an eviction`);
    }
  }

  /** Success is reported only after the boot ID changed. */
  private onEvent(event: StoredObject): void {
    if (event.reason !== 'Rebooted') return;
    const node = String((event.involvedObject as { name?: string }).name);
    const boot = this.views.get(node)?.bootId;
    if (boot !== undefined && boot === this.bootAtStart.get(node))
      this.fail(`${node} reported rebooted with its boot ID unchanged (${boot})`);
  }

  private onEvictionRequest(namespace: string, podName: string): void {
    const podType = this.kube.store.types.byKind('v1', 'Pod');
    const pod = this.kube.store
      .list(podType as never, namespace)
      .find((p) => (p.metadata as { name: string }).name === podName);
    const node = (pod?.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!node) return;
    this.evictionRequests.set(node, (this.evictionRequests.get(node) ?? 0) + 1);
    const v = this.views.get(node);
    if (!v) return; // the Node object was deleted: its pods are leftovers
    const now = Date.now();
    if (!this.touched.has(node)) this.touched.set(node, now);
    if (!v.cordoned) this.fail(`eviction of ${podName} from ${node} while it is schedulable`);
    if (v.phase !== 'draining') this.fail(`eviction of ${podName} from ${node} in phase ${v.phase}`);
    const round = this.roundStart.get(node) ?? 0;
    const blockedAt = this.blockedSince.get(node);
    if (blockedAt !== undefined && blockedAt < round)
      this.fail(`eviction of ${podName} from ${node} in a drain round begun while a blocker held`);
    if (this.windowClosedAt !== undefined && this.windowClosedAt < round)
      this.fail(`eviction of ${podName} from ${node} in a drain round begun outside the window`);
    const beat = this.lastBeat.get(node);
    if (this.limits.fenceMs !== undefined && beat && now - beat.at > this.limits.fenceMs)
      this.fail(`eviction of ${podName} from ${node} ${now - beat.at} ms after its last heartbeat write (fencing)`);
    this.limits.onEviction(node);
  }

  // ---- the checks -----------------------------------------------------------------------------------------

  private check(): void {
    const now = Date.now();
    // The order of changes, not their time: two changes within one millisecond are still one before the other.
    const seq = ++this.changes;
    const views = [...this.views.values()];
    for (const v of views) {
      const down = unavailable(v);
      if (down && !this.since.has(v.name)) this.since.set(v.name, seq);
      if (!down) this.since.delete(v.name);
      const daemon = this.holders.has(v.name) || isActivePhase(v.phase);
      if (daemon && !this.started.has(v.name)) {
        this.started.set(v.name, seq);
        this.bootAtStart.set(v.name, v.bootId);
      }
      if (isActivePhase(v.phase) && !this.touched.has(v.name)) this.touched.set(v.name, now);
      if (!daemon && !down) this.started.delete(v.name);
      const blocked = v.blocked || poolUpgrading(views, v.pool);
      if (blocked && !this.blockedSince.has(v.name)) this.blockedSince.set(v.name, now);
      if (!blocked) this.blockedSince.delete(v.name);
    }
    const active = views.filter((v) => isActivePhase(v.phase));
    this.max.active = Math.max(this.max.active, active.length);
    if (active.length > this.limits.concurrency)
      this.fail(`${active.length} nodes in an active phase (${active.map((v) => v.name).join(', ')})`);
    for (const d of views) {
      const start = this.started.get(d.name);
      if (start === undefined || !unavailable(d)) continue;
      this.checkPlace(d, start, 'pool', this.limits.perPool, views);
      if (this.limits.perZone !== undefined) this.checkPlace(d, start, 'zone', this.limits.perZone, views);
    }
  }

  private checkPlace(d: NodeView, start: number, what: 'pool' | 'zone', limit: number, views: NodeView[]): void {
    const since = (m: NodeView) => Math.min(this.since.get(m.name) ?? Infinity, this.started.get(m.name) ?? Infinity);
    const out = views.filter((m) => m.name !== d.name && m[what] === d[what] && unavailable(m) && since(m) <= start);
    const count = out.length + 1;
    this.max[what] = Math.max(this.max[what], count);
    if (count > limit)
      this.fail(
        `${count} nodes of ${what} ${d[what]} unavailable (limit ${limit}): ${[d, ...out].map((m) => m.name).join(', ')}`,
      );
  }

  private fail(what: string): void {
    this.violations.push({ at: Date.now(), what });
  }
}

function viewOf(node: StoredObject): NodeView {
  const metadata = node.metadata as {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  const labels = metadata.labels ?? {};
  const annotations = metadata.annotations ?? {};
  const status = (node.status ?? {}) as {
    conditions?: { type: string; status: string }[];
    nodeInfo?: { bootID?: string };
  };
  let phase: string | undefined;
  try {
    phase = (JSON.parse(annotations['aksguard.io/reboot-state'] ?? 'null') as { phase?: string } | null)?.phase;
  } catch {
    phase = undefined;
  }
  return {
    name: metadata.name,
    pool: labels['kubernetes.azure.com/agentpool'] ?? '',
    zone: labels['topology.kubernetes.io/zone'] ?? '',
    image: labels['kubernetes.azure.com/node-image-version'] ?? '',
    ready: (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    cordoned: ((node.spec ?? {}) as { unschedulable?: boolean }).unschedulable === true,
    ignoreCordon: annotations['aksguard.io/ignore-cordon'] === 'true',
    phase,
    bootId: status.nodeInfo?.bootID ?? '',
    blocked: annotations['aksguard.io/reboot-blocked'] !== undefined,
  };
}

/** An AKS upgrade rolls through a pool when its nodes run different node images (a surge node joined). */
const poolUpgrading = (views: readonly NodeView[], pool: string) =>
  new Set(views.filter((v) => v.pool === pool).map((v) => v.image)).size > 1;

function heartbeats(text: string | undefined): Map<string, string> {
  try {
    const holders = JSON.parse(text ?? '[]') as { node: string; heartbeat: number }[];
    return new Map(holders.map((h) => [h.node, String(h.heartbeat)]));
  } catch {
    return new Map();
  }
}
