/**
 * The collector: fetch what the plan asks for from the sources, once, and return a RawCollection.
 * Read-only and GET-only. Permissions are learnt from the 403s met along the way (no
 * SelfSubjectAccessReview); a forbidden or failing kind becomes an availability state, so the
 * checks that need it skip with a reason while the rest run.
 */
import type {NamedInput} from '../core/check.js';
import type {KubeObject} from '../core/kube-types/index.js';
import type {ResourceKey, ResourceType} from '../core/resources.js';
import {RESOURCE_TYPES, resourceType, resourceTypeFor} from '../core/resources.js';
import type {SignalSet} from '../core/signals.js';
import {subjectKey, subjectOf} from '../core/subjects.js';
import type {AccessDenial, Availability, MeshInfo, MeshName, SourceStatus} from '../core/types.js';
import {resolveNamedRef} from '../mesh/named-refs.js';
import {mapLimit} from '../sources/concurrency.js';
import type {KubeSource} from '../sources/kube/kube-source.js';
import {KubeApiError, KubeConnectionError} from '../sources/kube/kube-source.js';
import type {ManifestSet} from '../sources/kube/manifests.js';
import {cleanObject} from './clean.js';
import {keptObject} from './project.js';
import type {CollectionPlan} from './plan.js';
import type {ObjectDetail, RawCollection, ScopeRequest} from './snapshot.js';
import {Snapshot} from './snapshot.js';

/** What a metrics or control-plane provider receives: the objects and meshes collected so far. */
export type ProviderContext = Readonly<{snapshot: Snapshot; plan: CollectionPlan}>;
export type MetricsProvider = (ctx: ProviderContext) => Promise<Readonly<{signals?: SignalSet; status: SourceStatus}>>;
export type ControlPlaneProvider = (ctx: ProviderContext) => Promise<Readonly<{facts: RawCollection['facts']; status: SourceStatus}>>;

export type CollectOptions = Readonly<{
  plan: CollectionPlan;
  scope: ScopeRequest;
  meshOverride?: MeshName;
  now?: () => Date;
  metrics?: MetricsProvider;
  controlPlane?: ControlPlaneProvider;
  /** `checks` (default): objects keep what their kind's shape declares; `full`: whole objects (snapshot save --full). */
  objectDetail?: ObjectDetail;
}>;

export type LiveCollectOptions = CollectOptions & Readonly<{
  source: KubeSource;
  /** Manifests that replace live objects of the same identity ("what if I applied these?"). */
  overlay?: ManifestSet;
  concurrency?: number;
  pageSize?: number;
}>;

type Bag = {
  detail: ObjectDetail;
  objects: Record<string, KubeObject[]>;
  availability: Record<string, Availability>;
  named: Record<string, Availability>;
  denials: AccessDenial[];
  lastChanged: Record<string, string>;
  /** Lists that failed without an answer (timeout, dropped connection, garbage), of `lists` sent. */
  connectionErrors: KubeConnectionError[];
  lists: number;
};

/**
 * What an object of `key` becomes as it arrives: cleaned (its last-change time kept) and reduced to
 * what checks read. Given to the source as each list page is parsed, so a page's whole objects are
 * garbage before the next page arrives.
 */
function keeper(bag: Bag, key: string): (raw: KubeObject) => KubeObject {
  return (raw) => {
    const {object, lastChanged} = cleanObject(raw);
    if (lastChanged) bag.lastChanged[subjectKey(subjectOf(object))] = lastChanged;
    return keptObject(key, object, bag.detail);
  };
}

function keep(bag: Bag, key: string, objects: readonly KubeObject[]): void {
  const list = (bag.objects[key] ??= []);
  const kept = keeper(bag, key);
  for (const raw of objects) list.push(kept(raw));
}

function failure(error: unknown, verb: 'list' | 'get', type: ResourceType, namespace: string | undefined, bag: Bag): Availability {
  if (error instanceof KubeApiError) {
    if (error.status === 401 || error.status === 403) {
      bag.denials.push({verb, resource: type.plural + (type.group ? `.${type.group}` : ''), namespace, status: error.status});
      return {state: 'forbidden', reason: `forbidden: ${verb} ${type.plural}${namespace ? ` in ${namespace}` : ''}`};
    }
    return {state: 'error', reason: error.message};
  }
  // One kind that times out, drops the connection or sends garbage is unreadable; the others are not
  // (a server that cannot be reached at all fails discovery first, or every kind: see collectLive).
  if (error instanceof KubeConnectionError) {
    bag.connectionErrors.push(error);
    return {state: 'error', reason: error.message};
  }
  throw error;
}

/**
 * Combine per-namespace results: all forbidden → forbidden; some forbidden → ok with the partial
 * reason (RBAC scoped to namespaces); an error in any → error: a kind read only in part is not judged.
 */
function combine(results: readonly Availability[]): Availability {
  const bad = results.filter((r) => r.state !== 'ok');
  if (bad.length === 0) return {state: 'ok'};
  const error = bad.find((b) => b.state === 'error');
  if (error) return error;
  if (bad.length === results.length) return bad[0].state === 'forbidden' && bad.every((b) => b.state === 'forbidden') ? {state: 'forbidden', reason: bad.map((b) => b.reason).join('; ')} : bad[0];
  return {state: 'ok', reason: `partial: ${bad.map((b) => b.reason).join('; ')}`};
}

async function listKind(source: KubeSource, type: ResourceType, version: string, scope: ScopeRequest, bag: Bag, pageSize: number): Promise<void> {
  const namespaces = type.namespaced && scope.mode === 'namespaces' ? scope.namespaces : [undefined];
  const results: Availability[] = [];
  for (const namespace of namespaces) {
    bag.lists++;
    try {
      const items = await source.list(type, version, {namespace, pageSize, transform: keeper(bag, type.key)});
      const list = (bag.objects[type.key] ??= []);
      for (const item of items) list.push(item);
      results.push({state: 'ok'});
    } catch (error) {
      results.push(failure(error, 'list', type, namespace, bag));
    }
  }
  bag.availability[type.key] = combine(results);
}

function namespacesFor(input: NamedInput, meshes: readonly MeshInfo[], meshedNamespaces: readonly string[]): string[] {
  const mesh = meshes.find((m) => m.name === input.mesh);
  if (!mesh) return [];
  if (input.where === 'control-plane') return mesh.namespace ? [mesh.namespace] : [];
  if (input.where === 'extension') return Object.values(mesh.extensions ?? {});
  return [...meshedNamespaces];
}

async function fetchNamed(source: KubeSource, served: ReadonlyMap<string, string>, named: readonly NamedInput[], snapshot: Snapshot, bag: Bag, concurrency: number): Promise<void> {
  const inScopeMeshed = [...snapshot.scope.meshedNamespaces].filter((ns) => snapshot.scope.includes(ns));
  type Job = {kind: 'secrets' | 'configmaps'; namespace: string; name?: string};
  const jobs = new Map<string, Job>();
  for (const input of named) {
    if (input.where === 'referenced') {
      if (!snapshot.meshes.some((m) => m.name === input.mesh)) continue;
      for (const t of resolveNamedRef(input.ref, snapshot.objects)) jobs.set(`${input.kind}/${t.namespace}/${t.name}`, {kind: input.kind, namespace: t.namespace, name: t.name});
      continue;
    }
    for (const namespace of namespacesFor(input, snapshot.meshes, inScopeMeshed)) {
      if (input.names) for (const name of input.names) jobs.set(`${input.kind}/${namespace}/${name}`, {kind: input.kind, namespace, name});
      else jobs.set(`${input.kind}/${namespace}/*`, {kind: input.kind, namespace});
    }
  }
  // A whole-namespace list makes the by-name gets in that namespace redundant.
  for (const [key, job] of jobs) if (job.name && jobs.has(`${job.kind}/${job.namespace}/*`)) jobs.delete(key);
  const seen = new Set<string>();
  await mapLimit([...jobs.values()], concurrency, async (job) => {
    const type = resourceType(job.kind);
    const version = served.get(job.kind) ?? 'v1';
    const scopeKey = `${job.kind}/${job.namespace}`;
    try {
      const items = job.name ? [await source.get(type, version, job.namespace, job.name)].filter((o): o is KubeObject => o !== null) : await source.list(type, version, {namespace: job.namespace});
      const fresh = items.filter((o) => {
        const id = `${job.kind}/${o.metadata.namespace}/${o.metadata.name}`;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      keep(bag, job.kind, fresh);
      bag.named[scopeKey] ??= {state: 'ok'};
    } catch (error) {
      const a = failure(error, job.name ? 'get' : 'list', type, job.namespace, bag);
      if (bag.named[scopeKey]?.state !== 'forbidden') bag.named[scopeKey] = a;
    }
  });
  for (const kind of ['secrets', 'configmaps'] as const) {
    bag.objects[kind] ??= [];
    const states = Object.entries(bag.named).filter(([k]) => k.startsWith(`${kind}/`)).map(([, a]) => a);
    bag.availability[kind] = states.length === 0 ? {state: 'ok'} : combine(states);
  }
}

function snapshotOf(base: Omit<RawCollection, 'format' | 'schemaVersion'>): RawCollection {
  return {format: 'meshdoctor-snapshot', schemaVersion: 1, ...base};
}

async function addProviders(raw: RawCollection, opts: CollectOptions): Promise<RawCollection> {
  if (!opts.metrics && !opts.controlPlane) return raw;
  const snapshot = new Snapshot(raw);
  const sources = [...raw.sources];
  let signals: SignalSet | undefined;
  let metricsStatus: SourceStatus | undefined;
  let facts: RawCollection['facts'];
  const tasks: Promise<void>[] = [];
  if (opts.metrics && opts.plan.signals.size > 0) {
    tasks.push(opts.metrics({snapshot, plan: opts.plan}).then((r) => {
      signals = r.signals;
      metricsStatus = r.status;
    }));
  }
  if (opts.controlPlane && opts.plan.facts.size > 0) {
    tasks.push(opts.controlPlane({snapshot, plan: opts.plan}).then((r) => {
      facts = r.facts;
      sources.push(r.status);
    }));
  }
  await Promise.all(tasks);
  if (metricsStatus) sources.push(metricsStatus);
  return {...raw, sources, ...(signals ? {signals} : {}), ...(metricsStatus ? {metricsStatus} : {}), ...(facts ? {facts} : {})};
}

function mergeOverlay(bag: Bag, overlay: ManifestSet): void {
  for (const [key, files] of Object.entries(overlay.objects)) {
    const byId = new Map<string, KubeObject>();
    for (const o of bag.objects[key] ?? []) byId.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
    for (const o of files) {
      const id = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      const file = keptObject(key, cleanObject(o).object, bag.detail);
      // Applying a manifest leaves the object's status as the cluster has it.
      const live = byId.get(id);
      byId.set(id, file.status === undefined && live?.status !== undefined ? {...file, status: live.status} : file);
    }
    bag.objects[key] = [...byId.values()];
    const a = bag.availability[key];
    if (!a || a.state === 'absent' || a.state === 'not-provided') bag.availability[key] = {state: 'ok'};
  }
}

/** Collect from a live cluster (optionally overlaid with manifests). Throws KubeConnectionError when the server is unreachable. */
export async function collectLive(opts: LiveCollectOptions): Promise<RawCollection> {
  const now = opts.now ?? (() => new Date());
  const concurrency = opts.concurrency ?? 6;
  const pageSize = opts.pageSize ?? 500;
  const source = opts.source;
  const bag: Bag = {detail: opts.objectDetail ?? 'checks', objects: {}, availability: {}, named: {}, denials: [], lastChanged: {}, connectionErrors: [], lists: 0};
  const served = await source.discover(RESOURCE_TYPES);
  const kinds = [...opts.plan.kinds];
  await mapLimit(kinds, concurrency, async (key) => {
    const type = resourceType(key);
    const version = served.get(key);
    if (!version) {
      bag.availability[key] = type.builtin
        ? {state: 'error', reason: `the API server does not serve ${type.plural}`}
        : {state: 'absent', reason: `${type.kind} (${type.key}) is not installed`};
      return;
    }
    await listKind(source, type, version, opts.scope, bag, pageSize);
  });
  // Every list failed without an answer: the cluster is unreachable, not a few kinds unreadable.
  if (bag.lists > 0 && bag.connectionErrors.length === bag.lists) throw bag.connectionErrors[0];
  if (opts.overlay) mergeOverlay(bag, opts.overlay);

  const takenAt = now().toISOString();
  const base = {
    context: source.context,
    mode: opts.overlay ? ('overlay' as const) : ('live' as const),
    takenAt,
    scope: opts.scope,
    ...(opts.meshOverride ? {meshOverride: opts.meshOverride} : {}),
    objects: bag.objects,
    availability: bag.availability,
    named: bag.named,
    accessDenials: bag.denials,
    origins: opts.overlay?.origins ?? {},
    lastChanged: bag.lastChanged,
    sources: [] as SourceStatus[],
    objectDetail: bag.detail,
  };
  // Named Secrets/ConfigMaps live where the detected meshes keep them: detect first, then fetch.
  // The detection snapshot gets its own containers: a Snapshot may freeze what it is given.
  const detected = new Snapshot(snapshotOf({
    ...base,
    objects: Object.fromEntries(Object.entries(bag.objects).map(([k, v]) => [k, [...v]])),
    availability: {...bag.availability},
    named: {},
    accessDenials: [],
    sources: [],
  }));
  await fetchNamed(source, served, opts.plan.named, detected, bag, concurrency);
  const kubeStatus: SourceStatus = {
    source: 'kubernetes',
    state: bag.denials.length > 0 || Object.values(bag.availability).some((a) => a.state === 'error') ? 'partial' : 'ok',
    detail: bag.denials.length > 0 ? `${bag.denials.length} request(s) forbidden` : source.description,
    at: takenAt,
  };
  if (opts.overlay) base.sources.push({source: 'files', state: 'ok', detail: `${opts.overlay.files.length} file(s) overlaid`, at: takenAt});
  base.sources.unshift(kubeStatus);
  return addProviders(snapshotOf(base), opts);
}

/** A manifest-only run (`-f … --no-cluster`): the files are the whole world. */
export async function collectManifests(set: ManifestSet, opts: CollectOptions): Promise<RawCollection> {
  const now = opts.now ?? (() => new Date());
  const bag: Bag = {detail: opts.objectDetail ?? 'checks', objects: {}, availability: {}, named: {}, denials: [], lastChanged: {}, connectionErrors: [], lists: 0};
  for (const [key, list] of Object.entries(set.objects)) {
    // Later files win for the same identity, as `kubectl apply -f a -f b` would leave it.
    const byId = new Map<string, KubeObject>();
    for (const o of list) byId.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
    keep(bag, key, [...byId.values()]);
    bag.availability[key] = {state: 'ok'};
  }
  for (const key of opts.plan.kinds) {
    if (!bag.availability[key]) bag.availability[key] = {state: 'not-provided', reason: `no ${resourceType(key).kind} objects in the given files`};
  }
  for (const kind of ['secrets', 'configmaps'] as const) {
    if (!bag.availability[kind]) {
      bag.objects[kind] = [];
      bag.availability[kind] = {state: 'ok'};
    }
  }
  const takenAt = now().toISOString();
  return snapshotOf({
    context: null,
    mode: 'manifests',
    takenAt,
    scope: opts.scope,
    ...(opts.meshOverride ? {meshOverride: opts.meshOverride} : {}),
    objects: bag.objects,
    availability: bag.availability,
    named: {},
    accessDenials: [],
    origins: set.origins,
    lastChanged: {},
    sources: [{source: 'files', state: 'ok', detail: `${set.files.length} file(s)`, at: takenAt}],
    metricsStatus: {source: 'metrics', state: 'not-configured', detail: 'offline (manifest-only run)'},
    objectDetail: bag.detail,
  });
}

/** Kind key of an object, for tools that hold loose objects. */
export function keyOf(obj: KubeObject): ResourceKey | undefined {
  return resourceTypeFor(obj.apiVersion, obj.kind)?.key as ResourceKey | undefined;
}

