import { dirname } from 'node:path';
import type { Owner } from '../model/fact.js';
import { field, findKey, isRecord, type PlatformValues, Settings } from '../model/settings.js';
import type { Cluster, MaintenanceConfiguration, Pool, Snapshot, Target } from '../model/snapshot.js';
import { Unresolved } from '../model/unresolved.js';
import { platformValues } from './automatic.js';
import type {
  ClusterPart,
  ClusterRef,
  Fragment,
  KubernetesPart,
  Located,
  MaintenancePart,
  PoolPart,
  UpgradeProfilePart,
} from './fragment.js';
import {
  buildKubernetes,
  type JoinOptions,
  joinCandidate,
  joinKubernetes,
  liveTarget,
  manifestsTarget,
} from './kubernetes-join.js';

interface Draft {
  readonly name: string;
  readonly unresolvedName: boolean;
  readonly file: string;
  readonly armId: string | undefined;
  readonly part: ClusterPart | undefined;
  readonly pools: PoolPart[];
  readonly upgradeProfiles: UpgradeProfilePart[];
  readonly maintenance: MaintenancePart[];
  readonly kubernetes: KubernetesPart[];
}

/**
 * Joins the parts of each cluster into one target. Parts join when they sit in the same folder and name the
 * same cluster (and, where both carry one, the same ARM id); a part that fits no single cluster becomes a target
 * of its own, so nothing is dropped and nothing is guessed.
 */
export function assemble(fragments: readonly Fragment[], join: JoinOptions = {}): Snapshot {
  const drafts: Draft[] = [];
  const byGroup = new Map<string, Draft[]>();
  const byPart = new Map<ClusterPart, Draft>();
  const groupKey = (file: string, ref: ClusterRef) => `${dirname(file)}\u0000${ref.name.toLowerCase()}`;

  for (const fragment of fragments) {
    for (const part of fragment.clusters) {
      const draft = newDraft(part, fragment.file, part);
      drafts.push(draft);
      byPart.set(part, draft);
      if (part.unresolvedName) continue; // a stand-in name joins nothing by name
      const key = groupKey(fragment.file, part);
      byGroup.set(key, [...(byGroup.get(key) ?? []), draft]);
    }
  }

  const orphans = new Map<string, Draft>();
  const home = (file: string, ref: ClusterRef): Draft => {
    const exact = ref.of && byPart.get(ref.of);
    if (exact) return exact;
    const candidates = ref.unresolvedName
      ? []
      : (byGroup.get(groupKey(file, ref)) ?? []).filter(
          (d) => !ref.armId || !d.armId || d.armId.toLowerCase() === ref.armId.toLowerCase(),
        );
    // A cluster of the part's own file is the one it means, even when another file of the folder has the name too.
    const own = candidates.filter((d) => d.file === file);
    if (own.length === 1) return own[0] as Draft;
    if (candidates.length === 1) return candidates[0] as Draft;
    const key = `${file}\u0000${ref.name.toLowerCase()}`;
    let orphan = orphans.get(key);
    if (!orphan) {
      orphan = newDraft(ref, file, undefined);
      orphans.set(key, orphan);
      drafts.push(orphan);
    }
    return orphan;
  };

  for (const fragment of fragments) {
    for (const pool of fragment.pools) home(fragment.file, pool.cluster).pools.push(pool);
    for (const profile of fragment.upgradeProfiles) home(fragment.file, profile.cluster).upgradeProfiles.push(profile);
    for (const config of fragment.maintenanceConfigurations)
      home(fragment.file, config.cluster).maintenance.push(config);
    for (const mention of fragment.mentions) home(fragment.file, mention);
  }
  placeKubernetes(fragments, drafts, join);

  // A cluster the input only mentions (its maintenance schedule or upgrade profile, nothing the rules can judge)
  // is not a target: reporting it would count a cluster that was never checked.
  const judged = drafts.filter((d) => d.part || d.pools.length > 0 || d.kubernetes.length > 0);
  const ids = targetIds(judged);
  const clusters = judged.map((draft, i) => build(draft, ids[i] as string));
  return { targets: clusters.map((c) => c.target), clusters };
}

function newDraft(ref: ClusterRef, file: string, part: ClusterPart | undefined): Draft {
  return {
    name: ref.name,
    unresolvedName: ref.unresolvedName === true,
    file,
    armId: ref.armId,
    part,
    pools: [],
    upgradeProfiles: [],
    maintenance: [],
    kubernetes: [],
  };
}

/**
 * Gives each part of Kubernetes objects to its cluster (see `kubernetes-join.ts`), or else to a target of its
 * own: one per live cluster, and one for all the manifest files of the scan together, whatever their folders.
 */
function placeKubernetes(fragments: readonly Fragment[], drafts: Draft[], join: JoinOptions): void {
  const candidates = drafts.map((d) => joinCandidate(d.name, d.file, d.part));
  const live = new Map<string, Draft>();
  const files: { part: KubernetesPart; file: string }[] = [];
  for (const fragment of fragments) {
    for (const part of fragment.kubernetes ?? []) {
      const joined = joinKubernetes(part, fragment.file, candidates, join);
      const draft = joined === undefined ? undefined : drafts[joined];
      if (draft) draft.kubernetes.push(part);
      else if (!part.live) files.push({ part, file: fragment.file });
      else {
        const alone = liveTarget(part, fragment.file);
        const mine = live.get(alone.name) ?? newDraft({ name: alone.name }, alone.file, undefined);
        if (!live.has(alone.name)) drafts.push(mine);
        live.set(alone.name, mine);
        mine.kubernetes.push(part);
      }
    }
  }
  if (files.length > 0) {
    const alone = manifestsTarget(files.map((f) => f.file));
    const mine = newDraft({ name: alone.name }, alone.file, undefined);
    mine.kubernetes.push(...files.map((f) => f.part));
    drafts.push(mine);
  }
}

/** The ARM resource id where it identifies one target; otherwise `file#name`. */
function targetIds(drafts: readonly Draft[]): string[] {
  const uses = new Map<string, number>();
  for (const d of drafts) if (d.armId) uses.set(d.armId.toLowerCase(), (uses.get(d.armId.toLowerCase()) ?? 0) + 1);
  const seen = new Map<string, number>();
  return drafts.map((d) => {
    const base = d.armId && uses.get(d.armId.toLowerCase()) === 1 ? d.armId : `${d.file}#${d.name}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

function build(draft: Draft, id: string): Cluster {
  const target: Target = { id, kind: 'aks-cluster', name: draft.name, source: draft.file };
  const owner = (kind: string, name: string): Owner => ({ target: id, resource: { kind, name, namespace: null } });
  const resource = draft.part && settingsOf(draft.part.resource, owner('ManagedCluster', draft.name));
  const platform = platformValues(resource?.get('sku.name'));
  const settings = draft.part && settingsOf(draft.part.settings, owner('ManagedCluster', draft.name), platform);

  const pools = new Map<
    string,
    { name: string; settings: Settings; unknownExistence?: PoolPart['unknownExistence'] }
  >();
  if (draft.part) {
    for (const embedded of embeddedPools(draft.part.settings)) {
      pools.set(embedded.name.toLowerCase(), {
        name: embedded.name,
        settings: settingsOf(embedded, owner('AgentPool', embedded.name)),
      });
    }
  }
  for (const pool of draft.pools) {
    pools.set(pool.name.toLowerCase(), {
      name: pool.name,
      settings: settingsOf(pool.settings, owner('AgentPool', pool.name)),
      ...(pool.unknownExistence ? { unknownExistence: pool.unknownExistence } : {}),
    });
  }
  const built: Pool[] = [...pools.values()].map((p) => {
    const profile = draft.upgradeProfiles.find((u) => u.pool.toLowerCase() === p.name.toLowerCase());
    return { ...p, upgradeProfile: profile && settingsOf(profile.settings, owner('AgentPool', p.name)) };
  });

  const declared = draft.part?.maintenanceConfigurations;
  const maintenance = [...(declared ?? []), ...draft.maintenance];
  const maintenanceConfigurations: MaintenanceConfiguration[] | undefined =
    declared === undefined && draft.maintenance.length === 0
      ? undefined
      : maintenance.map((m) => ({
          name: m.name,
          settings: settingsOf(m.settings, owner('MaintenanceConfiguration', m.name)),
        }));

  return {
    target,
    name: draft.name,
    unresolvedName: draft.unresolvedName || undefined,
    settings,
    resource,
    description: draft.part?.description ?? 'state',
    apiVersion: draft.part?.apiVersion,
    pools: built,
    maintenanceConfigurations,
    kubernetes: draft.kubernetes.length > 0 ? buildKubernetes(draft.kubernetes, id) : undefined,
  };
}

function settingsOf(located: Located, owner: Owner, platform?: PlatformValues): Settings {
  return new Settings(located.value, located.path, located.doc, owner, platform);
}

/**
 * The `agentPoolProfiles[]` entries of a cluster's settings, each with its own path. A list (or an entry) the
 * input leaves unknown is one stand-in pool whose every setting is unknown, so the pool rules say they cannot
 * tell rather than pass; a pool whose name is unknown is named by its place in the list.
 */
function embeddedPools(settings: Located): (Located & { name: string })[] {
  if (!isRecord(settings.value)) return [];
  const key = findKey(settings.value, 'agentPoolProfiles');
  const list = key === undefined ? undefined : settings.value[key];
  const path = [...settings.path, key ?? 'agentPoolProfiles'];
  if (list instanceof Unresolved) return [{ name: 'agentPoolProfiles', value: list, path, doc: settings.doc }];
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry, i) => {
    const own = isRecord(entry) ? field(entry, 'name') : undefined;
    const name = typeof own === 'string' && own !== '' ? own : `pool${i + 1}`;
    if (!isRecord(entry) && !(entry instanceof Unresolved)) return [];
    return [{ name, value: entry, path: [...path, i], doc: settings.doc }];
  });
}
