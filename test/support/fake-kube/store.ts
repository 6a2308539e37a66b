import { randomUUID } from 'node:crypto';
import { ApiError, alreadyExists, conflict, notFound } from './errors.js';
import { apiVersionOf, type ResourceType, ResourceTypes, typeKey } from './resources.js';
import { metadataOf } from './selectors.js';

export type StoredObject = Record<string, unknown>;

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly type: EventType;
  readonly resourceType: ResourceType;
  /** The object after the change (for DELETED: as it was, with the deletion's resourceVersion). */
  readonly object: StoredObject;
  readonly resourceVersion: number;
}

/** How many past events a watch can resume from; older resourceVersions get 410 Gone, as after etcd compaction. */
const HISTORY = 10_000;

/**
 * A generic, in-memory object store with one resourceVersion counter for all objects, as etcd gives the API
 * server. Objects are copied in and out so tests cannot change them behind the server's back. Every change is
 * an event that watches receive.
 */
export class ResourceStore {
  readonly types: ResourceTypes;
  private revision = 1000;
  private readonly objects = new Map<string, Map<string, StoredObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  constructor(types = new ResourceTypes()) {
    this.types = types;
  }

  get resourceVersion(): number {
    return this.revision;
  }

  /** Adds or replaces objects as a test fixture, without preconditions. Types come from apiVersion and kind. */
  seed(...objects: StoredObject[]): void {
    for (const object of objects) {
      const type = this.typeOf(object);
      const { namespace, name } = this.identity(type, object);
      const exists = this.bucket(type).has(key(namespace, name));
      this.write(type, object, exists ? 'MODIFIED' : 'ADDED');
    }
  }

  create(type: ResourceType, object: StoredObject): StoredObject {
    const { namespace, name } = this.identity(type, object);
    if (this.bucket(type).has(key(namespace, name))) throw alreadyExists(type.resource, name);
    return this.write(type, object, 'ADDED');
  }

  /** Replaces an object; a stale `metadata.resourceVersion` is a 409 Conflict, as optimistic concurrency demands. */
  replace(type: ResourceType, object: StoredObject): StoredObject {
    const { namespace, name } = this.identity(type, object);
    const current = this.get(type, namespace, name);
    const expected = metadataOf(object).resourceVersion;
    if (expected !== undefined && expected !== metadataOf(current).resourceVersion) {
      throw conflict(
        type.resource,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    return this.write(type, { ...object, metadata: { ...metadataOf(current), ...metadataOf(object) } }, 'MODIFIED');
  }

  delete(type: ResourceType, namespace: string | undefined, name: string): StoredObject {
    const current = this.get(type, namespace, name);
    this.bucket(type).delete(key(namespace, name));
    const revision = ++this.revision;
    const object = withMetadata(current, { resourceVersion: String(revision) });
    this.emit({ type: 'DELETED', resourceType: type, object, resourceVersion: revision });
    return clone(object);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): StoredObject {
    const found = this.bucket(type).get(key(type.namespaced ? namespace : undefined, name));
    if (!found) throw notFound(type.resource, name);
    return clone(found);
  }

  /** Objects of a type, in one namespace or all, sorted by namespace and name (the order continue tokens rely on). */
  list(type: ResourceType, namespace?: string): StoredObject[] {
    const prefix = namespace === undefined ? undefined : `${namespace}/`;
    return [...this.bucket(type).entries()]
      .filter(([k]) => prefix === undefined || k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, object]) => clone(object));
  }

  /** Events after `resourceVersion`, or undefined when they are no longer kept (the caller must re-list). */
  eventsSince(resourceVersion: number): StoreEvent[] | undefined {
    const oldest = this.history[0];
    if (oldest && resourceVersion < oldest.resourceVersion - 1) return undefined;
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  typeOf(object: StoredObject): ResourceType {
    const type = this.types.byKind(String(object.apiVersion), String(object.kind));
    if (!type) throw new ApiError(400, 'BadRequest', `no resource type for ${object.apiVersion} ${object.kind}`);
    return type;
  }

  private identity(type: ResourceType, object: StoredObject): { namespace: string | undefined; name: string } {
    const metadata = metadataOf(object);
    const name = metadata.name;
    if (typeof name !== 'string' || name === '') throw new ApiError(422, 'Invalid', 'metadata.name: Required value');
    const namespace = type.namespaced ? String(metadata.namespace ?? 'default') : undefined;
    return { namespace, name };
  }

  private write(type: ResourceType, object: StoredObject, event: EventType): StoredObject {
    const { namespace, name } = this.identity(type, object);
    const revision = ++this.revision;
    const previous = this.bucket(type).get(key(namespace, name));
    const stored = withMetadata(
      { ...object, apiVersion: apiVersionOf(type), kind: type.kind },
      {
        ...(namespace === undefined ? {} : { namespace }),
        uid: metadataOf(previous ?? object).uid ?? randomUUID(),
        creationTimestamp: metadataOf(previous ?? object).creationTimestamp ?? new Date().toISOString(),
        resourceVersion: String(revision),
      },
    );
    this.bucket(type).set(key(namespace, name), clone(stored));
    this.emit({ type: event, resourceType: type, object: stored, resourceVersion: revision });
    return clone(stored);
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY) this.history.shift();
    for (const listener of this.listeners) listener(event);
  }

  private bucket(type: ResourceType): Map<string, StoredObject> {
    let bucket = this.objects.get(typeKey(type));
    if (!bucket) {
      bucket = new Map();
      this.objects.set(typeKey(type), bucket);
    }
    return bucket;
  }
}

const key = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

const clone = (object: StoredObject): StoredObject => structuredClone(object);

const withMetadata = (object: StoredObject, metadata: Record<string, unknown>): StoredObject => ({
  ...object,
  metadata: { ...metadataOf(object), ...metadata },
});
