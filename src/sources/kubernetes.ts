import { MissingToolError } from '../model/errors.js';
import { kubePath, PAYLOAD_KINDS } from '../model/kubernetes.js';
import type { Path, Position, SourceDoc } from '../model/provenance.js';
import { isRecord } from '../model/settings.js';
import { emptyFragment, type Located } from './fragment.js';
import type { JsonDoc } from './parse/json.js';
import { parseYamlDocuments } from './parse/yaml.js';
import type { Input, Source } from './source.js';

/** A top-level `apiVersion:` and `kind:` line: cheap enough to run on every YAML file of a folder scan. */
const LOOKS_LIKE_MANIFEST = /^apiVersion:[ \t]*\S/m;
const HAS_KIND = /^kind:[ \t]*\S/m;
/** Go template actions (`{{ .Values.x }}`): a Helm chart's source, not a rendered manifest. */
const TEMPLATE_ACTION = /\{\{-?\s*[.$\w/"(]/;

/**
 * Kubernetes objects: multi-document YAML manifests (Helm-rendered output included), and `kubectl get -o json`
 * output, a `List` or a single object. Documents that are not Kubernetes objects are passed over. Secret and
 * ConfigMap payloads are dropped here, so nothing downstream can show them.
 */
export const kubernetesSource: Source = {
  format: 'kubernetes',
  description: 'Kubernetes manifests (YAML, Helm-rendered) and `kubectl get -o json` output',
  extensions: ['.yaml', '.yml', '.json'],
  detect(input) {
    if (isJsonText(input.text)) return isKubernetesJson(input.json().value);
    return LOOKS_LIKE_MANIFEST.test(input.text) && HAS_KIND.test(input.text);
  },
  load(input) {
    const objects = isJsonText(input.text) ? fromJson(input.json()) : fromYaml(input);
    // A file with no Kubernetes object in it (a kustomization, an empty List) adds no target of its own.
    return { ...emptyFragment(input.file), kubernetes: objects.length > 0 ? [{ live: false, objects }] : [] };
  },
};

const isJsonText = (text: string): boolean => /^\uFEFF?\s*[{[]/.test(text);

function isKubernetesJson(value: unknown): boolean {
  if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') return false;
  if (/management\.azure\.com/i.test(value.apiVersion)) return false;
  return isRecord(value.metadata) || (value.kind.endsWith('List') && Array.isArray(value.items));
}

function fromYaml(input: Input): Located[] {
  if (TEMPLATE_ACTION.test(input.text)) {
    throw new MissingToolError(
      input.file,
      'this is a Helm or Go template, not a manifest: render it first, e.g. `helm template CHART | aksguard scan -`',
    );
  }
  return parseYamlDocuments(input.file, input.text).flatMap(({ value, doc }) => objectsIn(value, doc, []));
}

function fromJson(json: JsonDoc): Located[] {
  return objectsIn(json.value, json, []);
}

/** The Kubernetes objects in a document: the document itself, or the items of a `List`/`PodList`/…. */
function objectsIn(value: unknown, doc: SourceDoc, path: Path): Located[] {
  if (!isRecord(value) || typeof value.kind !== 'string') return [];
  if (value.kind.endsWith('List') && Array.isArray(value.items)) {
    const itemKind = value.kind === 'List' ? undefined : value.kind.slice(0, -'List'.length);
    return value.items.flatMap((item, i) => {
      if (!isRecord(item)) return [];
      // The API server leaves kind and apiVersion off the items of a typed list (PodList): they are the list's.
      if (itemKind && item.kind === undefined) {
        item.kind = itemKind;
        item.apiVersion ??= value.apiVersion;
      }
      return objectsIn(item, doc, [...path, 'items', i]);
    });
  }
  if (typeof value.apiVersion !== 'string' || !isRecord(value.metadata)) return [];
  return [{ value: trimmed(value), path: [], doc: path.length === 0 && doc.describe ? doc : new ObjectDoc(doc, path) }];
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Container fields no rule reads; in a large dump they are most of a pod's bytes (env values may be secrets). */
const UNREAD_CONTAINER_FIELDS = [
  'env',
  'envFrom',
  'resources',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'volumeMounts',
  'terminationMessagePath',
  'terminationMessagePolicy',
];
const POD_SPEC_PATHS = [['spec'], ['spec', 'template', 'spec'], ['spec', 'jobTemplate', 'spec', 'template', 'spec']];

/** `trimmed` for any parsed value that is a Kubernetes object: large files hand each list item here as it is parsed. */
export function trimmedIfObject(value: unknown): unknown {
  const object = isRecord(value) && typeof value.kind === 'string' && isRecord(value.metadata);
  return object ? trimmed(value) : value;
}

/**
 * The object as the rules need it. Payloads go (see `withoutPayload`), and so does what no rule reads but a
 * 60,000-pod dump is mostly made of — managed fields, the last-applied copy of the object, container env, probes
 * and resources, pod status — so the snapshot holds a fraction of the parsed bytes. Paths and locations are
 * unaffected: they point into the file's text, not into this object.
 */
function trimmed(object: Record<string, unknown>): Record<string, unknown> {
  if (PAYLOAD_KINDS.has(object.kind as string)) return withoutPayload(object);
  const metadata = object.metadata as Record<string, unknown>;
  drop(metadata, 'managedFields');
  if (isRecord(metadata.annotations) && LAST_APPLIED in metadata.annotations) delete metadata.annotations[LAST_APPLIED];
  if (object.kind === 'Pod' && isRecord(object.status)) object.status = { phase: object.status.phase };
  for (const path of POD_SPEC_PATHS) {
    let spec: unknown = object;
    for (const key of path) spec = isRecord(spec) ? spec[key] : undefined;
    if (!isRecord(spec)) continue;
    for (const list of [spec.containers, spec.initContainers, spec.ephemeralContainers]) {
      if (!Array.isArray(list)) continue;
      for (const container of list) {
        if (isRecord(container)) for (const field of UNREAD_CONTAINER_FIELDS) drop(container, field);
      }
    }
  }
  return object;
}

/** Lets go of a field's value without `delete`, which would turn a compact V8 object into a bigger dictionary. */
function drop(object: Record<string, unknown>, field: string): void {
  if (object[field] !== undefined) object[field] = undefined;
}

/**
 * Secret `data`/`stringData` and ConfigMap `data`/`binaryData` never enter the snapshot, nor do their annotations
 * (`kubectl.kubernetes.io/last-applied-configuration` holds a copy of the data).
 */
function withoutPayload(object: Record<string, unknown>): Record<string, unknown> {
  if (!PAYLOAD_KINDS.has(object.kind as string)) return object;
  const { name, namespace, labels } = object.metadata as Record<string, unknown>;
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: { name, namespace, labels } };
}

/** One object inside a bigger document (an item of a `List`): paths are relative to the object. */
class ObjectDoc implements SourceDoc {
  constructor(
    private readonly outer: SourceDoc,
    private readonly base: Path,
  ) {}

  get file(): string {
    return this.outer.file;
  }

  locate(path: Path): Position | undefined {
    return this.outer.locate([...this.base, ...path]);
  }

  describe(path: Path): string {
    return kubePath(path);
  }
}
