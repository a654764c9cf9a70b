/**
 * The fixture's etcd: objects indexed by group/kind and `namespace/name`, a global resourceVersion
 * bumped by every write, a bounded history of change events (so a watch can resume from a list's
 * resourceVersion), and listeners for live watches. Lists read keys in etcd order (namespace, then name)
 * from lazily sorted key arrays that only membership changes invalidate.
 */
import {randomUUID} from 'node:crypto';
import type {KubeObject} from '../../core/kube-types/index.js';

export type StoredObject = {
  readonly object: KubeObject;
  readonly groupKind: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
  /** `namespace/name`: the etcd key order. */
  readonly key: string;
  readonly resourceVersion: number;
  /** The object's JSON without `apiVersion` and `kind`, built on first serve (see serialize.ts). */
  bodyJson?: string;
};

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type StoreEvent = Readonly<{
  type: StoreEventType;
  resourceVersion: number;
  /** For DELETED: the last state, stamped with the deletion's resourceVersion (as a real server sends it). */
  current: StoredObject;
  previous?: StoredObject;
}>;

export type StoreListener = (event: StoreEvent) => void;

type Bucket = {
  byKey: Map<string, StoredObject>;
  sortedAll: string[] | null;
  sortedByNamespace: Map<string, string[]> | null;
};

export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class ObjectStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly listeners = new Map<string, Set<StoreListener>>();
  private history: StoreEvent[] = [];
  /** Events up to this resourceVersion are no longer in `history`: a watch from before it gets 410. */
  private compactedThrough = 0;
  private rv = 0;

  constructor(private readonly historyLimit = 10_000) {}

  get resourceVersion(): number {
    return this.rv;
  }

  /**
   * Adds or replaces an object. `namespace` is already resolved by the caller ('' when cluster-scoped).
   * `initial` loads keep a numeric resourceVersion the object already has and record no event.
   */
  put(groupKind: string, namespace: string, input: KubeObject, initial = false): StoreEvent {
    const bucket = this.bucket(groupKind);
    const name = input.metadata.name;
    const key = objectKey(namespace, name);
    const previous = bucket.byKey.get(key);
    const given = Number(input.metadata.resourceVersion);
    const rv = initial && Number.isSafeInteger(given) && given > 0 ? given : this.rv + 1;
    this.rv = Math.max(this.rv, rv);
    const metadata = {
      ...input.metadata,
      ...(namespace ? {namespace} : {}),
      uid: input.metadata.uid ?? previous?.object.metadata.uid ?? randomUUID(),
      creationTimestamp: input.metadata.creationTimestamp ?? previous?.object.metadata.creationTimestamp ?? nowTimestamp(),
      resourceVersion: String(rv),
    };
    if (!namespace) delete (metadata as {namespace?: string}).namespace;
    const stored: StoredObject = {object: {...input, metadata}, groupKind, namespace, name, key, resourceVersion: rv};
    bucket.byKey.set(key, stored);
    if (!previous) this.invalidate(bucket);
    const event: StoreEvent = {type: previous ? 'MODIFIED' : 'ADDED', resourceVersion: rv, current: stored, previous};
    if (initial) this.compactedThrough = this.rv;
    else this.record(event);
    return event;
  }

  delete(groupKind: string, namespace: string, name: string): StoreEvent | undefined {
    const bucket = this.buckets.get(groupKind);
    const key = objectKey(namespace, name);
    const previous = bucket?.byKey.get(key);
    if (!bucket || !previous) return undefined;
    bucket.byKey.delete(key);
    this.invalidate(bucket);
    const rv = ++this.rv;
    const object = {...previous.object, metadata: {...previous.object.metadata, resourceVersion: String(rv)}};
    const event: StoreEvent = {type: 'DELETED', resourceVersion: rv, current: {...previous, object, resourceVersion: rv, bodyJson: undefined}, previous};
    this.record(event);
    return event;
  }

  get(groupKind: string, namespace: string, name: string): StoredObject | undefined {
    return this.buckets.get(groupKind)?.byKey.get(objectKey(namespace, name));
  }

  /** Every object of a group/kind, in no particular order. */
  all(groupKind: string): IterableIterator<StoredObject> {
    return (this.buckets.get(groupKind)?.byKey ?? new Map<string, StoredObject>()).values();
  }

  /** Keys in etcd order, of one namespace or (namespace undefined) of all. Look objects up with `byKey`. */
  sortedKeys(groupKind: string, namespace?: string): readonly string[] {
    const bucket = this.buckets.get(groupKind);
    if (!bucket) return [];
    if (!bucket.sortedAll) bucket.sortedAll = [...bucket.byKey.keys()].sort();
    if (namespace === undefined) return bucket.sortedAll;
    if (!bucket.sortedByNamespace) {
      bucket.sortedByNamespace = new Map();
      for (const key of bucket.sortedAll) {
        const ns = bucket.byKey.get(key)!.namespace;
        let keys = bucket.sortedByNamespace.get(ns);
        if (!keys) bucket.sortedByNamespace.set(ns, (keys = []));
        keys.push(key);
      }
    }
    return bucket.sortedByNamespace.get(namespace) ?? [];
  }

  byKey(groupKind: string, key: string): StoredObject | undefined {
    return this.buckets.get(groupKind)?.byKey.get(key);
  }

  /** Events after `resourceVersion`, or 'expired' when the history no longer reaches back that far. */
  eventsSince(resourceVersion: number): readonly StoreEvent[] | 'expired' {
    if (resourceVersion < this.compactedThrough) return 'expired';
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.history[mid].resourceVersion <= resourceVersion) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  subscribe(groupKind: string, listener: StoreListener): () => void {
    let set = this.listeners.get(groupKind);
    if (!set) this.listeners.set(groupKind, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }

  private bucket(groupKind: string): Bucket {
    let bucket = this.buckets.get(groupKind);
    if (!bucket) this.buckets.set(groupKind, (bucket = {byKey: new Map(), sortedAll: null, sortedByNamespace: null}));
    return bucket;
  }

  private invalidate(bucket: Bucket): void {
    bucket.sortedAll = null;
    bucket.sortedByNamespace = null;
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    // Trim in batches so a long-running demo pays O(1) amortised per write.
    if (this.history.length > this.historyLimit * 2) {
      const dropped = this.history.length - this.historyLimit;
      this.compactedThrough = this.history[dropped - 1].resourceVersion;
      this.history = this.history.slice(dropped);
    }
    for (const listener of this.listeners.get(event.current.groupKind) ?? []) listener(event);
  }
}
