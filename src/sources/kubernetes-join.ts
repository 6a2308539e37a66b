import { basename, dirname, isAbsolute, resolve, sep } from 'node:path';
import { UsageError } from '../model/errors.js';
import type { Owner } from '../model/fact.js';
import {
  CLUSTER_SCOPED_KINDS,
  type KubeObject,
  type KubernetesObjects,
  kubernetesObjects,
} from '../model/kubernetes.js';
import { field, isRecord, text } from '../model/settings.js';
import type { ClusterPart, KubernetesPart, Located } from './fragment.js';

/** A cluster the assembler has, as the join sees it. */
export interface JoinCandidate {
  readonly name: string;
  readonly file: string;
  /** The API server's host names (`fqdn`, `privateFQDN`, `azurePortalFQDN`), lower case. */
  readonly hosts: readonly string[];
  /** Whether the cluster's own settings are in the input (not only a pool or a profile of it). */
  readonly described: boolean;
}

export interface JoinOptions {
  /** `--target NAME`: the cluster every Kubernetes object of the scan belongs to. */
  readonly target?: string | undefined;
}

export function joinCandidate(name: string, file: string, part: ClusterPart | undefined): JoinCandidate {
  const settings = part?.settings.value;
  const hosts = ['fqdn', 'privateFQDN', 'azurePortalFQDN']
    .map((key) => text(field(settings, key))?.toLowerCase())
    .filter((host): host is string => host !== undefined);
  return { name, file, hosts, described: part !== undefined };
}

/**
 * Which cluster a part of Kubernetes objects belongs to (README, "How Kubernetes objects join Azure settings"):
 * 1. `--target NAME`; else the kubeconfig server's host equal to a cluster's `fqdn`/`privateFQDN`; else the
 *    kubeconfig's cluster name equal to a cluster's name (AKS names kubeconfig clusters after themselves);
 * 2. for files, the only cluster described in the same folder;
 * 3. the only cluster described in the whole scan.
 * Otherwise undefined: the objects form a target of their own. A `--target` that names no cluster is an error.
 */
export function joinKubernetes(
  part: KubernetesPart,
  file: string,
  candidates: readonly JoinCandidate[],
  options: JoinOptions,
): number | undefined {
  const indexes = (keep: (c: JoinCandidate) => boolean) => candidates.flatMap((c, i) => (keep(c) ? [i] : []));
  const only = (found: number[]) => (found.length === 1 ? found[0] : undefined);
  const sameName = (name: string) => (c: JoinCandidate) => c.name.toLowerCase() === name.toLowerCase();

  if (options.target !== undefined) {
    const named = indexes(sameName(options.target));
    if (named.length === 0) {
      const known = candidates.map((c) => c.name).join(', ') || 'none';
      throw new UsageError(`--target '${options.target}' names no cluster in the inputs (clusters: ${known})`);
    }
    return named[0];
  }
  const host = hostOf(part.cluster?.server);
  const byHost = host === undefined ? undefined : only(indexes((c) => c.hosts.includes(host)));
  if (byHost !== undefined) return byHost;
  const byName = part.cluster ? only(indexes(sameName(part.cluster.name))) : undefined;
  if (byName !== undefined) return byName;
  const described = (c: JoinCandidate) => c.described;
  if (!part.live) {
    const folder = dirname(file);
    const here = only(indexes((c) => described(c) && dirname(c.file) === folder));
    if (here !== undefined) return here;
  }
  return only(indexes(described));
}

/** The target a live cluster's objects form when they join no cluster of the scan: named by its kubeconfig. */
export function liveTarget(part: KubernetesPart, file: string): { name: string; file: string } {
  return { name: part.cluster?.name ?? file, file };
}

/**
 * The one target the manifest files of a scan form together when they join no cluster: named after the folder
 * that holds them all, read from that file when there is one, else from that folder.
 */
export function manifestsTarget(files: readonly string[]): { name: string; file: string } {
  const unique = [...new Set(files)];
  const mixed = new Set(unique.map(isAbsolute)).size > 1;
  const folder = unique.map((f) => dirname(mixed ? resolve(f) : f)).reduce(commonFolder);
  return { name: basename(resolve(folder)), file: unique.length === 1 ? (unique[0] as string) : folder };
}

function commonFolder(a: string, b: string): string {
  const left = a.split(sep);
  const right = b.split(sep);
  let i = 0;
  while (i < left.length && i < right.length && left[i] === right[i]) i++;
  return left.slice(0, i).join(sep) || (a.startsWith(sep) ? sep : '.');
}

function hostOf(server: string | undefined): string | undefined {
  if (!server) return undefined;
  try {
    return new URL(server).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The objects of one target, each wrapped once with its owner; the parsed bodies are shared, never copied. */
export function buildKubernetes(parts: readonly KubernetesPart[], target: string): KubernetesObjects {
  const objects = parts.flatMap((part) => part.objects.map((located) => kubeObject(located, target)));
  return kubernetesObjects(
    objects,
    parts.every((p) => p.live),
  );
}

const NO_ENTRIES: Readonly<Record<string, string>> = Object.freeze({});

function kubeObject(located: Located, target: string): KubeObject {
  const body = located.value as Record<string, unknown>;
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  const kind = String(body.kind);
  const name = text(metadata.name) ?? text(metadata.generateName) ?? '(unnamed)';
  const namespace = text(metadata.namespace) ?? (CLUSTER_SCOPED_KINDS.has(kind) ? null : 'default');
  const owner: Owner = { target, resource: { kind, name, namespace } };
  return {
    apiVersion: String(body.apiVersion),
    kind,
    name,
    namespace,
    labels: isRecord(metadata.labels) ? (metadata.labels as Record<string, string>) : NO_ENTRIES,
    annotations: isRecord(metadata.annotations) ? (metadata.annotations as Record<string, string>) : NO_ENTRIES,
    body,
    anchor: { path: located.path, doc: located.doc, owner },
  };
}
