/**
 * The Snapshot: a frozen, point-in-time view of everything checks may read. It is built purely from
 * a RawCollection (what the sources gathered), which is also its serialised form: `snapshot save`
 * writes the RawCollection and `check --snapshot` rebuilds the same Snapshot from it.
 */
import type {FactReader, NamedInput, ObjectReader, ScopeView, WorkloadIndex} from '../core/check.js';
import type {ControlPlaneFacts, FactName, FactState} from '../core/control-plane.js';
import type {KubeObject, Pod} from '../core/kube-types/index.js';
import type {ResourceKey} from '../core/resources.js';
import {isResourceKey, resourceType, resourceTypeFor} from '../core/resources.js';
import {carriesState, hasStateKind} from '../core/observed.js';
import type {SignalSet} from '../core/signals.js';
import type {SnapshotView} from '../core/snapshot-view.js';
import {subjectKey, subjectOf} from '../core/subjects.js';
import type {AccessDenial, Availability, KindEvaluation, MeshInfo, MeshName, ObjectMode, Origin, RunMode, SourceStatus, Subject} from '../core/types.js';
import {detectMeshes} from '../mesh/detect.js';
import {namespaceMarkers, podInjectionRequests, proxyMeshes} from '../mesh/markers.js';
import {resolveNamedRef} from '../mesh/named-refs.js';
import {normalizeObjects} from './normalize.js';
import {ObjectStore} from './store.js';
import {isTemplatePod, templatePods} from './templates.js';
import {Workloads} from './workloads.js';

export type ScopeRequest = Readonly<{mode: 'meshed'} | {mode: 'all'} | {mode: 'namespaces'; namespaces: readonly string[]}>;

export type FactEntry<F extends FactName = FactName> = Readonly<{state: FactState; value?: ControlPlaneFacts[F]}>;

/** What sources gather; plain JSON, and the on-disk snapshot format. */
export type RawCollection = Readonly<{
  format: 'meshdoctor-snapshot';
  schemaVersion: 1;
  context: string | null;
  mode: RunMode;
  takenAt: string;
  scope: ScopeRequest;
  meshOverride?: MeshName;
  objects: Readonly<Record<string, readonly KubeObject[]>>;
  availability: Readonly<Record<string, Availability>>;
  /** `<kind>/<namespace>` → whether get-by-name was possible there. */
  named: Readonly<Record<string, Availability>>;
  accessDenials: readonly AccessDenial[];
  /** subjectKey → file:line for objects read from manifests. */
  origins: Readonly<Record<string, Origin>>;
  /** subjectKey → newest managedFields time (the "what changed" timeline). */
  lastChanged: Readonly<Record<string, string>>;
  sources: readonly SourceStatus[];
  signals?: SignalSet;
  metricsStatus?: SourceStatus;
  facts?: Readonly<Partial<{[F in FactName]: FactEntry<F>}>>;
  /**
   * `checks`: objects hold only what their kind's shape declares (src/snapshot/project.ts), as every
   * collection keeps them; `full`: whole objects (`snapshot save --full`). Absent in files written
   * before issue 20: whole objects.
   */
  objectDetail?: ObjectDetail;
}>;

/** How much of each object a collection keeps: what checks read, or everything (`snapshot save --full`). */
export type ObjectDetail = 'checks' | 'full';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

class Scope implements ScopeView {
  constructor(
    readonly mode: ScopeView['mode'],
    readonly namespaces: ReadonlySet<string>,
    readonly meshedNamespaces: ReadonlySet<string>,
  ) {}
  includes(namespace: string | undefined): boolean {
    return namespace === undefined || namespace === '' || this.namespaces.has(namespace);
  }
}

function meshedNamespaceSet(store: ObjectStore, meshes: readonly MeshInfo[]): Set<string> {
  const set = new Set<string>();
  for (const ns of store.list('namespaces')) {
    // A Linkerd marker written as a label instead of an annotation still says "this namespace is meant
    // to be meshed" — in scope, so that MD3201 can tell the user it is ignored.
    if (namespaceMarkers(ns).length > 0 || ns.metadata.labels?.['linkerd.io/inject'] !== undefined) set.add(ns.metadata.name);
    // Every namespace claiming to hold a Linkerd extension (not only the one detection picked), so
    // that MD2207 can report a duplicated extension label.
    else if (ns.metadata.labels?.['linkerd.io/extension']) set.add(ns.metadata.name);
  }
  for (const pod of store.list('pods')) {
    const ns = pod.metadata.namespace;
    if (!ns || set.has(ns)) continue;
    if (proxyMeshes(pod).length > 0 || podInjectionRequests(pod).length > 0) set.add(ns);
  }
  // Services Linkerd multicluster mirrors from another cluster are mesh objects wherever they live
  // (the service mirror may create their namespace with nothing meshed in it).
  for (const svc of store.list('services')) {
    const ns = svc.metadata.namespace;
    if (ns && !set.has(ns) && svc.metadata.labels?.['mirror.linkerd.io/mirrored-service'] === 'true') set.add(ns);
  }
  for (const m of meshes) {
    if (m.controlPlane === 'in-cluster' && m.namespace) set.add(m.namespace);
    for (const r of m.revisions) set.add(r.namespace);
    for (const ns of Object.values(m.extensions ?? {})) set.add(ns);
  }
  return set;
}

/** Subject keys of the workloads that own these pods (D4). */
function ownersOf(pods: readonly KubeObject[], objects: ReadonlyMap<string, readonly KubeObject[]>, availability: ReadonlyMap<string, Availability>): Set<string> {
  if (pods.length === 0) return new Set();
  const workloads = new Workloads(new ObjectStore(objects, availability));
  return new Set(pods.map((p) => subjectKey(workloads.ownerOf(p as Pod))));
}

/** Per kind and mode, how many objects were evaluated; live runs count everything not from a file as live. */
function evaluate(objects: ReadonlyMap<string, readonly KubeObject[]>, raw: RawCollection): KindEvaluation[] {
  const out: KindEvaluation[] = [];
  for (const [key, list] of objects) {
    if (!isResourceKey(key) || list.length === 0) continue;
    const counts = new Map<ObjectMode, number>();
    for (const obj of list) {
      let mode: ObjectMode;
      if (isTemplatePod(obj as Pod)) mode = 'templates';
      else if (raw.mode !== 'manifests' && !raw.origins[subjectKey(subjectOf(obj))]) mode = 'live';
      else mode = hasStateKind(key) && carriesState(key, obj) ? 'files-with-status' : 'files';
      counts.set(mode, (counts.get(mode) ?? 0) + 1);
    }
    const kind = resourceType(key).kind;
    for (const [mode, count] of counts) out.push({kind, key, mode, count});
  }
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key) || a.mode.localeCompare(b.mode));
}

function allNamespaces(store: ObjectStore): Set<string> {
  const set = new Set<string>(store.list('namespaces').map((n) => n.metadata.name));
  for (const kind of store.kinds()) {
    for (const obj of store.list(kind as never) as readonly KubeObject[]) if (obj.metadata.namespace) set.add(obj.metadata.namespace);
  }
  return set;
}

export class Snapshot implements SnapshotView {
  readonly takenAt: string;
  readonly context: string | null;
  readonly mode: RunMode;
  readonly meshes: readonly MeshInfo[];
  readonly objects: ObjectReader;
  readonly store: ObjectStore;
  readonly workloads: WorkloadIndex;
  readonly scope: ScopeView;
  readonly accessDenials: readonly AccessDenial[];
  readonly sources: readonly SourceStatus[];
  readonly signals: SignalSet | undefined;
  readonly metricsStatus: SourceStatus;
  readonly facts: FactReader;
  /** How the objects of each kind were evaluated (live, files with status, files as written, templates). */
  readonly evaluated: readonly KindEvaluation[];
  private readonly stateKinds: ReadonlySet<string>;

  constructor(readonly raw: RawCollection) {
    if (process.env.MESHDOCTOR_DEEP_FREEZE === '1') deepFreeze(raw);
    this.takenAt = raw.takenAt;
    this.context = raw.context;
    this.mode = raw.mode;
    // Every object is fitted to its kind's shape here, whatever source it came from (normalize.ts).
    const {objects, malformed} = normalizeObjects(raw.objects);
    const availability = new Map<string, Availability>(Object.entries(raw.availability));
    if (raw.mode === 'manifests') {
      // A workload whose pods the files do not hold (a manifest repo holds none) is represented by
      // its pod template, so selector checks work; pods the files hold (a dump) stand for themselves.
      const filePods = objects.get('pods') ?? [];
      const templates = templatePods(Object.fromEntries(objects), ownersOf(filePods, objects, availability));
      if (templates.length > 0 || filePods.length > 0) {
        objects.set('pods', [...filePods, ...templates]);
        availability.set('pods', {state: 'ok'});
      }
    }
    if (process.env.MESHDOCTOR_DEEP_FREEZE === '1') for (const list of objects.values()) deepFreeze(list);
    this.store = new ObjectStore(objects, availability, malformed);
    this.evaluated = evaluate(objects, raw);
    this.stateKinds = new Set(this.evaluated.filter((e) => e.mode === 'live' || e.mode === 'files-with-status').map((e) => e.key));
    this.objects = this.store;
    this.workloads = new Workloads(this.store);
    this.meshes = Object.freeze(detectMeshes(this.store, raw.mode, raw.meshOverride));
    const meshed = meshedNamespaceSet(this.store, this.meshes);
    let inScope: Set<string>;
    let mode: ScopeView['mode'];
    const req = raw.scope;
    if (req.mode === 'namespaces') {
      mode = 'namespaces';
      inScope = new Set(req.namespaces);
    } else if (req.mode === 'all' || (raw.mode === 'manifests' && !this.evaluated.some((e) => e.mode === 'files-with-status'))) {
      // A manifest repository's files are the user's explicit choice: every namespace in them is in
      // scope. A dump (files with status) is a picture of a cluster and is scoped as that cluster.
      mode = 'all';
      inScope = allNamespaces(this.store);
    } else {
      mode = 'meshed';
      inScope = meshed;
    }
    this.scope = new Scope(mode, inScope, meshed);
    this.accessDenials = raw.accessDenials;
    this.sources = raw.sources;
    this.signals = raw.signals;
    this.metricsStatus = raw.metricsStatus ?? {source: 'metrics', state: 'not-configured', detail: 'no metrics source was queried'};
    const facts = raw.facts ?? {};
    this.facts = {
      get: (name) => (facts[name] ?? {state: {state: 'unavailable', reason: `${name} was not collected`}}) as never,
    };
  }

  hasState(key: ResourceKey): boolean {
    if (this.raw.mode !== 'manifests') return true;
    // Kinds without a status are as the cluster had them only in a dump (webhook caBundles the mesh
    // patched in, for one); in a manifest repository they are as written.
    if (!hasStateKind(key)) return this.stateKinds.size > 0;
    return this.stateKinds.has(key);
  }

  namespacesFor(input: NamedInput): readonly string[] {
    const mesh = this.meshes.find((m) => m.name === input.mesh);
    if (!mesh) return [];
    if (input.where === 'control-plane') return mesh.namespace ? [mesh.namespace] : [];
    if (input.where === 'extension') return Object.values(mesh.extensions ?? {});
    if (input.where === 'referenced') return [...new Set(resolveNamedRef(input.ref, this.objects).map((t) => t.namespace))].sort();
    return [...this.scope.meshedNamespaces].filter((ns) => this.scope.includes(ns)).sort();
  }

  namedAvailability(kind: NamedInput['kind'], namespace: string): Availability {
    return this.raw.named[`${kind}/${namespace}`] ?? this.store.availability(kind);
  }

  objectFor(subject: Subject): KubeObject | undefined {
    const type = resourceTypeFor(subject.apiVersion, subject.kind);
    if (!type) return undefined;
    return this.store.get(type.key as never, type.namespaced ? subject.namespace : undefined, subject.name) as KubeObject | undefined;
  }

  originOf(subject: Subject): Origin | undefined {
    return this.raw.origins[subjectKey(subject)];
  }

  lastChanged(subject: Subject): string | undefined {
    return this.raw.lastChanged[subjectKey(subject)];
  }

  /** Pods of the store (pod templates in a manifest run). */
  pods(): readonly Pod[] {
    return this.store.list('pods');
  }
}

export function buildSnapshot(raw: RawCollection): Snapshot {
  return new Snapshot(raw);
}

/** An empty collection to start from (tests, sources). */
export function emptyCollection(partial: Partial<RawCollection> = {}): RawCollection {
  return {
    format: 'meshdoctor-snapshot',
    schemaVersion: 1,
    context: null,
    mode: 'live',
    takenAt: new Date().toISOString(),
    scope: {mode: 'meshed'},
    objects: {},
    availability: {},
    named: {},
    accessDenials: [],
    origins: {},
    lastChanged: {},
    sources: [],
    ...partial,
  };
}
