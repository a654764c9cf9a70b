/**
 * Which object made a check crash. When a check throws, the runner evaluates it once more through
 * readers that hand out read-only views of the objects; each view remembers the top-level object it
 * belongs to, and every property read marks that object as the last one touched. When the check
 * throws again, the last object touched is the one whose shape it could not handle. Only crashed
 * checks pay for this; normal runs read the objects directly.
 *
 * Views stand in front of an empty target of the same kind (array or plain object) rather than the
 * object itself, so deep-frozen objects (tests freeze snapshots) do not trip the proxy invariants.
 */
import type {ObjectReader, WorkloadIndex} from './check.js';
import type {KubeObject, Pod} from './kube-types/index.js';

export class TouchTracker {
  last: KubeObject | undefined;
  /** Views per root: an object shared by two roots (a template pod's spec) is viewed once for each. */
  private readonly views = new WeakMap<object, WeakMap<object, object>>();

  /** A read-only view of `value` whose reads mark `root` as touched. */
  view<T>(value: T, root: KubeObject = value as KubeObject): T {
    if (typeof value !== 'object' || value === null) return value;
    const real = value as object;
    let views = this.views.get(root);
    if (!views) this.views.set(root, (views = new WeakMap()));
    const cached = views.get(real);
    if (cached) return cached as T;
    const tracker = this;
    const proxy = new Proxy(Array.isArray(real) ? [] : {}, {
      get(_target, prop) {
        tracker.last = root;
        const v = Reflect.get(real, prop, real) as unknown;
        return typeof v === 'object' && v !== null ? tracker.view(v, root) : v;
      },
      has(_target, prop) {
        tracker.last = root;
        return Reflect.has(real, prop);
      },
      ownKeys() {
        tracker.last = root;
        return Reflect.ownKeys(real);
      },
      getOwnPropertyDescriptor(target, prop) {
        const d = Reflect.getOwnPropertyDescriptor(real, prop);
        if (!d) return undefined;
        // An array target's own `length` cannot be reported as configurable.
        if (Array.isArray(target) && prop === 'length') return {value: d.value, writable: true, enumerable: false, configurable: false};
        return {...d, configurable: true};
      },
      getPrototypeOf: () => Reflect.getPrototypeOf(real),
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
    });
    views.set(real, proxy);
    return proxy as T;
  }

  objects(inner: ObjectReader): ObjectReader {
    const wrapList = <T>(list: readonly T[]): readonly T[] => list.map((o) => this.view(o));
    return {
      list: (kind, namespace) => wrapList(inner.list(kind, namespace)) as never,
      get: (kind, namespace, name) => this.view(inner.get(kind, namespace, name)) as never,
      select: (kind, namespace, selector) => wrapList(inner.select(kind, namespace, selector)) as never,
      availability: (kind) => inner.availability(kind),
      malformed: () => inner.malformed(),
    };
  }

  workloads(inner: WorkloadIndex): WorkloadIndex {
    // Views are keyed by the real object: unwrap nothing, the inner index reads through the view.
    return {
      ownerOf: (pod: Pod) => inner.ownerOf(pod),
      podsOf: (workload) => inner.podsOf(workload).map((p) => this.view(p)),
    };
  }
}
