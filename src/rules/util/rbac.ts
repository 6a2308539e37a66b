import type { Anchor } from '../../model/fact.js';
import type { KubeObject, KubernetesObjects } from '../../model/kubernetes.js';
import { isRecord } from '../../model/settings.js';
import type { Cluster, Snapshot } from '../../model/snapshot.js';
import { within } from './report.js';

/** One entry of a role's `rules`, with lists defaulted to empty. */
export interface PolicyRule {
  readonly index: number;
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/** A Role or ClusterRole the rbac rules judge, with the bindings that grant it. */
export interface JudgedRole {
  readonly cluster: Cluster;
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
  readonly namespace: string | null;
  readonly rules: readonly PolicyRule[];
  /** Where the role is written; for the built-in cluster-admin not in the input, the binding that names it. */
  readonly anchor: Anchor;
  /** Bindings that count (exempt ones, e.g. to `system:masters`, do not). */
  readonly boundBy: readonly KubeObject[];
  /** The built-in cluster-admin, known by name only: its rules are not written anywhere in the input. */
  readonly builtIn: boolean;
}

/** Where a finding about one of a role's rules points: the rule, or for the built-in cluster-admin its binding. */
export const ruleAnchor = (role: JudgedRole, index: number): Anchor =>
  role.builtIn ? role.anchor : within(role.anchor, 'rules', index);

export interface Subject {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly index: number;
}

/** Names Kubernetes reserves for itself: roles and bindings named so are exempt from most rbac rules. */
export const isReserved = (name: string): boolean => name.startsWith('system:');

/** The rules of Kubernetes' built-in cluster-admin, judged when a binding in the input refers to it. */
const CLUSTER_ADMIN_RULES: readonly PolicyRule[] = [
  { index: 0, apiGroups: ['*'], resources: ['*'], verbs: ['*'], nonResourceURLs: [] },
  { index: 1, apiGroups: [], resources: [], verbs: ['*'], nonResourceURLs: ['*'] },
];

export function rulesOf(role: KubeObject): PolicyRule[] {
  const rules = role.body.rules;
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((rule, index) =>
    isRecord(rule)
      ? [
          {
            index,
            // apiGroups is required for resource rules; a manifest that leaves it out most likely means the core group.
            apiGroups: rule.apiGroups === undefined ? [''] : strings(rule.apiGroups),
            resources: strings(rule.resources),
            verbs: strings(rule.verbs),
            nonResourceURLs: strings(rule.nonResourceURLs),
          },
        ]
      : [],
  );
}

export function subjectsOf(binding: KubeObject): Subject[] {
  const subjects = binding.body.subjects;
  if (!Array.isArray(subjects)) return [];
  return subjects.flatMap((s, index) =>
    isRecord(s) && typeof s.name === 'string'
      ? [
          {
            kind: String(s.kind ?? ''),
            name: s.name,
            namespace: typeof s.namespace === 'string' ? s.namespace : undefined,
            index,
          },
        ]
      : [],
  );
}

export function roleRefOf(binding: KubeObject): { kind: string; name: string } | undefined {
  const ref = binding.body.roleRef;
  return isRecord(ref) && typeof ref.name === 'string' ? { kind: String(ref.kind ?? ''), name: ref.name } : undefined;
}

/** A binding no rbac rule but anonymous-binding judges: reserved name, or granting only to `system:masters`. */
export function isExemptBinding(binding: KubeObject): boolean {
  const subjects = subjectsOf(binding);
  return isReserved(binding.name) || (subjects.length > 0 && subjects.every((s) => s.name === 'system:masters'));
}

/**
 * Matching as the Kubernetes authorizer does it: `*` grants every verb, group or resource; `*\/exec` grants any
 * resource's `exec` subresource; `pods/*` is no wildcard. `userextras/<key>` resources match `userextras`.
 */
export function grants(
  rule: PolicyRule,
  wanted: { readonly verbs: readonly string[]; readonly group: string; readonly resources: readonly string[] },
): boolean {
  const verb = rule.verbs.includes('*') || wanted.verbs.some((v) => rule.verbs.includes(v));
  const group = rule.apiGroups.includes('*') || rule.apiGroups.includes(wanted.group);
  return verb && group && wanted.resources.some((resource) => matchesResource(rule.resources, resource));
}

function matchesResource(granted: readonly string[], resource: string): boolean {
  if (granted.includes('*') || granted.includes(resource)) return true;
  const slash = resource.indexOf('/');
  if (slash !== -1 && granted.includes(`*${resource.slice(slash)}`)) return true;
  return resource === 'userextras' && granted.some((g) => g.startsWith('userextras/'));
}

/**
 * Every Role and ClusterRole the rbac rules judge: all in the input except reserved `system:*` ones, plus the
 * built-in cluster-admin (from the input or built in) exactly when a binding that counts refers to it.
 */
export function judgedRoles(snapshot: Snapshot): JudgedRole[] {
  return snapshot.clusters.flatMap((cluster) => {
    const kubernetes = cluster.kubernetes;
    if (!kubernetes) return [];
    let roles = JUDGED.get(kubernetes);
    if (!roles) {
      roles = rolesOf(cluster, kubernetes);
      JUDGED.set(kubernetes, roles);
    }
    return roles;
  });
}

/** Four rules judge the same roles of the same (immutable) snapshot: resolved once, for as long as it lives. */
const JUDGED = new WeakMap<KubernetesObjects, readonly JudgedRole[]>();

function rolesOf(cluster: Cluster, kubernetes: KubernetesObjects): JudgedRole[] {
  const boundBy = bindingIndex(kubernetes.bindings);
  const judged: JudgedRole[] = kubernetes.roles
    .filter((role) => !isReserved(role.name) && !(role.kind === 'ClusterRole' && role.name === 'cluster-admin'))
    .map((role) => ({
      cluster,
      kind: role.kind as JudgedRole['kind'],
      name: role.name,
      namespace: role.kind === 'Role' ? role.namespace : null,
      rules: rulesOf(role),
      anchor: role.anchor,
      boundBy: boundBy(role.kind, role.name, role.namespace),
      builtIn: false,
    }));
  const adminBindings = boundBy('ClusterRole', 'cluster-admin', null);
  const first = adminBindings[0];
  if (first) {
    const written = kubernetes.roles.find((r) => r.kind === 'ClusterRole' && r.name === 'cluster-admin');
    const anchor: Anchor = written?.anchor ?? {
      ...within(first.anchor, 'roleRef', 'name'),
      owner: {
        target: first.anchor.owner.target,
        resource: { kind: 'ClusterRole', name: 'cluster-admin', namespace: null },
      },
    };
    const rules = written ? rulesOf(written) : CLUSTER_ADMIN_RULES;
    judged.push({
      cluster,
      kind: 'ClusterRole',
      name: 'cluster-admin',
      namespace: null,
      rules,
      anchor,
      boundBy: adminBindings,
      builtIn: written === undefined,
    });
  }
  return judged;
}

/**
 * The bindings that count for a role, looked up by name (a RoleBinding grants a Role of its own namespace, or a
 * ClusterRole within its namespace; a ClusterRoleBinding grants a ClusterRole everywhere).
 */
function bindingIndex(
  all: readonly KubeObject[],
): (kind: string, name: string, namespace: string | null) => KubeObject[] {
  const index = new Map<string, KubeObject[]>();
  const key = (kind: string, name: string, namespace: string | null) =>
    kind === 'Role' ? `Role\u0000${namespace}\u0000${name}` : `${kind}\u0000${name}`;
  for (const binding of all) {
    const ref = roleRefOf(binding);
    if (!ref || isExemptBinding(binding) || (ref.kind === 'Role' && binding.kind !== 'RoleBinding')) continue;
    const k = key(ref.kind, ref.name, binding.namespace);
    const list = index.get(k);
    if (list) list.push(binding);
    else index.set(k, [binding]);
  }
  return (kind, name, namespace) => index.get(key(kind, name, namespace)) ?? [];
}

/** Bindings the binding rules judge, with the cluster they belong to. */
export function bindings(snapshot: Snapshot): { cluster: Cluster; binding: KubeObject }[] {
  return snapshot.clusters.flatMap((cluster) =>
    (cluster.kubernetes?.bindings ?? []).map((binding) => ({ cluster, binding })),
  );
}

/** `ClusterRole admin-all (bound by ClusterRoleBinding ops to Group ops-team)` — how messages name a role. */
export function describeRole(role: JudgedRole): string {
  const name = `${role.kind} ${role.namespace ? `${role.namespace}/` : ''}${role.name}`;
  if (role.boundBy.length === 0) return `${name} (not bound by any binding in the input)`;
  const grants = role.boundBy
    .slice(0, 3)
    .map((b) => `${b.kind} ${b.namespace ? `${b.namespace}/` : ''}${b.name} to ${describeSubjects(subjectsOf(b))}`);
  const more = role.boundBy.length > 3 ? ` and ${role.boundBy.length - 3} more` : '';
  return `${name} (bound by ${grants.join('; ')}${more})`;
}

export function describeSubjects(subjects: readonly Subject[]): string {
  if (subjects.length === 0) return 'no subject';
  const shown = subjects.slice(0, 3).map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`);
  return `${shown.join(', ')}${subjects.length > 3 ? ` and ${subjects.length - 3} more` : ''}`;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
