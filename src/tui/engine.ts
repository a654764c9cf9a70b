/**
 * The TUI's connection to the world: a plain object (no React) that owns the sources and turns
 * what they say into reducer actions. Stages, so the first numbers come fast:
 *   1. the live KubeSource and a small collection (workloads and Services) → the Services rows;
 *   2. metrics every `--refresh` (MetricsFeed: Prometheus, or rolling proxy scrapes) → numbers;
 *   3. the check catalog and the full collection (with istiod's syncz) → findings; then watches keep
 *      an object cache current, and checks re-run (debounced) when objects, facts or metrics change.
 * Every failure becomes a `source-failed` action (stale, with the reason and a retry time), retried
 * with exponential backoff; nothing here throws into the UI. GET only, like every source.
 */
import {setMaxListeners} from 'node:events';
import type {Check} from '../core/check.js';
import type {GoldenMetrics, WorkloadRef} from '../core/golden.js';
import {goldenMetrics} from '../core/golden.js';
import type {KubeObject, LabelSelector, Service} from '../core/kube-types/index.js';
import {thresholdsFor} from '../core/options.js';
import type {Thresholds} from '../core/options.js';
import {RESOURCE_TYPES, resourceType} from '../core/resources.js';
import type {ResourceKey} from '../core/resources.js';
import {runCheck, runChecks} from '../core/runner.js';
import type {SignalName, SignalSet} from '../core/signals.js';
import {GOLDEN_SIGNALS} from '../core/signals.js';
import {subjectKey, subjectOf} from '../core/subjects.js';
import type {CheckResult, SourceStatus} from '../core/types.js';
import {severityOverrides} from '../cli/selection.js';
import type {Settings} from '../cli/settings.js';
import {cleanObject} from '../snapshot/clean.js';
import {selectResults, subjectSelected} from '../snapshot/label-selection.js';
import {keptObject} from '../snapshot/project.js';
import type {CollectionPlan} from '../snapshot/plan.js';
import {planFor} from '../snapshot/plan.js';
import type {RawCollection} from '../snapshot/snapshot.js';
import {buildSnapshot} from '../snapshot/snapshot.js';
import type {Snapshot} from '../snapshot/snapshot.js';
import type {ControlPlaneProvider} from '../snapshot/collect.js';
import type {LiveKubeSource} from '../sources/kube/live.js';
import type {ServedResources, WatchEvent} from '../sources/kube/kube-source.js';
import type {ClusterView} from '../sources/metrics/gather.js';
import type {KubeHttp} from '../sources/metrics/kube-http.js';
import type {HistoryLoad, MetricsFeed} from '../sources/metrics/live-feed.js';
import type {Action} from './state/types.js';
import {PodFeed} from './pod-feed.js';
import type {PodWatch} from './state/pod.js';
import type {LiveProbe} from './verify.js';
import {NeedsPrometheus} from './verify.js';
import type {StreamSpec} from './watches.js';
import {WatchSet} from './watches.js';

export type EngineOptions = Readonly<{
  /** The command line, resolved (src/cli/settings.ts): the engine never parses a flag. */
  settings: Settings;
  refreshSeconds: number;
  /** `--at`: metrics frozen at this instant (Prometheus). */
  at?: Date;
  dispatch: (action: Action) => void;
  /** A problem that must end the program (bad kubeconfig, unknown context): exit 2. Without it, such a problem is a source failure. */
  onFatal?: (error: unknown) => void;
  now?: () => number;
  /** Loads the check catalog (default: checks/index.js). */
  loadChecks?: () => Promise<readonly Check[]>;
  /** Re-list period of kinds whose watch is forbidden (default 30 s; tests and the bench shorten it). */
  watchPollMs?: number;
}>;

/** Kinds the TUI reads beyond what checks need: Services (edges), Events (what changed). */
const TUI_KINDS: readonly ResourceKey[] = ['services', 'events', 'replicasets.apps'];
const QUICK_KINDS: readonly ResourceKey[] = ['services'];
const MAX_BACKOFF_MS = 30_000;
const FACTS_EVERY_MS = 30_000;
const RESYNC_EVERY_MS = 5 * 60_000;
const HISTORY_EVERY_MS = 30_000;
/** History steps folded into the state per dispatch (see dispatchHistory). */
const HISTORY_STEPS_PER_DISPATCH = 6;
const CHECKS_DEBOUNCE_MS = 800;
/** Metric checks are re-run on fresh metrics at most this often. */
const CHECKS_ON_METRICS_MS = 10_000;
/**
 * Proxy-scrape rates over a window shorter than this are shown but not judged by the checks: a
 * percentile or a share over a second or two of traffic is noise, and false findings are worse
 * than a few seconds' wait.
 */
export const CHECK_WARMUP_SECONDS = 10;

export function backoffMs(baseMs: number, failures: number): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, failures - 1));
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function idOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

export function clusterViewOf(snapshot: Snapshot): ClusterView {
  return {
    meshes: snapshot.meshes,
    namespaces: snapshot.objects.list('namespaces'),
    pods: snapshot.objects.list('pods'),
    ownerOf: (pod) => snapshot.workloads.ownerOf(pod),
    includes: (ns) => snapshot.scope.includes(ns),
  };
}

/** The workloads a golden-metrics view lists (`-l`: those with a matching pod). */
export async function inventoryOf(snapshot: Snapshot, selector?: LabelSelector): Promise<WorkloadRef[]> {
  const {workloadInventory} = await import('../sources/metrics/inventory.js');
  return workloadInventory({
    pods: snapshot.objects.list('pods'),
    services: snapshot.objects.list('services') as readonly Service[],
    ownerOf: (pod) => snapshot.workloads.ownerOf(pod),
    includes: (ns) => snapshot.scope.includes(ns),
    ...(selector ? {selector} : {}),
  });
}

export class LiveEngine implements LiveProbe {
  private stopped = false;
  private source?: LiveKubeSource;
  private served?: ServedResources;
  private checks?: readonly Check[];
  private plan?: CollectionPlan;
  private base?: RawCollection;
  private readonly cache = new Map<string, Map<string, KubeObject>>();
  private lastChanged: Record<string, string> = {};
  private snapshot?: Snapshot;
  private inventory: WorkloadRef[] = [];
  private signals?: SignalSet;
  private metricsStatus?: SourceStatus;
  private feed?: MetricsFeed;
  private readonly wanted = new Set<SignalName>(GOLDEN_SIGNALS);
  private controlPlane?: ControlPlaneProvider;
  private http?: Promise<KubeHttp>;
  private watchSet?: WatchSet;
  /** Ends every request in flight and every exec credential plugin running when the engine stops (q, SIGTERM, SIGHUP). */
  private readonly abort = new AbortController();
  private pods?: PodFeed;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private failures = {kube: 0, metrics: 0, facts: 0};
  private metricsBusy: Promise<void> | undefined;
  private metricsAgain = false;
  private lastHistory = 0;
  private warm = false;
  private checksBusy = false;
  private checksAgain = false;
  private checksDebounce: ReturnType<typeof setTimeout> | undefined;
  private lastChecks = 0;
  private readonly scope;
  private readonly meshOverride;
  private readyResolve!: () => void;
  private idleResolve!: () => void;
  /**
   * Resolves when the engine first waits on something other than the CPU (between the first two
   * proxy scrapes, or after any first answer or failure): the moment to load the UI's code.
   */
  readonly idle = new Promise<void>((resolve) => (this.idleResolve = resolve));
  /** Resolves once the catalog and the full collection are in (verify steps wait for it). */
  readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));

  constructor(private readonly options: EngineOptions) {
    // Every request in flight listens on it: dozens at once are normal, not a leak.
    setMaxListeners(0, this.abort.signal);
    this.scope = options.settings.scope;
    this.meshOverride = options.settings.meshOverride;
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  private dispatch(action: Action): void {
    if (action.type === 'source-failed' || action.type === 'metrics') this.idleResolve();
    if (!this.stopped) this.options.dispatch(action);
  }

  private later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(timer);
  }

  private started = false;

  /** Connect (once; later calls do nothing). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.connect();
  }

  /** Read these pods (their logs and their proxy's view) from now on; the app calls it as views change. */
  watchPods(watches: readonly PodWatch[]): void {
    if (this.stopped) return;
    this.pods ??= new PodFeed({
      kubeHttp: () => this.kubeHttp(),
      portForward: () => import('../sources/kube/port-forward.js').then((m) => m.createPortForwardClient({...this.options.settings.cluster, signal: this.abort.signal})),
      dispatch: (a) => this.dispatch(a),
      now: () => this.now(),
      timeoutMs: Math.min(this.options.settings.cluster.requestTimeoutMs ?? 30_000, 10_000),
    });
    this.pods.watch(watches);
  }

  stop(): void {
    this.stopped = true;
    this.pods?.stop();
    this.idleResolve();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.checksDebounce) clearTimeout(this.checksDebounce);
    this.watchSet?.stop();
    this.abort.abort(new Error('meshdoctor is exiting'));
  }

  private kubeFailed(error: unknown, retry: () => void): void {
    this.failures.kube++;
    const wait = backoffMs(1000, this.failures.kube);
    this.dispatch({type: 'source-failed', source: 'kubernetes', at: this.now(), reason: oneLine(error), retryAt: this.now() + wait});
    this.later(wait, retry);
  }

  private kubeOk(): void {
    this.failures.kube = 0;
    this.dispatch({type: 'source-ok', source: 'kubernetes', at: this.now(), ...(this.source ? {detail: this.source.description} : {})});
  }

  private async connect(): Promise<void> {
    try {
      const {createLiveKubeSource} = await import('../sources/kube/live.js');
      this.source = await createLiveKubeSource({...this.options.settings.cluster, signal: this.abort.signal});
      // The API server's proxy for the metrics source, prepared while the first objects are listed.
      void this.kubeHttp().catch(() => undefined);
    } catch (error) {
      const {KubeConfigError} = await import('../sources/kube/kube-source.js');
      if (error instanceof KubeConfigError) {
        if (this.options.onFatal) return this.options.onFatal(error);
        this.dispatch({type: 'source-failed', source: 'kubernetes', at: this.now(), reason: oneLine(error)});
        return;
      }
      return this.kubeFailed(error, () => void this.connect());
    }
    await this.quickCollect();
  }

  /** Stage 1: workloads and Services only, so rows appear before the catalog is loaded. */
  private async quickCollect(): Promise<void> {
    const source = this.source!;
    try {
      const {collectLive} = await import('../snapshot/collect.js');
      const raw = await collectLive({plan: planFor([], {kinds: QUICK_KINDS}), scope: this.scope, source, ...(this.meshOverride ? {meshOverride: this.meshOverride} : {})});
      if (this.stopped) return;
      await this.publish(raw);
      this.kubeOk();
    } catch (error) {
      return this.kubeFailed(error, () => void this.quickCollect());
    }
    // The first numbers before the catalog: loading ~100 checks and listing every kind would compete
    // with the first metrics refresh for the one thread.
    this.scheduleMetrics(0);
  }

  private fullStarted = false;

  private startFullCollect(): void {
    if (this.fullStarted || this.stopped) return;
    this.fullStarted = true;
    void this.fullCollect();
  }

  /** Stage 3: the catalog, the full collection, watches, control-plane facts. */
  private async fullCollect(): Promise<void> {
    const source = this.source!;
    try {
      if (!this.checks) {
        this.checks = this.options.loadChecks ? await this.options.loadChecks() : (await import('../../checks/index.js')).allChecks;
        this.plan = planFor(this.checks, {kinds: TUI_KINDS, signals: GOLDEN_SIGNALS});
        for (const s of this.plan.signals) this.wanted.add(s);
        const {controlPlaneProviderFor} = await import('../cli/providers/control-plane.js');
        this.controlPlane = controlPlaneProviderFor(this.options.settings, {cluster: true}, this.abort.signal);
      }
      const {collectLive} = await import('../snapshot/collect.js');
      const [raw, served] = await Promise.all([
        collectLive({plan: this.plan!, scope: this.scope, source, ...(this.meshOverride ? {meshOverride: this.meshOverride} : {}), ...(this.controlPlane ? {controlPlane: this.controlPlane} : {})}),
        this.served ? Promise.resolve(this.served) : source.discover(RESOURCE_TYPES),
      ]);
      if (this.stopped) return;
      this.served = served;
      this.base = raw;
      this.cache.clear();
      for (const [key, list] of Object.entries(raw.objects)) this.cache.set(key, new Map(list.map((o) => [idOf(o), o])));
      this.lastChanged = {...raw.lastChanged};
      this.factsStatus(raw);
      await this.publish(this.current());
      this.kubeOk();
      this.readyResolve();
      this.startWatches();
      this.scheduleChecks(0);
      this.later(FACTS_EVERY_MS, () => void this.refreshFacts());
      this.later(RESYNC_EVERY_MS, () => void this.fullCollect());
      void this.loadRunbooks();
    } catch (error) {
      const {KubeConfigError} = await import('../sources/kube/kube-source.js');
      if (error instanceof KubeConfigError && this.options.onFatal) return this.options.onFatal(error);
      this.kubeFailed(error, () => void this.fullCollect());
    }
  }

  private async loadRunbooks(): Promise<void> {
    if (!this.checks) return;
    try {
      const [{loadRunbooks}, {packageRoot}, {join}] = await Promise.all([import('../runbooks/catalog.js'), import('../package-info.js'), import('node:path')]);
      const entries = loadRunbooks(join(packageRoot(), 'runbooks'), this.options.settings.config.runbooks.dirs);
      this.dispatch({type: 'runbooks', runbooks: new Map([...entries].map(([id, e]) => [id, e.runbook]))});
    } catch (error) {
      this.dispatch({type: 'flash', text: `runbooks: ${oneLine(error)}`, level: 'error', at: this.now()});
    }
  }

  private factsStatus(raw: RawCollection): void {
    const cp = raw.sources.find((s) => s.source === 'control-plane');
    if (!cp) return this.dispatch({type: 'source-off', source: 'control-plane', detail: 'no control-plane data needed'});
    if (cp.state === 'not-configured') return this.dispatch({type: 'source-off', source: 'control-plane', detail: cp.detail ?? 'not configured'});
    if (cp.state === 'unavailable') this.dispatch({type: 'source-failed', source: 'control-plane', at: this.now(), reason: cp.detail ?? 'unavailable'});
    else this.dispatch({type: 'source-ok', source: 'control-plane', at: this.now(), ...(cp.detail ? {detail: cp.detail} : {})});
  }

  /** The RawCollection of the object cache, the latest facts and signals. */
  private current(): RawCollection {
    const base = this.base!;
    const objects: Record<string, KubeObject[]> = {};
    for (const [key, map] of this.cache) objects[key] = [...map.values()];
    let signals = this.signals;
    let status = this.metricsStatus;
    if (signals && signals.source === 'proxies' && signals.windowSeconds < CHECK_WARMUP_SECONDS) {
      status = {source: 'metrics', state: 'ok', detail: `proxy scrapes warming up: ${Math.round(signals.windowSeconds)}s of data; metric checks wait for ${CHECK_WARMUP_SECONDS}s`, ...(status?.at ? {at: status.at} : {})};
      signals = undefined;
    }
    return {
      ...base,
      takenAt: new Date(this.now()).toISOString(),
      objects,
      lastChanged: {...this.lastChanged},
      ...(signals ? {signals} : {}),
      ...(status ? {metricsStatus: status, sources: [...base.sources.filter((s) => s.source !== 'metrics'), status]} : {}),
    };
  }

  private async publish(raw: RawCollection): Promise<void> {
    const snapshot = buildSnapshot(raw);
    this.snapshot = snapshot;
    this.inventory = await inventoryOf(snapshot, this.options.settings.selector);
    this.dispatch({type: 'snapshot', snapshot, inventory: this.inventory, at: this.now()});
  }

  // ---- watches ------------------------------------------------------------------------------

  /** One stream per collected kind (per namespace with -n); streams already running go on (src/tui/watches.ts). */
  private startWatches(): void {
    if (!this.base || this.stopped) return;
    this.watchSet ??= new WatchSet({
      source: this.source!,
      onEvent: (key, event) => this.applyEvent(key, event),
      onList: (key, namespace, items) => this.applyList(key, namespace, items),
      onState: (detail) => this.dispatch({type: 'source-degraded', source: 'kubernetes', ...(detail ? {detail} : {})}),
      // Real time, whatever clock the engine shows (back-off and rate limits run on real timers).
      later: (ms, fn) => this.later(ms, fn),
      ...(this.options.watchPollMs ? {pollMs: this.options.watchPollMs} : {}),
    });
    const specs: StreamSpec[] = [];
    for (const key of this.plan!.kinds) {
      const version = this.served?.get(key);
      if (!version || this.base.availability[key]?.state !== 'ok') continue;
      const type = resourceType(key);
      const namespaces = type.namespaced && this.scope.mode === 'namespaces' ? this.scope.namespaces : [undefined];
      for (const namespace of namespaces) specs.push({key, version, ...(namespace !== undefined ? {namespace} : {})});
    }
    this.watchSet.ensure(specs);
  }

  private applyEvent(key: ResourceKey, event: WatchEvent): void {
    const {object: whole, lastChanged} = cleanObject(event.object);
    // The store holds what checks and views read, as the collection does (src/snapshot/project.ts).
    const object = keptObject(key, whole, 'checks');
    const map = this.cache.get(key) ?? new Map<string, KubeObject>();
    this.cache.set(key, map);
    const id = idOf(object);
    const prev = map.get(id);
    if (event.type === 'DELETED') {
      if (!prev) return;
      map.delete(id);
    } else {
      if (prev && prev.metadata.resourceVersion && prev.metadata.resourceVersion === object.metadata.resourceVersion) return;
      map.set(id, object);
      if (lastChanged) this.lastChanged[subjectKey(subjectOf(object))] = lastChanged;
    }
    this.objectsChanged();
  }

  private applyList(key: ResourceKey, namespace: string | undefined, items: readonly KubeObject[]): void {
    const map = this.cache.get(key) ?? new Map<string, KubeObject>();
    if (namespace === undefined) map.clear();
    else for (const [id, o] of map) if (o.metadata.namespace === namespace) map.delete(id);
    for (const raw of items) {
      const {object, lastChanged} = cleanObject(raw);
      map.set(idOf(object), keptObject(key, object, 'checks'));
      if (lastChanged) this.lastChanged[subjectKey(subjectOf(object))] = lastChanged;
    }
    this.cache.set(key, map);
    this.objectsChanged();
  }

  private objectsChanged(): void {
    if (this.checksDebounce) clearTimeout(this.checksDebounce);
    this.checksDebounce = setTimeout(() => {
      this.checksDebounce = undefined;
      if (this.stopped || !this.base) return;
      void this.publish(this.current()).then(() => this.scheduleChecks(0));
    }, CHECKS_DEBOUNCE_MS);
  }

  // ---- control-plane facts -----------------------------------------------------------------

  private async refreshFacts(): Promise<void> {
    if (!this.controlPlane || !this.base || !this.snapshot || this.plan!.facts.size === 0) return;
    try {
      const r = await this.controlPlane({snapshot: this.snapshot, plan: this.plan!});
      if (this.stopped) return;
      this.base = {...this.base, facts: r.facts, sources: [...this.base.sources.filter((s) => s.source !== 'control-plane'), r.status]};
      this.factsStatus(this.base);
      this.failures.facts = 0;
      this.scheduleChecks(0);
      this.later(FACTS_EVERY_MS, () => void this.refreshFacts());
    } catch (error) {
      this.failures.facts++;
      const wait = backoffMs(FACTS_EVERY_MS / 4, this.failures.facts);
      this.dispatch({type: 'source-failed', source: 'control-plane', at: this.now(), reason: oneLine(error), retryAt: this.now() + wait});
      this.later(wait, () => void this.refreshFacts());
    }
  }

  // ---- metrics ------------------------------------------------------------------------------

  private async getFeed(): Promise<MetricsFeed> {
    if (this.feed) return this.feed;
    const [{MetricsFeed}, {createKubeHttp}] = await Promise.all([import('../sources/metrics/live-feed.js'), import('../sources/metrics/kube-http.js')]);
    const {cluster} = this.options.settings;
    this.feed ??= new MetricsFeed({
      settings: {...this.options.settings.metrics, signal: this.abort.signal},
      wanted: this.wanted,
      kube: () => this.kubeHttp(createKubeHttp),
      portForward: () => import('../sources/kube/port-forward.js').then((m) => m.createPortForwardClient({...cluster, signal: this.abort.signal})),
      ...(this.options.at ? {at: this.options.at} : {}),
      ...(this.meshOverride ? {meshes: [this.meshOverride]} : {}),
      ...(this.options.now ? {now: this.options.now} : {}),
      onFirstRead: () => this.idleResolve(),
    });
    return this.feed;
  }

  private metricsTimer: ReturnType<typeof setTimeout> | undefined;

  /** The one metrics loop: a new schedule replaces the pending one. */
  private kubeHttp(create?: typeof import('../sources/metrics/kube-http.js').createKubeHttp): Promise<KubeHttp> {
    const {cluster} = this.options.settings;
    this.http ??= (create ? Promise.resolve(create) : import('../sources/metrics/kube-http.js').then((m) => m.createKubeHttp)).then((c) => c({...cluster, signal: this.abort.signal}));
    return this.http;
  }

  private scheduleMetrics(ms: number): void {
    if (this.metricsTimer) {
      clearTimeout(this.metricsTimer);
      this.timers.delete(this.metricsTimer);
    }
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.metricsTimer = undefined;
      if (!this.stopped) void this.refreshMetrics();
    }, ms);
    this.metricsTimer = timer;
    this.timers.add(timer);
  }

  /** One metrics refresh; concurrent callers share it. */
  refreshMetrics(): Promise<void> {
    if (this.metricsBusy) {
      this.metricsAgain = true;
      return this.metricsBusy;
    }
    this.metricsBusy = this.metricsOnce().finally(() => {
      this.metricsBusy = undefined;
      if (this.metricsAgain && !this.stopped) {
        this.metricsAgain = false;
        void this.refreshMetrics();
      }
    });
    return this.metricsBusy;
  }

  private async metricsOnce(): Promise<void> {
    if (!this.snapshot) return;
    let ok = false;
    try {
      const feed = await this.getFeed();
      const wantHistory = feed.source !== 'proxies' && this.now() - this.lastHistory >= HISTORY_EVERY_MS;
      const update = await feed.refresh(clusterViewOf(this.snapshot), {history: wantHistory});
      if (this.stopped) return;
      if (update.signals) {
        ok = true;
        this.failures.metrics = 0;
        const first = !this.signals;
        this.signals = update.signals;
        this.metricsStatus = update.status;
        this.dispatch({type: 'metrics', signals: update.signals, source: update.source ?? (update.signals.source === 'prometheus' ? 'prometheus' : 'proxies'), at: this.options.at?.getTime() ?? this.now(), ...(update.status.detail ? {detail: update.status.detail} : {})});
        this.dispatch({type: 'source-ok', source: 'metrics', at: this.now(), ...(update.status.detail ? {detail: update.status.detail} : {})});
        if (update.history) {
          this.lastHistory = this.now();
          await this.dispatchHistory(update.history);
          if (this.stopped) return;
        }
        const warmedUp = update.signals.source !== 'proxies' || update.signals.windowSeconds >= CHECK_WARMUP_SECONDS;
        const justWarm = warmedUp && !this.warm;
        this.warm = warmedUp;
        if (this.base && (first || justWarm || this.now() - this.lastChecks >= CHECKS_ON_METRICS_MS)) this.scheduleChecks(0);
      } else {
        this.failMetrics(update.error ?? update.status.detail ?? 'no metrics');
      }
    } catch (error) {
      this.failMetrics(oneLine(error));
    }
    if (this.stopped) return;
    this.startFullCollect();
    // Frozen in the past: one good answer is all there is to get.
    if (ok && this.options.at) return;
    const wait = ok ? this.options.refreshSeconds * 1000 : backoffMs(this.options.refreshSeconds * 1000, this.failures.metrics);
    this.scheduleMetrics(wait);
  }

  /**
   * A history load folded into the state a few steps at a time, yielding in between: each step is
   * the golden metrics of every workload, and 60 steps of 2,000 workloads at once would hold the
   * keyboard and the screen for the better part of a second.
   */
  private async dispatchHistory(load: HistoryLoad): Promise<void> {
    for (let i = 0; i < Math.max(1, load.sets.length); i += HISTORY_STEPS_PER_DISPATCH) {
      const sets = load.sets.slice(i, i + HISTORY_STEPS_PER_DISPATCH);
      const last = i + HISTORY_STEPS_PER_DISPATCH >= load.sets.length;
      const from = i === 0 ? load.from : Date.parse(sets[0].at);
      const to = last ? load.to : Date.parse(sets[sets.length - 1].at);
      this.dispatch({type: 'history', from, to, sets});
      if (!last) await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.stopped) return;
    }
  }

  private failMetrics(reason: string): void {
    this.failures.metrics++;
    const wait = backoffMs(this.options.refreshSeconds * 1000, this.failures.metrics);
    this.dispatch({type: 'source-failed', source: 'metrics', at: this.now(), reason, retryAt: this.now() + wait});
  }

  // ---- checks -------------------------------------------------------------------------------

  private runOptions(): Parameters<typeof runCheck>[2] {
    const {config, options} = this.options.settings;
    return {
      now: new Date(this.now()),
      options,
      severityOverrides: severityOverrides(this.checks ?? [], config.overrides, config.file),
      suppressions: config.suppress,
    };
  }

  scheduleChecks(ms: number): void {
    this.later(ms, () => void this.runAllChecks());
  }

  /** Run the catalog over the current data, yielding to the event loop between checks. */
  private async runAllChecks(): Promise<void> {
    if (!this.checks || !this.base) return;
    if (this.checksBusy) {
      this.checksAgain = true;
      return;
    }
    this.checksBusy = true;
    this.dispatch({type: 'checks-started'});
    try {
      const snapshot = buildSnapshot(this.current());
      const gen = runChecks(this.checks, snapshot, this.runOptions());
      let slice = performance.now();
      let step = gen.next();
      while (!step.done) {
        if (this.stopped) return;
        if (performance.now() - slice > 12) {
          await new Promise((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
        step = gen.next();
      }
      this.lastChecks = this.now();
      const selector = this.options.settings.selector;
      const results = selector ? selectResults(step.value, (s) => subjectSelected(snapshot, selector, s)) : step.value;
      this.dispatch({type: 'checks-done', results, at: this.now()});
      this.dispatch({type: 'source-ok', source: 'checks', at: this.now(), detail: `${step.value.length} checks`});
    } catch (error) {
      this.dispatch({type: 'source-failed', source: 'checks', at: this.now(), reason: oneLine(error)});
    } finally {
      this.checksBusy = false;
      if (this.checksAgain && !this.stopped) {
        this.checksAgain = false;
        this.scheduleChecks(0);
      }
    }
  }

  /** `R`: metrics now, checks after them. */
  refreshNow(): void {
    void this.refreshMetrics().then(() => this.scheduleChecks(0));
  }

  // ---- LiveProbe (verify steps) --------------------------------------------------------------

  async runCheck(checkId: string): Promise<CheckResult> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.ready, new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the cluster has not been read yet (see the status line)')), 20_000);
    })]).finally(() => clearTimeout(timer));
    const check = this.checks!.find((c) => c.id === checkId);
    if (!check) throw new Error(`unknown check ${checkId}`);
    if (check.inputs.signals?.length || check.inputs.anyOf?.some((a) => a.signals?.length)) await this.warmMetrics();
    if (check.inputs.facts?.length) await this.refreshFactsOnce();
    return runCheck(check, buildSnapshot(this.current()), this.runOptions(), this.checks!);
  }

  /** Fresh metrics with enough behind them for a check to judge (proxy scrapes: the warm-up window). */
  private async warmMetrics(): Promise<void> {
    const deadline = this.now() + (CHECK_WARMUP_SECONDS + 5) * 1000;
    await this.refreshMetrics();
    while (!this.stopped && this.signals?.source === 'proxies' && this.signals.windowSeconds < CHECK_WARMUP_SECONDS && this.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await this.refreshMetrics();
    }
  }

  private async refreshFactsOnce(): Promise<void> {
    if (!this.controlPlane || !this.base || !this.snapshot) return;
    const r = await this.controlPlane({snapshot: this.snapshot, plan: this.plan!});
    this.base = {...this.base, facts: r.facts, sources: [...this.base.sources.filter((s) => s.source !== 'control-plane'), r.status]};
  }

  async metrics(namespace: string, workload: string): Promise<{golden?: GoldenMetrics; windowSeconds: number; error?: string}> {
    await this.refreshMetrics();
    if (!this.signals) return {windowSeconds: 0, error: 'no metrics (the metrics source is not answering)'};
    const golden = goldenMetrics(this.signals, this.inventory.length ? this.inventory : undefined).find((g) => g.namespace === namespace && g.workload === workload);
    return {...(golden ? {golden} : {}), windowSeconds: this.signals.windowSeconds};
  }

  async promql(expr: string): Promise<number[]> {
    const feed = await this.getFeed();
    if (!feed.source) await this.refreshMetrics();
    if (feed.source !== 'prometheus' || !feed.client) throw new NeedsPrometheus();
    const samples = await feed.client.instant(expr, this.options.at ?? new Date(this.now()));
    return samples.map((s) => s.value);
  }

  thresholds(namespace: string, name: string): Thresholds {
    return thresholdsFor(this.options.settings.options, namespace, name);
  }

  nowMs(): number {
    return this.now();
  }
}

