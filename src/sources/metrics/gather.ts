/**
 * Choosing and running a metrics source for one refresh: Prometheus (`--prometheus-url`, config
 * `prometheus.url`, or the mesh's in-cluster Prometheus through the API server's service proxy),
 * else — with `--metrics-source auto` — the proxies themselves. An explicitly configured Prometheus
 * that fails is reported, not silently replaced: `check` then skips metric checks, `stat` exits 3.
 */
import type {Pod} from '../../core/kube-types/index.js';
import {redactUserinfo} from '../../core/sanitize.js';
import type {MetricsOrigin, SignalName, SignalSet} from '../../core/signals.js';
import type {MeshName, SourceStatus, Subject} from '../../core/types.js';
import {proxyMeshes} from '../../mesh/markers.js';
import type {CollectedSignals} from './collect-signals.js';
import {collectSignals, MESH_METRICS, prometheusBackend, promDuration, proxyBackend} from './collect-signals.js';
import type {DiscoveryInput} from './discover.js';
import {discoverPrometheus} from './discover.js';
import type {KubeHttp} from './kube-http.js';
import type {PrometheusClient, PrometheusTarget} from './prometheus.js';
import {createPrometheusClient, PrometheusError} from './prometheus.js';
import type {PodMetricsReader} from './proxies.js';
import {apiServerPodReader, portForwardPodReader, scrapeProxies, scrapeTargets} from './proxies.js';
import type {PodHttpClient} from '../kube/port-forward.js';

/** Environment variable holding a bearer token for Prometheus (Thanos/Mimir gateways, OAuth proxies). */
export const PROMETHEUS_TOKEN_ENV = 'MESHDOCTOR_PROMETHEUS_TOKEN';

export type MetricsSourceChoice = 'auto' | 'prometheus' | 'proxies';

/** What the cluster snapshot tells the metrics source (absent with --no-cluster). */
export type ClusterView = Readonly<{
  meshes: DiscoveryInput['meshes'];
  namespaces: DiscoveryInput['namespaces'];
  pods: readonly Pod[];
  ownerOf(pod: Pod): Subject;
  /** Namespaces whose pods are scraped (the run's scope). */
  includes(namespace: string): boolean;
}>;

/** What the flags and the config say about metrics (src/cli/settings.ts): the source-independent part of a gather request. */
export type MetricsSettings = Pick<GatherOptions, 'source' | 'prometheusUrl' | 'headers' | 'windowSeconds' | 'noTrafficSeconds' | 'timeoutMs' | 'sampleSeconds'>;

export type GatherOptions = Readonly<{
  source: MetricsSourceChoice;
  /** Explicit Prometheus (flag or config): no silent fallback when it fails. */
  prometheusUrl?: string;
  headers?: Readonly<Record<string, string>>;
  env?: NodeJS.ProcessEnv;
  /** The API server (service proxy, pod proxy); created on first use. */
  kube?: () => Promise<KubeHttp>;
  cluster?: ClusterView;
  /** Meshes to query; default the cluster's detected meshes, or all four (detected from the metric families) without a cluster. */
  meshes?: readonly MeshName[];
  wanted: ReadonlySet<SignalName>;
  /** Evaluation instant (Prometheus only; `--at`). */
  at?: Date;
  windowSeconds: number;
  noTrafficSeconds: number;
  timeoutMs: number;
  sampleSeconds: number;
  maxPods?: number;
  /** Port-forward (src/sources/kube/port-forward.ts): tried for pods the API server's pod proxy cannot reach. */
  portForward?: () => Promise<PodHttpClient>;
  /** Other readers tried after those (tests). */
  extraReaders?: readonly PodMetricsReader[];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Reuse a client across refreshes (the TUI); one is created otherwise. */
  client?: PrometheusClient;
  /** Aborts every request in flight (the TUI quitting). */
  signal?: AbortSignal;
}>;

export type GatherResult = Readonly<{
  signals?: SignalSet;
  status: SourceStatus;
  /** Set when Prometheus was the source asked for and it failed (stat exits 3 on it). */
  prometheusError?: PrometheusError;
  meshes: readonly MeshName[];
  client?: PrometheusClient;
  queries?: number;
}>;

function headersFor(options: GatherOptions): Record<string, string> {
  const headers: Record<string, string> = {...(options.headers ?? {})};
  const token = (options.env ?? process.env)[PROMETHEUS_TOKEN_ENV];
  if (token && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) headers.Authorization = `Bearer ${token.trim()}`;
  return headers;
}

async function resolveTarget(options: GatherOptions): Promise<{target?: PrometheusTarget; detail?: string; explicit: boolean}> {
  if (options.prometheusUrl) {
    try {
      const url = new URL(options.prometheusUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      return {explicit: true, detail: `--prometheus-url "${redactUserinfo(options.prometheusUrl)}" is not an http(s) URL`};
    }
    return {explicit: true, target: {url: options.prometheusUrl, description: redactUserinfo(options.prometheusUrl), headers: headersFor(options)}};
  }
  if (!options.cluster || !options.kube) return {explicit: false, detail: 'no --prometheus-url and no cluster to discover one in'};
  const http = await options.kube();
  const found = await discoverPrometheus(http, {meshes: options.cluster.meshes, namespaces: options.cluster.namespaces, pods: options.cluster.pods}, options.timeoutMs);
  if (!found.target) return {explicit: false, detail: `no Prometheus found (looked for ${found.tried.join(', ') || 'nothing: no mesh detected'})`};
  // Through the API server the kubeconfig's credentials authenticate; a Prometheus token must not be sent to it.
  const headers = Object.fromEntries(Object.entries(headersFor(options)).filter(([k]) => !found.target!.authorize || k.toLowerCase() !== 'authorization'));
  return {explicit: false, target: {...found.target, headers: {...headers, ...(found.target.headers ?? {})}}};
}

function meshesFor(options: GatherOptions): {meshes: MeshName[]; detect: boolean} {
  if (options.meshes?.length) return {meshes: [...options.meshes], detect: false};
  if (options.cluster) return {meshes: options.cluster.meshes.map((m) => m.name), detect: false};
  return {meshes: ['istio', 'linkerd', 'consul', 'osm'], detect: true};
}

async function fromPrometheus(options: GatherOptions, target: PrometheusTarget): Promise<{collected: CollectedSignals; client: PrometheusClient; warnings: string[]}> {
  const client = options.client ?? (await createPrometheusClient(target, {timeoutMs: options.timeoutMs, concurrency: 4, ...(options.signal ? {signal: options.signal} : {})}));
  const at = options.at ?? new Date(options.now ? options.now() : Date.now());
  const window = promDuration(options.windowSeconds);
  const windows = {window, noTraffic: promDuration(options.noTrafficSeconds), double: promDuration(options.windowSeconds * 2)};
  const {meshes, detect} = meshesFor(options);
  const collected = await collectSignals(prometheusBackend(client, at, windows), {meshes, wanted: options.wanted, at, window, windowSeconds: options.windowSeconds, detectFromProbe: detect});
  const warnings: string[] = [];
  const interval = await client.scrapeInterval();
  if (interval !== undefined && options.windowSeconds < 2 * interval) {
    warnings.push(`window ${window} is shorter than 2 × the Prometheus scrape interval (${promDuration(interval)}): rates may be missing or jumpy`);
  }
  return {collected, client, warnings};
}

async function fromProxies(options: GatherOptions): Promise<{set?: SignalSet; detail: string; origin: MetricsOrigin['proxies']; meshes: MeshName[]}> {
  const cluster = options.cluster;
  if (!cluster || !options.kube) return {detail: 'proxy scrape needs a cluster', origin: {scraped: 0, failed: 0}, meshes: []};
  const {meshes} = meshesFor(options);
  const knowledge = meshes.map((m) => MESH_METRICS[m]);
  const targets = scrapeTargets(cluster.pods, knowledge, (pod) => proxyMeshes(pod).find((m) => meshes.includes(m)), (pod) => cluster.ownerOf(pod), (ns) => cluster.includes(ns));
  if (targets.length === 0) return {detail: 'no running meshed pods to scrape', origin: {scraped: 0, failed: 0}, meshes};
  const http = await options.kube();
  const scrape = await scrapeProxies(targets, {
    sampleSeconds: options.sampleSeconds,
    timeoutMs: Math.min(options.timeoutMs, 5000),
    maxPods: options.maxPods,
    readers: [apiServerPodReader(http), ...(options.portForward ? [portForwardPodReader(options.portForward)] : []), ...(options.extraReaders ?? [])],
    ...(options.now ? {now: options.now} : {}),
    ...(options.sleep ? {sleep: options.sleep} : {}),
  });
  const failedPods = scrape.failed.map((f) => f.pod);
  const origin = {scraped: scrape.scraped, failed: scrape.failed.length, ...(failedPods.length ? {failedPods: failedPods.slice(0, 10)} : {}), ...(scrape.skipped ? {skipped: scrape.skipped} : {})};
  if (scrape.pairs.length === 0) {
    return {detail: `could not read any proxy (${scrape.failed.slice(0, 3).map((f) => `${f.pod}: ${f.reason}`).join('; ')})`, origin, meshes};
  }
  const window = `${promDuration(options.sampleSeconds)} (2 proxy scrapes ${promDuration(options.sampleSeconds)} apart)`;
  const at = new Date(options.now ? options.now() : Date.now());
  const collected = await collectSignals(proxyBackend(scrape.pairs, options.sampleSeconds), {
    meshes, wanted: options.wanted, at, window, windowSeconds: options.sampleSeconds,
    unavailable: {noTraffic: 'the proxy scrape has no history (needs Prometheus for a 15m window)'},
  });
  const warnings: string[] = [];
  if (scrape.failed.length) warnings.push(`could not read ${scrape.failed.length} pod(s): ${scrape.failed.slice(0, 5).map((f) => `${f.pod} (${f.reason})`).join(', ')}${scrape.failed.length > 5 ? ', …' : ''}`);
  if (scrape.skipped) warnings.push(`${scrape.skipped} pod(s) not scraped (cap of ${options.maxPods ?? 200} pods per refresh)`);
  const detail = `proxies: ${scrape.scraped} pod(s) scraped${scrape.failed.length ? `, ${scrape.failed.length} unreadable` : ''}`;
  return {set: {...collected.set, origin: {proxies: origin}, ...(warnings.length ? {warnings} : {})}, detail, origin, meshes: [...collected.meshes]};
}

/** One refresh of metric signals from the chosen source. Never throws for source failures: they are in the status. */
export async function gatherSignals(options: GatherOptions): Promise<GatherResult> {
  const at = new Date(options.now ? options.now() : Date.now()).toISOString();
  const status = (state: SourceStatus['state'], detail: string): SourceStatus => ({source: 'metrics', state, detail, at});
  let prometheus: MetricsOrigin['prometheus'];
  let prometheusError: PrometheusError | undefined;
  let explicit = false;
  if (options.source !== 'proxies') {
    let resolved: Awaited<ReturnType<typeof resolveTarget>>;
    try {
      resolved = await resolveTarget(options);
    } catch (error) {
      resolved = {explicit: false, detail: `Prometheus discovery failed: ${(error as Error).message}`};
    }
    explicit = resolved.explicit;
    if (resolved.target) {
      try {
        const {collected, client, warnings} = await fromPrometheus(options, resolved.target);
        const set: SignalSet = {...collected.set, origin: {prometheus: {state: 'ok', url: resolved.target.description}}, ...(warnings.length ? {warnings} : {})};
        // Run-level notes go with the source status (shown with the sources of a report), not into findings.
        const detail = [`prometheus: ${resolved.target.description}`, ...warnings].join('; ');
        return {signals: set, status: status('ok', detail), meshes: collected.meshes, client, queries: collected.queries};
      } catch (error) {
        if (!(error instanceof PrometheusError)) throw error;
        prometheusError = error;
        prometheus = {state: 'unavailable', detail: error.message, url: resolved.target.description};
      }
    } else {
      prometheus = {state: 'not-found', detail: resolved.detail};
      if (explicit) prometheusError = new PrometheusError('unreachable', resolved.detail ?? 'no Prometheus');
    }
    if (options.source === 'prometheus' || explicit) {
      return {status: status('unavailable', prometheus?.detail ?? 'Prometheus unavailable'), prometheusError: prometheusError ?? new PrometheusError('unreachable', prometheus?.detail ?? 'no Prometheus'), meshes: []};
    }
  }
  const proxies = await fromProxies(options);
  if (!proxies.set) {
    const why = [prometheus?.detail, proxies.detail].filter(Boolean).join('; ');
    return {status: status('unavailable', why), meshes: proxies.meshes, ...(prometheusError ? {prometheusError} : {})};
  }
  const set: SignalSet = {...proxies.set, origin: {...(prometheus ? {prometheus} : {}), proxies: proxies.origin}};
  const state = prometheus ? 'partial' : proxies.origin?.failed ? 'partial' : 'ok';
  const detail = [prometheus ? `${proxies.detail} (Prometheus: ${prometheus.detail})` : proxies.detail, ...(proxies.set.warnings ?? [])].join('; ');
  return {signals: set, status: status(state, detail), meshes: proxies.meshes};
}
