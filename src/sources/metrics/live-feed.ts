/**
 * Golden-metric signals refreshed again and again (the TUI), from one source chosen on the first
 * refresh: Prometheus (one client reused across refreshes; history from the same queries as range
 * queries, derived step by step exactly as the current figures are, loaded once for the whole span
 * and then only for the steps since) or, when there is none and `--metrics-source auto`, the proxies
 * themselves. The proxy source keeps its own rolling history of scrapes: each refresh reads every
 * proxy once and rates are the counter deltas against the oldest scrape still inside the window —
 * so there is no 5 s wait per refresh, only a short one before the very first data. A refresh
 * never throws: a failure is a status with a one-line reason, and the last good data stays usable.
 */
import type {Pod} from '../../core/kube-types/index.js';
import type {SignalName, SignalSet} from '../../core/signals.js';
import {GOLDEN_SIGNALS} from '../../core/signals.js';
import type {MeshName, SourceStatus} from '../../core/types.js';
import {proxyMeshes} from '../../mesh/markers.js';
import type {PodHttpClient} from '../kube/port-forward.js';
import {mapLimit} from '../concurrency.js';
import {collectSignals, collectSignalSeries, MESH_METRICS, prometheusBackend, promDuration, proxyBackend} from './collect-signals.js';
import type {ScrapePair, PodScrape} from './evaluate.js';
import {parseExposition} from './exposition.js';
import type {ClusterView, GatherOptions} from './gather.js';
import {gatherSignals} from './gather.js';
import type {KubeHttp} from './kube-http.js';
import type {PrometheusClient} from './prometheus.js';
import {PrometheusError} from './prometheus.js';
import type {PodMetricsReader, ScrapeTarget} from './proxies.js';
import {apiServerPodReader, PodReadError, portForwardPodReader, scrapeTargets} from './proxies.js';

export type FeedSettings = Omit<GatherOptions, 'wanted' | 'cluster' | 'kube' | 'at' | 'client' | 'portForward'>;

export type FeedOptions = Readonly<{
  settings: FeedSettings;
  wanted: ReadonlySet<SignalName>;
  kube: () => Promise<KubeHttp>;
  portForward?: () => Promise<PodHttpClient>;
  /** Frozen at this instant (`--at`): Prometheus only. */
  at?: Date;
  /** Meshes to ask for (default: the cluster's). */
  meshes?: readonly MeshName[];
  /** Delay between the first two proxy scrapes (the first data); default 300 ms — enough for Ink to load meanwhile. */
  firstSampleMs?: number;
  /** History from Prometheus (charts, sparklines): minutes and step. */
  historyMinutes?: number;
  historyStepSeconds?: number;
  /** Called once, after the first read of the proxies (the wait before the second is idle time). */
  onFirstRead?: () => void;
  /** Readers tried after the pod proxy and port-forward (tests). */
  extraReaders?: readonly PodMetricsReader[];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}>;

/**
 * Golden signals at each step of [from, to] (ms), oldest first: the steps Prometheus had data for.
 * A later load covers only the steps after the previous one.
 */
export type HistoryLoad = Readonly<{from: number; to: number; stepSeconds: number; sets: readonly SignalSet[]}>;

/** What a point of history is computed from: the golden signals a workload's success rate, RPS and p99 depend on. */
export const HISTORY_SIGNALS: readonly SignalName[] = GOLDEN_SIGNALS.filter((s) => s !== 'plaintext' && s !== 'tcp');

export type FeedUpdate = Readonly<{
  signals?: SignalSet;
  status: SourceStatus;
  source?: 'prometheus' | 'proxies';
  /** Loaded when asked for (Prometheus only). */
  history?: HistoryLoad;
  /** One line: why this refresh has no data. */
  error?: string;
  /** Prometheus queries this refresh sent. */
  queries?: number;
}>;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class MetricsFeed {
  private mode: 'prometheus' | 'proxies' | undefined;
  private promClient: PrometheusClient | undefined;
  private prometheusNote: string | undefined;
  /** What happened to Prometheus when `auto` fell back to the proxies (MD1003 reports it). */
  private prometheusOrigin: NonNullable<SignalSet['origin']>['prometheus'];
  /** Per pod (`ns/pod`), its recent scrapes, oldest first. */
  private readonly scrapes = new Map<string, PodScrape[]>();
  private readers: PodMetricsReader[] | undefined;
  /** The last history step loaded (ms): later loads start after it. */
  private historyThrough: number | undefined;

  constructor(private readonly options: FeedOptions) {}

  get source(): 'prometheus' | 'proxies' | undefined {
    return this.mode;
  }

  /** The Prometheus client, once Prometheus answered (promql verify steps use it). */
  get client(): PrometheusClient | undefined {
    return this.promClient;
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  private status(state: SourceStatus['state'], detail: string): SourceStatus {
    return {source: 'metrics', state, detail, at: new Date(this.now()).toISOString()};
  }

  private meshes(cluster: ClusterView): MeshName[] {
    return [...(this.options.meshes ?? cluster.meshes.map((m) => m.name))];
  }

  /** Prometheus must be used: asked for explicitly, by URL, or because the view is frozen in the past. */
  private prometheusRequired(): boolean {
    return this.options.settings.source === 'prometheus' || this.options.settings.prometheusUrl !== undefined || this.options.at !== undefined;
  }

  async refresh(cluster: ClusterView, opts: Readonly<{history?: boolean}> = {}): Promise<FeedUpdate> {
    if (this.mode === undefined) return this.firstRefresh(cluster, opts);
    if (this.mode === 'prometheus') return this.fromPrometheus(cluster, opts);
    return this.fromProxies(cluster);
  }

  private async firstRefresh(cluster: ClusterView, opts: Readonly<{history?: boolean}>): Promise<FeedUpdate> {
    if (this.options.settings.source === 'proxies') {
      this.mode = 'proxies';
      return this.fromProxies(cluster);
    }
    const result = await gatherSignals({
      ...this.options.settings,
      source: 'prometheus',
      wanted: this.options.wanted,
      cluster,
      kube: this.options.kube,
      ...(this.options.at ? {at: this.options.at} : {}),
      ...(this.options.meshes ? {meshes: this.options.meshes} : {}),
      ...(this.options.now ? {now: this.options.now} : {}),
    });
    if (result.signals && result.client) {
      this.mode = 'prometheus';
      this.promClient = result.client;
      const history = opts.history ? await this.history(cluster).catch(() => undefined) : undefined;
      return {signals: result.signals, status: result.status, source: 'prometheus', ...(history ? {history} : {}), ...(result.queries !== undefined ? {queries: result.queries} : {})};
    }
    const reason = result.prometheusError?.message ?? result.status.detail ?? 'Prometheus unavailable';
    if (this.prometheusRequired()) return {status: this.status('unavailable', reason), error: reason};
    // auto: no Prometheus in reach — read the proxies from now on.
    this.mode = 'proxies';
    this.prometheusNote = reason;
    const notFound = /no Prometheus found|no --prometheus-url/.test(result.status.detail ?? '');
    this.prometheusOrigin = {state: notFound ? 'not-found' : 'unavailable', detail: reason};
    return this.fromProxies(cluster);
  }

  private async history(cluster: ClusterView): Promise<HistoryLoad | undefined> {
    const client = this.promClient;
    if (!client) return undefined;
    const s = this.options.settings;
    const stepSeconds = this.options.historyStepSeconds ?? 15;
    const stepMs = stepSeconds * 1000;
    const end = this.options.at?.getTime() ?? this.now();
    const earliest = end - (this.options.historyMinutes ?? 15) * 60_000;
    // Frozen: the steps end exactly at --at. Live: steps on a fixed grid, so later loads line up.
    let from = this.options.at ? earliest : Math.ceil(earliest / stepMs) * stepMs;
    if (this.historyThrough !== undefined && this.historyThrough >= from) from = this.historyThrough + stepMs;
    if (from > end) return {from, to: end, stepSeconds, sets: []};
    const to = from + Math.floor((end - from) / stepMs) * stepMs;
    const window = promDuration(s.windowSeconds);
    const windows = {window, noTraffic: promDuration(s.noTrafficSeconds), double: promDuration(s.windowSeconds * 2)};
    const {sets} = await collectSignalSeries(prometheusBackend(client, new Date(to), windows), {
      meshes: this.meshes(cluster), wanted: new Set(HISTORY_SIGNALS), start: new Date(from), end: new Date(to), stepSeconds, window, windowSeconds: s.windowSeconds, edgeLatency: false,
    });
    this.historyThrough = to;
    return {from, to, stepSeconds, sets};
  }

  private async fromPrometheus(cluster: ClusterView, opts: Readonly<{history?: boolean}>): Promise<FeedUpdate> {
    const client = this.promClient;
    if (!client) {
      this.mode = undefined;
      return this.firstRefresh(cluster, opts);
    }
    const s = this.options.settings;
    const at = this.options.at ?? new Date(this.now());
    const window = promDuration(s.windowSeconds);
    try {
      const before = client.queriesSent;
      const collected = await collectSignals(prometheusBackend(client, at, {window, noTraffic: promDuration(s.noTrafficSeconds), double: promDuration(s.windowSeconds * 2)}), {
        meshes: this.meshes(cluster), wanted: this.options.wanted, at, window, windowSeconds: s.windowSeconds,
      });
      const history = opts.history ? await this.history(cluster) : undefined;
      const signals: SignalSet = {...collected.set, origin: {prometheus: {state: 'ok', url: client.target.description}}};
      return {
        signals, status: this.status('ok', `prometheus: ${client.target.description}`), source: 'prometheus',
        ...(history ? {history} : {}), queries: client.queriesSent - before,
      };
    } catch (error) {
      if (!(error instanceof PrometheusError)) throw error;
      return {status: this.status('unavailable', error.message), error: error.message, source: 'prometheus'};
    }
  }

  private readersFor(): PodMetricsReader[] {
    if (!this.readers) {
      const kube = this.options.kube;
      let http: Promise<KubeHttp> | undefined;
      const lazyHttp: KubeHttp = {get: (path, o) => (http ??= kube()).then((h) => h.get(path, o))} as KubeHttp;
      this.readers = [apiServerPodReader(lazyHttp), ...(this.options.portForward ? [portForwardPodReader(this.options.portForward)] : []), ...(this.options.extraReaders ?? [])];
    }
    return this.readers;
  }

  /**
   * One read of every target. With `after`, a pod is read no earlier than `after(key)` (the second
   * of the first two reads waits per pod, not for the slowest pod of the first round).
   */
  private async readAll(targets: readonly ScrapeTarget[], timeoutMs: number, after?: (key: string) => number | undefined): Promise<{scraped: Map<string, PodScrape>; failed: {pod: string; reason: string}[]}> {
    const readers = this.readersFor();
    const sleep = this.options.sleep ?? defaultSleep;
    const scraped = new Map<string, PodScrape>();
    const failed: {pod: string; reason: string}[] = [];
    await mapLimit(targets, 8, async (t) => {
      const key = `${t.namespace}/${t.pod}`;
      const notBefore = after?.(key);
      if (notBefore !== undefined && notBefore > this.now()) await sleep(notBefore - this.now());
      let lastError = '';
      for (const reader of readers) {
        try {
          const text = await reader.read(t, timeoutMs);
          const at = this.now();
          scraped.set(key, {key, at, samples: parseExposition(text).map((s) => ({name: s.name, labels: {...s.labels, ...t.labels}, value: s.value}))});
          return;
        } catch (error) {
          lastError = `${reader.name}: ${(error as Error).message}`;
          if (!(error instanceof PodReadError && error.unreachable)) break;
        }
      }
      failed.push({pod: key, reason: lastError});
    });
    return {scraped, failed};
  }

  private async fromProxies(cluster: ClusterView): Promise<FeedUpdate> {
    const s = this.options.settings;
    const meshes = this.meshes(cluster);
    const cap = s.maxPods ?? 200;
    const all = scrapeTargets(cluster.pods as readonly Pod[], meshes.map((m) => MESH_METRICS[m]), (pod) => proxyMeshes(pod).find((m) => meshes.includes(m)), (pod) => cluster.ownerOf(pod), (ns) => cluster.includes(ns));
    const targets = all.slice(0, cap);
    const note = this.prometheusNote ? ` (Prometheus: ${this.prometheusNote})` : '';
    if (targets.length === 0) {
      const detail = `no running meshed pods to scrape${note}`;
      return {status: this.status('unavailable', detail), error: 'no running meshed pods to scrape', source: 'proxies'};
    }
    const timeoutMs = Math.min(s.timeoutMs, 5000);
    const wanted = new Set(targets.map((t) => `${t.namespace}/${t.pod}`));
    for (const key of [...this.scrapes.keys()]) if (!wanted.has(key)) this.scrapes.delete(key);
    let {scraped, failed} = await this.readAll(targets, timeoutMs);
    if (scraped.size > 0 && [...scraped.keys()].every((k) => !this.scrapes.has(k))) {
      // The very first data: each pod read again `firstSampleMs` after its first read.
      const first = new Map(scraped);
      for (const [key, scrape] of scraped) this.scrapes.set(key, [scrape]);
      this.options.onFirstRead?.();
      const gap = this.options.firstSampleMs ?? 300;
      const unreadable = failed;
      ({scraped, failed} = await this.readAll(targets.filter((t) => first.has(`${t.namespace}/${t.pod}`)), timeoutMs, (key) => (first.get(key)?.at ?? 0) + gap));
      failed = [...unreadable, ...failed];
    }
    const windowMs = s.windowSeconds * 1000;
    const pairs: ScrapePair[] = [];
    let span = 0;
    for (const [key, current] of scraped) {
      const kept = (this.scrapes.get(key) ?? []).filter((p) => p.at < current.at && current.at - p.at <= windowMs);
      const baseline = kept[0];
      if (baseline) {
        pairs.push({first: baseline, second: current});
        span = Math.max(span, current.at - baseline.at);
      }
      this.scrapes.set(key, [...kept, current]);
    }
    if (pairs.length === 0) {
      const reason = failed.length ? `could not read any proxy (${failed.slice(0, 3).map((f) => `${f.pod}: ${f.reason}`).join('; ')})` : 'waiting for a second scrape';
      return {status: this.status('unavailable', `${reason}${note}`), error: reason, source: 'proxies'};
    }
    const windowSeconds = Math.max(0.001, span / 1000);
    const at = new Date(this.now());
    const collected = await collectSignals(proxyBackend(pairs, windowSeconds), {
      meshes, wanted: this.options.wanted, at, window: `${promDuration(windowSeconds)} (rolling proxy scrapes)`, windowSeconds,
      unavailable: {noTraffic: 'the proxy scrape has no history (needs Prometheus for a 15m window)'},
    });
    const warnings: string[] = [];
    if (failed.length) warnings.push(`could not read ${failed.length} pod(s): ${failed.slice(0, 5).map((f) => `${f.pod} (${f.reason})`).join(', ')}${failed.length > 5 ? ', …' : ''}`);
    if (all.length > cap) warnings.push(`${all.length - cap} pod(s) not scraped (cap of ${cap} pods per refresh)`);
    const origin = {scraped: pairs.length, failed: failed.length, ...(failed.length ? {failedPods: failed.slice(0, 10).map((f) => f.pod)} : {}), ...(all.length > cap ? {skipped: all.length - cap} : {})};
    const signals: SignalSet = {...collected.set, origin: {...(this.prometheusOrigin ? {prometheus: this.prometheusOrigin} : {}), proxies: origin}, ...(warnings.length ? {warnings} : {})};
    const detail = `proxies: ${pairs.length} pod(s) scraped${failed.length ? `, ${failed.length} unreadable` : ''}${note}`;
    return {signals, status: this.status(failed.length ? 'partial' : 'ok', detail), source: 'proxies'};
  }
}
