/**
 * The object store: objects by kind with namespace, name and label indexes, built once per
 * snapshot so that checks stay O(n) (no nested scans over all objects).
 */
import type {MalformedObject, ObjectReader} from '../core/check.js';
import type {KubeObject, LabelSelector, Labels, ObjectOf} from '../core/kube-types/index.js';
import type {ResourceKey} from '../core/resources.js';
import {isResourceKey, resourceType} from '../core/resources.js';
import {matchesSelector} from '../core/selectors.js';
import type {Availability} from '../core/types.js';

const EMPTY: readonly never[] = Object.freeze([]);
const ALL = '\u0000all';

class KindBucket {
  readonly all: KubeObject[] = [];
  readonly byNamespace = new Map<string, KubeObject[]>();
  readonly byName = new Map<string, KubeObject>();
  /** namespace (or ALL) → `key=value` → objects; built on first label query. */
  private labels?: Map<string, Map<string, KubeObject[]>>;

  add(obj: KubeObject): void {
    this.all.push(obj);
    const ns = obj.metadata.namespace ?? '';
    let list = this.byNamespace.get(ns);
    if (!list) this.byNamespace.set(ns, (list = []));
    list.push(obj);
    this.byName.set(`${ns}/${obj.metadata.name}`, obj);
  }

  labelIndex(): Map<string, Map<string, KubeObject[]>> {
    if (this.labels) return this.labels;
    const index = new Map<string, Map<string, KubeObject[]>>();
    const put = (scope: string, pair: string, obj: KubeObject) => {
      let m = index.get(scope);
      if (!m) index.set(scope, (m = new Map()));
      let l = m.get(pair);
      if (!l) m.set(pair, (l = []));
      l.push(obj);
    };
    for (const obj of this.all) {
      const labels = obj.metadata.labels;
      if (!labels) continue;
      const ns = obj.metadata.namespace ?? '';
      for (const k in labels) {
        const pair = `${k}=${labels[k]}`;
        put(ns, pair, obj);
        put(ALL, pair, obj);
      }
    }
    this.labels = index;
    return index;
  }
}

export class ObjectStore implements ObjectReader {
  private readonly buckets = new Map<string, KindBucket>();
  private readonly availabilities = new Map<string, Availability>();

  constructor(
    objects: ReadonlyMap<string, readonly KubeObject[]>,
    availability: ReadonlyMap<string, Availability>,
    private readonly malformedObjects: readonly MalformedObject[] = [],
  ) {
    for (const [key, list] of objects) {
      const bucket = new KindBucket();
      for (const obj of list) bucket.add(obj);
      this.buckets.set(key, bucket);
    }
    for (const [key, a] of availability) this.availabilities.set(key, a);
  }

  list<K extends ResourceKey>(kind: K, namespace?: string): readonly ObjectOf<K>[] {
    const bucket = this.buckets.get(kind);
    if (!bucket) return EMPTY;
    if (namespace === undefined) return bucket.all as ObjectOf<K>[];
    return (bucket.byNamespace.get(namespace) ?? EMPTY) as ObjectOf<K>[];
  }

  get<K extends ResourceKey>(kind: K, namespace: string | undefined, name: string): ObjectOf<K> | undefined {
    return this.buckets.get(kind)?.byName.get(`${namespace ?? ''}/${name}`) as ObjectOf<K> | undefined;
  }

  select<K extends ResourceKey>(kind: K, namespace: string | undefined, selector: Labels | LabelSelector): readonly ObjectOf<K>[] {
    const bucket = this.buckets.get(kind);
    if (!bucket) return EMPTY;
    const full: LabelSelector = 'matchLabels' in selector || 'matchExpressions' in selector ? (selector as LabelSelector) : {matchLabels: selector as Labels};
    const pairs = Object.entries(full.matchLabels ?? {});
    let candidates: readonly KubeObject[];
    if (pairs.length === 0) {
      candidates = namespace === undefined ? bucket.all : (bucket.byNamespace.get(namespace) ?? EMPTY);
    } else {
      // Start from the rarest label pair, then check the full selector on that short list.
      const scoped = bucket.labelIndex().get(namespace === undefined ? ALL : namespace);
      if (!scoped) return EMPTY;
      let best: KubeObject[] | undefined;
      for (const [k, v] of pairs) {
        const l = scoped.get(`${k}=${v}`);
        if (!l) return EMPTY;
        if (!best || l.length < best.length) best = l;
      }
      candidates = best!;
    }
    return candidates.filter((o) => matchesSelector(o.metadata.labels, full)) as ObjectOf<K>[];
  }

  availability(kind: ResourceKey): Availability {
    const a = this.availabilities.get(kind);
    if (a) return a;
    if (this.buckets.has(kind)) return {state: 'ok'};
    return {state: 'error', reason: `${resourceType(kind).plural} were not collected`};
  }

  malformed(): readonly MalformedObject[] {
    return this.malformedObjects;
  }

  /** Every kind the store holds, for codecs and counts. */
  kinds(): string[] {
    return [...this.buckets.keys()].filter(isResourceKey);
  }

  count(kind: string): number {
    return this.buckets.get(kind)?.all.length ?? 0;
  }
}
