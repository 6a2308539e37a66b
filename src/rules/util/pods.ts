import type { Anchor } from '../../model/fact.js';
import type { KubeObject, KubernetesObjects } from '../../model/kubernetes.js';
import type { Path } from '../../model/provenance.js';
import type { Problem, RuleOptions } from '../../model/rule.js';
import { isRecord } from '../../model/settings.js';
import type { Cluster, Snapshot } from '../../model/snapshot.js';
import { within } from './report.js';

type Body = Record<string, unknown>;

/** A pod spec and where it sits in its object: `spec` of a Pod, `spec.template.spec` of a Deployment, … */
export interface PodSpec {
  readonly spec: Body;
  readonly path: Path;
}

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface Container {
  readonly name: string;
  readonly body: Body;
  readonly list: ContainerList;
  readonly path: Path;
}

/** A workload rules judge: the object named in findings and the pod spec it runs. */
export interface Workload {
  readonly cluster: Cluster;
  readonly object: KubeObject;
  readonly pod: PodSpec;
}

const TEMPLATE_PATHS: Readonly<Record<string, Path>> = {
  Pod: ['spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
const DEFAULT_TEMPLATE_PATH: Path = ['spec', 'template', 'spec'];

export function podSpecOf(object: KubeObject): PodSpec | undefined {
  const path = TEMPLATE_PATHS[object.kind] ?? DEFAULT_TEMPLATE_PATH;
  let value: unknown = object.body;
  for (const key of path) value = isRecord(value) ? value[key] : undefined;
  return isRecord(value) ? { spec: value, path } : undefined;
}

const LISTS: readonly ContainerList[] = ['initContainers', 'containers', 'ephemeralContainers'];

/** Every container of the pod: init, regular and ephemeral. */
export function containersOf(pod: PodSpec): Container[] {
  return LISTS.flatMap((list) => {
    const entries = pod.spec[list];
    if (!Array.isArray(entries)) return [];
    return entries.flatMap((body, i) =>
      isRecord(body) ? [{ name: String(body.name ?? `#${i}`), body, list, path: [...pod.path, list, i] }] : [],
    );
  });
}

/**
 * The workloads of every cluster, each judged once where it is written: a pod or ReplicaSet or Job created by a
 * controller that is itself in the input (a Deployment, CronJob, StatefulSet, …) is judged through that
 * controller, so a Deployment with 10 replicas gives one finding, not 12.
 */
export function workloads(snapshot: Snapshot): Workload[] {
  return snapshot.clusters.flatMap((cluster) => {
    const kubernetes = cluster.kubernetes;
    if (!kubernetes) return [];
    let judged = JUDGED.get(kubernetes);
    if (!judged) {
      const covered = coveredByController(kubernetes);
      judged = kubernetes.workloads.flatMap((object) => {
        const pod = covered(object) ? undefined : podSpecOf(object);
        return pod ? [{ cluster, object, pod }] : [];
      });
      JUDGED.set(kubernetes, judged);
    }
    return judged;
  });
}

/**
 * Nine rules ask for the same workloads of the same (immutable) snapshot: working them out once per scan keeps
 * a 60,000-pod cluster from paying nine times. Keyed weakly, so it lives exactly as long as the snapshot.
 */
const JUDGED = new WeakMap<KubernetesObjects, readonly Workload[]>();

function coveredByController(kubernetes: KubernetesObjects): (object: KubeObject) => boolean {
  const key = (namespace: string | null, kind: string, name: string) => `${namespace}\u0000${kind}\u0000${name}`;
  const present = new Set(kubernetes.workloads.map((w) => key(w.namespace, w.kind, w.name)));
  return (object) => {
    const owner = controllerOf(object);
    if (!owner) return false;
    const has = (kind: string, name: string) => present.has(key(object.namespace, kind, name));
    if (has(owner.kind, owner.name)) return true;
    // A Deployment's ReplicaSets are named `<deployment>-<pod-template-hash>`; a CronJob's Jobs `<cronjob>-<minutes>`.
    const hash = object.labels['pod-template-hash'];
    if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
      return has('Deployment', owner.name.slice(0, -hash.length - 1));
    }
    const scheduled = /^(.+)-\d+$/.exec(owner.name);
    return owner.kind === 'Job' && scheduled !== null && has('CronJob', scheduled[1] as string);
  };
}

function controllerOf(object: KubeObject): { kind: string; name: string } | undefined {
  const metadata = object.body.metadata;
  const owners = isRecord(metadata) && Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences : [];
  const owner = owners.find((o) => isRecord(o) && o.controller === true) ?? owners[0];
  if (!isRecord(owner) || typeof owner.kind !== 'string' || typeof owner.name !== 'string') return undefined;
  return { kind: owner.kind, name: owner.name };
}

/** Windows pods are exempt from the Linux-only Pod Security checks (seccomp, privilege escalation). */
export const isWindowsPod = (pod: PodSpec): boolean =>
  valueAt(pod.spec, ['os', 'name']) === 'windows' ||
  valueAt(pod.spec, ['nodeSelector', 'kubernetes.io/os']) === 'windows';

export const isSystemNamespace = (namespace: string | null, options: RuleOptions): boolean =>
  namespace !== null && options.systemNamespaces.includes(namespace);

/** `Deployment shop/web`, as messages name a workload. */
export const describeObject = (object: KubeObject): string =>
  `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;

/** A problem with a workload; in a system namespace it is reported at `info` (RULES.md). */
export function workloadProblem(workload: Workload, path: Path, message: string, options: RuleOptions): Problem {
  const at: Anchor = within(workload.object.anchor, ...path);
  const system = isSystemNamespace(workload.object.namespace, options);
  return {
    at,
    message: system ? `${message} (system namespace ${workload.object.namespace}: reported as info)` : message,
    ...(system ? { severity: 'info' as const } : {}),
  };
}

/** A value inside an object, by path; undefined where the path leads nowhere. */
export function valueAt(body: unknown, path: Path): unknown {
  let value = body;
  for (const key of path) {
    if (Array.isArray(value) && typeof key === 'number') value = value[key];
    else if (isRecord(value) && typeof key === 'string') value = value[key];
    else return undefined;
  }
  return value;
}

/** The pod-level `securityContext` field and the container-level one; the container's wins (Kubernetes precedence). */
export function effective(
  pod: PodSpec,
  container: Container,
  field: string,
): { value: unknown; path: Path; from: 'container' | 'pod' | 'default' } {
  const own = valueAt(container.body, ['securityContext', field]);
  if (own !== undefined && own !== null)
    return { value: own, path: [...container.path, 'securityContext', field], from: 'container' };
  const inherited = valueAt(pod.spec, ['securityContext', field]);
  if (inherited !== undefined && inherited !== null) {
    return { value: inherited, path: [...pod.path, 'securityContext', field], from: 'pod' };
  }
  return { value: undefined, path: [...pod.path, 'securityContext', field], from: 'default' };
}
