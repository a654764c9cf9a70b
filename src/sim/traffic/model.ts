/**
 * The traffic model: every counter and histogram an Istio or Linkerd proxy would expose for the
 * graph, per pod, at any simulated instant. A counter's value at t is the integral of its rate
 * from the pods' start (floored, as proxies count whole requests); rates follow the graph's
 * parameters and the faults active at each instant (linear ramps). Between fault breakpoints rates
 * are constant or linear, where the integral is exact (Simpson), so constant-rate scenarios give
 * exact, predictable counts: the simulator's parameters are the tests' ground truth.
 */
import type {MeshName} from '../../core/types.js';
import {ISTIO_DURATION_BUCKETS_MS} from '../../mesh/istio/metrics.js';
import {LINKERD_LATENCY_BUCKETS_MS} from '../../mesh/linkerd/metrics.js';
import type {EdgeSpec, FaultEffect, FlagMix, LatencySpec, TrafficGraph, WorkloadSpec} from './graph.js';
import {GraphError, offsetSeconds, validateGraph} from './graph.js';

/** The simulator's clock (epoch milliseconds); injectable so tests and demos never wait. */
export interface SimClock {
  now(): number;
}

export class ManualClock implements SimClock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const systemClock: SimClock = {now: () => Date.now()};

/** What an Envoy response flag means for the request: the code callers see, and whether a server pod saw it. */
export const FLAG_EFFECTS: Readonly<Record<string, {code: string; reachesServer: boolean}>> = {
  UH: {code: '503', reachesServer: false},
  UF: {code: '503', reachesServer: false},
  UO: {code: '503', reachesServer: false},
  URX: {code: '503', reachesServer: false},
  NR: {code: '404', reachesServer: false},
  FI: {code: '503', reachesServer: false},
  DPE: {code: '400', reachesServer: false},
  UT: {code: '504', reachesServer: true},
  DC: {code: '0', reachesServer: true},
  UC: {code: '503', reachesServer: true},
  UR: {code: '503', reachesServer: true},
  UPE: {code: '502', reachesServer: true},
  DI: {code: '200', reachesServer: true},
};

function flagEffect(flags: string): {code: string; reachesServer: boolean} {
  return FLAG_EFFECTS[flags.split(',')[0]] ?? {code: '503', reachesServer: false};
}

// ---- numbers ----------------------------------------------------------------------------------------

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf; |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Share of requests at most `le` ms under a latency spec. */
export function latencyCdf(spec: LatencySpec, le: number): number {
  if (le === Infinity) return 1;
  if ('cdf' in spec) {
    let prevLe = 0;
    let prevShare = 0;
    for (const [x, share] of spec.cdf) {
      if (le <= x) return x === prevLe ? share : prevShare + (share - prevShare) * ((le - prevLe) / (x - prevLe));
      prevLe = x;
      prevShare = share;
    }
    return prevShare;
  }
  if (le <= 0) return 0;
  const sigma = Math.max(1e-6, Math.log(spec.p99 / spec.p50) / 2.3263478740408408);
  return normalCdf((Math.log(le) - Math.log(spec.p50)) / sigma);
}

const cdfMemo = new WeakMap<LatencySpec, Map<number, number>>();

/** latencyCdf, remembered per spec and bucket bound: a first scrape integrates it at thousands of instants per bucket. */
function cdfAt(spec: LatencySpec, le: number): number {
  let byLe = cdfMemo.get(spec);
  if (!byLe) cdfMemo.set(spec, (byLe = new Map()));
  let v = byLe.get(le);
  if (v === undefined) byLe.set(le, (v = latencyCdf(spec, le)));
  return v;
}

const meanMemo = new WeakMap<LatencySpec, number>();

/** latencyMean, remembered per spec (a histogram's _sum integrates it like its buckets). */
function meanOf(spec: LatencySpec): number {
  let v = meanMemo.get(spec);
  if (v === undefined) meanMemo.set(spec, (v = latencyMean(spec)));
  return v;
}

/** Mean of a latency spec (for histogram _sum). */
function latencyMean(spec: LatencySpec): number {
  if ('cdf' in spec) {
    let mean = 0;
    let prevLe = 0;
    let prevShare = 0;
    for (const [x, share] of spec.cdf) {
      mean += (share - prevShare) * ((x + prevLe) / 2);
      prevLe = x;
      prevShare = share;
    }
    return mean;
  }
  const sigma = Math.log(spec.p99 / spec.p50) / 2.3263478740408408;
  return spec.p50 * Math.exp((sigma * sigma) / 2);
}

const DEFAULT_LATENCY: LatencySpec = {p50: 10, p99: 100};

// ---- normalised graph -------------------------------------------------------------------------------

export type SimPod = Readonly<{
  name: string;
  namespace: string;
  ip: string;
  workload: SimWorkload;
  index: number;
}>;

export type SimWorkload = Readonly<{
  spec: WorkloadSpec;
  key: string;
  namespace: string;
  name: string;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  mesh: MeshName | 'none';
  app: string;
  version: string;
  service: string | undefined;
  weight: number;
  replicaSet: string;
  templateHash: string;
  pods: readonly SimPod[];
}>;

/** One edge leaving a pod at an instant (`rps` is this pod's share). */
export type OutboundFlow = Readonly<{
  edge: string;
  to: string;
  namespace?: string;
  service?: string;
  special?: 'BlackHoleCluster' | 'PassthroughCluster';
  rps: number;
  flags: Readonly<Record<string, number>>;
  protocol: 'http' | 'tcp' | 'grpc';
  targets: readonly Readonly<{workload: SimWorkload; share: number}>[];
}>;

/** One edge into a pod at an instant: the requests that reach this pod per second. */
export type InboundFlow = Readonly<{edge: string; from?: SimWorkload; rps: number; mtls: boolean}>;

type SimEdge = Readonly<{spec: EdgeSpec; index: number; id: string; from?: SimWorkload; to: string; toNamespace?: string; toService?: string; special?: 'BlackHoleCluster' | 'PassthroughCluster'}>;

type ScheduledFault = Readonly<{at: number; ramp: number; until?: number; effect: FaultEffect; workload?: string; edge?: string}>;

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function hashText(text: string, length: number): string {
  let h = 2166136261;
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (const ch of `${text}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    let x = h;
    while (x > 0 && out.length < length) {
      out += ALPHABET[x % ALPHABET.length];
      x = Math.floor(x / ALPHABET.length);
    }
  }
  return out;
}

function normalise(graph: TrafficGraph): {workloads: SimWorkload[]; edges: SimEdge[]} {
  let ip = 0;
  const workloads = graph.workloads.map((spec): SimWorkload => {
    const app = spec.app ?? spec.name.replace(/-v\d+$/, '');
    const templateHash = hashText(`${spec.namespace}/${spec.name}`, 10);
    const replicaSet = `${spec.name}-${templateHash}`;
    const replicas = spec.replicas ?? 1;
    const kind = spec.kind ?? 'Deployment';
    const w: {-readonly [K in keyof SimWorkload]: SimWorkload[K]} = {
      spec, key: `${spec.namespace}/${spec.name}`, namespace: spec.namespace, name: spec.name, kind,
      mesh: spec.mesh ?? graph.mesh ?? 'istio', app, version: spec.version ?? 'v1',
      service: spec.service === false ? undefined : spec.service ?? app,
      weight: spec.weight ?? replicas, replicaSet, templateHash, pods: [],
    };
    w.pods = Array.from({length: replicas}, (_, i): SimPod => {
      ip++;
      const name = kind === 'StatefulSet' ? `${spec.name}-${i}` : `${replicaSet}-${hashText(`${spec.namespace}/${spec.name}/${i}`, 5)}`;
      return {name, namespace: spec.namespace, ip: `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`, workload: w as SimWorkload, index: i};
    });
    return w as SimWorkload;
  });
  const byKey = new Map(workloads.map((w) => [w.key, w]));
  const edges = graph.edges.map((spec, index): SimEdge => {
    const id = `${spec.from} -> ${spec.to}`;
    const from = spec.from === 'external' ? undefined : byKey.get(spec.from);
    if (spec.to === 'BlackHoleCluster' || spec.to === 'PassthroughCluster') return {spec, index, id, from, to: spec.to, special: spec.to};
    const [ns, svc] = spec.to.includes('/') ? spec.to.split('/') : [from?.namespace ?? 'default', spec.to];
    return {spec, index, id, from, to: spec.to, toNamespace: ns, toService: svc};
  });
  return {workloads, edges};
}

// ---- series -----------------------------------------------------------------------------------------

type Labels = Record<string, string>;

/** A counter: its rate (per second) at simulated second t; `lag` holds it that many counts behind another (connections closed). */
type CounterDef = Readonly<{kind: 'counter'; name: string; labels: Labels; rate: (t: number) => number; lag?: number}>;
type GaugeDef = Readonly<{kind: 'gauge'; name: string; labels: Labels; value: (t: number) => number}>;
type HistogramDef = Readonly<{kind: 'histogram'; name: string; labels: Labels; rate: (t: number) => number; cdf: (t: number, le: number) => number; mean: (t: number) => number; buckets: readonly number[]}>;
type SeriesDef = CounterDef | GaugeDef | HistogramDef;

/** One exposed sample line: family name, labels, value. */
export type SimSample = Readonly<{name: string; labels: Readonly<Labels>; value: number; type: 'counter' | 'gauge' | 'histogram'; family: string}>;

/**
 * Simpson steps across a segment where a fault ramps. Rates there are low-degree polynomials of t
 * (products of linear ramps), so few steps suffice: istio-shop's exposition is identical at 8, 32 and
 * 256 steps; 8 keeps a cold first scrape of its 18 pods at about 70 ms (it was 160 ms at 32).
 */
const SEGMENT_STEPS_RAMP = 8;
const EDGE_MEMO_MAX = 50_000;

/** An edge's parameters at an instant, faults applied (shared from a memo: read, never change). */
type EdgeState = Readonly<{rps: number; flags: Readonly<Record<string, number>>; mtls: boolean; denied: number; routeNotFound: number; timeouts: number}>;

export class TrafficSim {
  readonly graph: TrafficGraph;
  readonly clock: SimClock;
  /** Epoch ms at which the pods started and counters were 0. */
  readonly startMs: number;
  readonly workloads: readonly SimWorkload[];
  readonly pods: readonly SimPod[];
  private readonly edges: readonly SimEdge[];
  private readonly faults: readonly ScheduledFault[];
  private readonly breaks: readonly number[];
  private readonly series = new Map<string, SeriesDef[]>();
  private readonly cache = new Map<string, {t: number; value: number}>();
  /** The faults that apply to a workload and/or an edge (the fault list never changes). */
  private readonly faultLists = new Map<SimWorkload | null, Map<SimEdge | null, ScheduledFault[]>>();
  /**
   * Edge parameters by edge, target and instant: one scrape integrates hundreds of series of the
   * same edge over the same instants (a pod's first scrape integrates from the start of history).
   */
  private readonly edgeMemo = new Map<SimEdge, Map<SimWorkload | null, Map<number, EdgeState>>>();
  private edgeMemoSize = 0;

  constructor(graph: TrafficGraph, clock: SimClock = systemClock) {
    this.graph = validateGraph(graph);
    this.clock = clock;
    const start = graph.start ?? '-1h';
    const rel = /^[+-]/.test(start) ? start : undefined;
    if (rel) {
      const m = /^([+-])(.+)$/.exec(rel)!;
      const seconds = offsetSeconds(m[2], 0);
      this.startMs = clock.now() + (m[1] === '-' ? -seconds : seconds) * 1000;
    } else {
      const t = Date.parse(start);
      if (Number.isNaN(t)) throw new GraphError(`start: "${start}" is neither relative (-1h) nor RFC 3339`);
      this.startMs = t;
    }
    const {workloads, edges} = normalise(graph);
    this.workloads = workloads;
    this.edges = edges;
    this.pods = workloads.flatMap((w) => w.pods);
    this.faults = (graph.faults ?? []).map((f) => ({
      at: offsetSeconds(f.at, this.startMs),
      ramp: f.ramp === undefined ? 0 : offsetSeconds(f.ramp, 0),
      ...(f.until !== undefined ? {until: offsetSeconds(f.until, this.startMs)} : {}),
      effect: f.set,
      ...(f.workload ? {workload: f.workload} : {}),
      ...(f.edge ? {edge: f.edge} : {}),
    }));
    const breaks = new Set<number>([0]);
    for (const f of this.faults) {
      breaks.add(f.at).add(f.at + f.ramp);
      if (f.until !== undefined) breaks.add(f.until).add(f.until + f.ramp);
    }
    this.breaks = [...breaks].filter((b) => b >= 0).sort((a, b) => a - b);
    for (const pod of this.pods) this.series.set(`${pod.namespace}/${pod.name}`, []);
    this.build();
  }

  /** Simulated seconds since start for an epoch-ms instant. */
  seconds(atMs: number): number {
    return (atMs - this.startMs) / 1000;
  }

  // ---- parameters over time ---------------------------------------------------------------------

  /** 0 → 1 as a fault ramps in, back to 0 as it ramps out after `until`. */
  private weight(f: ScheduledFault, t: number): number {
    const ramp = (x: number) => (f.ramp > 0 ? Math.min(1, Math.max(0, x / f.ramp)) : x >= 0 ? 1 : 0);
    let k = ramp(t - f.at);
    if (f.until !== undefined) k = Math.min(k, 1 - ramp(t - f.until));
    return k;
  }

  private faultsFor(w: SimWorkload | undefined, e: SimEdge | undefined): ScheduledFault[] {
    let byEdge = this.faultLists.get(w ?? null);
    if (!byEdge) this.faultLists.set(w ?? null, (byEdge = new Map()));
    let list = byEdge.get(e ?? null);
    if (!list) byEdge.set(e ?? null, (list = this.faults.filter((f) => (w && f.workload === w.key) || (e && f.edge === e.id))));
    return list;
  }

  private errorRate(w: SimWorkload, t: number): number {
    let v = w.spec.errorRate ?? 0;
    for (const f of this.faultsFor(w, undefined)) if (f.effect.errorRate !== undefined) v += (f.effect.errorRate - v) * this.weight(f, t);
    return v;
  }

  private latency(w: SimWorkload, t: number, le: number): number {
    let v = cdfAt(w.spec.latencyMs ?? DEFAULT_LATENCY, le);
    for (const f of this.faultsFor(w, undefined)) if (f.effect.latencyMs) v += (cdfAt(f.effect.latencyMs, le) - v) * this.weight(f, t);
    return v;
  }

  private latencyMean(w: SimWorkload, t: number): number {
    let v = meanOf(w.spec.latencyMs ?? DEFAULT_LATENCY);
    for (const f of this.faultsFor(w, undefined)) if (f.effect.latencyMs) v += (meanOf(f.effect.latencyMs) - v) * this.weight(f, t);
    return v;
  }

  /** Effective edge parameters at t (faults on the edge, or on a workload behind its Service). */
  private edgeAt(e: SimEdge, t: number, target?: SimWorkload): EdgeState {
    let byTarget = this.edgeMemo.get(e);
    if (!byTarget) this.edgeMemo.set(e, (byTarget = new Map()));
    let byT = byTarget.get(target ?? null);
    if (!byT) byTarget.set(target ?? null, (byT = new Map()));
    let state = byT.get(t);
    if (state === undefined) {
      // Bounded: the instants of a few scrapes' worth of integration.
      if (this.edgeMemoSize >= EDGE_MEMO_MAX) {
        this.edgeMemo.clear();
        this.edgeMemoSize = 0;
      }
      byT.set(t, (state = this.edgeAtUncached(e, t, target)));
      this.edgeMemoSize++;
    }
    return state;
  }

  private edgeAtUncached(e: SimEdge, t: number, target?: SimWorkload): EdgeState {
    let rps = e.spec.rps;
    const flags: Record<string, number> = {...(e.spec.flags ?? {})};
    let mtls = e.spec.mtls ?? (e.from !== undefined && e.from.mesh !== 'none');
    let denied = e.spec.denied ?? 0;
    let routeNotFound = e.spec.routeNotFound ?? 0;
    let timeouts = e.spec.timeouts ?? 0;
    for (const f of this.faultsFor(target, e)) {
      const k = this.weight(f, t);
      if (k <= 0) continue;
      const x = f.effect;
      if (x.rpsFactor !== undefined) rps *= 1 + (x.rpsFactor - 1) * k;
      if (x.flags) for (const [flag, v] of Object.entries(x.flags)) flags[flag] = (flags[flag] ?? 0) + (v - (flags[flag] ?? 0)) * k;
      if (x.mtls !== undefined) mtls = x.mtls;
      if (x.denied !== undefined) denied += (x.denied - denied) * k;
      if (x.routeNotFound !== undefined) routeNotFound += (x.routeNotFound - routeNotFound) * k;
      if (x.timeouts !== undefined) timeouts += (x.timeouts - timeouts) * k;
    }
    return {rps, flags, mtls, denied, routeNotFound, timeouts};
  }

  /** Workloads behind an edge's Service with their share of its requests. */
  private targets(e: SimEdge): {w: SimWorkload; share: number}[] {
    if (!e.toService) return [];
    const backends = this.workloads.filter((w) => w.namespace === e.toNamespace && w.service === e.toService && w.pods.length > 0);
    const total = backends.reduce((s, w) => s + w.weight, 0);
    return total > 0 ? backends.map((w) => ({w, share: w.weight / total})) : [];
  }

  // ---- series construction ----------------------------------------------------------------------

  private add(pod: SimPod, def: SeriesDef): void {
    this.series.get(`${pod.namespace}/${pod.name}`)!.push(def);
  }

  private build(): void {
    for (const e of this.edges) {
      const mesh = e.from && e.from.mesh !== 'none' ? e.from.mesh : undefined;
      if (e.special) {
        if (mesh === 'istio') this.istioEgress(e);
        continue;
      }
      const targets = this.targets(e);
      const clientMesh = mesh ?? (targets[0]?.w.mesh !== 'none' ? targets[0]?.w.mesh : undefined);
      if (clientMesh === 'linkerd') this.linkerdEdge(e, targets);
      else if (clientMesh === 'istio' || targets.some((x) => x.w.mesh === 'istio')) this.istioEdge(e, targets);
    }
    for (const w of this.workloads) {
      for (const pod of w.pods) {
        if (w.mesh === 'istio') {
          this.add(pod, {kind: 'gauge', name: 'envoy_server_live', labels: {}, value: () => 1});
          this.add(pod, {kind: 'gauge', name: 'istio_build', labels: {component: 'proxy', tag: this.graph.versions?.istio ?? '1.27.1'}, value: () => 1});
        }
        if (w.mesh === 'linkerd') this.linkerdPod(pod);
      }
    }
  }

  private fqdn(ns: string, svc: string): string {
    return `${svc}.${ns}.svc.cluster.local`;
  }

  private istioEdge(e: SimEdge, targets: {w: SimWorkload; share: number}[]): void {
    const from = e.from;
    const src: Labels = from && from.mesh === 'istio'
      ? {source_workload: from.name, source_workload_namespace: from.namespace, source_app: from.app, source_version: from.version, source_principal: `spiffe://cluster.local/ns/${from.namespace}/sa/${from.app}`}
      : {source_workload: 'unknown', source_workload_namespace: 'unknown', source_app: 'unknown', source_version: 'unknown', source_principal: 'unknown'};
    const svcLabels: Labels = {destination_service: this.fqdn(e.toNamespace!, e.toService!), destination_service_name: e.toService!, destination_service_namespace: e.toNamespace!};
    const dstLabels = (w: SimWorkload | undefined): Labels => w
      ? {destination_workload: w.name, destination_workload_namespace: w.namespace, destination_app: w.app, destination_version: w.version, destination_principal: `spiffe://cluster.local/ns/${w.namespace}/sa/${w.app}`}
      : {destination_workload: 'unknown', destination_workload_namespace: 'unknown', destination_app: 'unknown', destination_version: 'unknown', destination_principal: 'unknown'};
    const tcp = (e.spec.protocol ?? (targets[0]?.w.spec.protocol === 'tcp' ? 'tcp' : 'http')) === 'tcp';
    const protocol = tcp ? 'tcp' : targets[0]?.w.spec.protocol === 'grpc' ? 'grpc' : 'http';
    const reach = (t: number) => {
      const p = this.edgeAt(e, t);
      let lost = 0;
      for (const [f, share] of Object.entries(p.flags)) if (!flagEffect(f).reachesServer) lost += share;
      return {p, reached: 1 - lost};
    };
    // Callers (reporter="source"), one per pod of the calling workload.
    if (from && from.mesh === 'istio' && from.pods.length > 0) {
      const perPod = 1 / from.pods.length;
      for (const pod of from.pods) {
        const base: Labels = {reporter: 'source', ...src, ...svcLabels, request_protocol: protocol, connection_security_policy: 'unknown'};
        if (tcp) {
          const cps = (t: number) => (e.spec.connectionsPerSecond ?? 1) * (this.edgeAt(e, t).rps / Math.max(e.spec.rps, 1e-9));
          for (const {w, share} of targets.length ? targets : [{w: undefined, share: 1}]) {
            const labels = {...base, ...dstLabels(w), response_flags: '-'};
            const open = Math.round(((e.spec.openConnections ?? from.pods.length) * share) * perPod);
            this.add(pod, {kind: 'counter', name: 'istio_tcp_connections_opened_total', labels, rate: (t) => cps(t) * share * perPod});
            this.add(pod, {kind: 'counter', name: 'istio_tcp_connections_closed_total', labels, rate: (t) => cps(t) * share * perPod * (1 - Object.values(this.edgeAt(e, t).flags).reduce((a, b) => a + b, 0)), lag: open});
          }
          for (const flag of Object.keys({...(e.spec.flags ?? {}), ...this.faultFlags(e, targets)})) {
            this.add(pod, {kind: 'counter', name: 'istio_tcp_connections_closed_total', labels: {...base, ...dstLabels(undefined), response_flags: flag}, rate: (t) => cps(t) * perPod * (this.edgeAt(e, t).flags[flag] ?? 0)});
          }
          continue;
        }
        for (const {w, share} of targets) {
          const labels = {...base, ...dstLabels(w)};
          this.add(pod, {kind: 'counter', name: 'istio_requests_total', labels: {...labels, response_code: '200', response_flags: '-'},
            rate: (t) => {
              const {p} = reach(t);
              const flagged = Object.values(p.flags).reduce((a, b) => a + b, 0);
              return p.rps * perPod * share * (1 - flagged) * (1 - this.errorRate(w, t));
            }});
          this.add(pod, {kind: 'counter', name: 'istio_requests_total', labels: {...labels, response_code: '500', response_flags: '-'},
            rate: (t) => {
              const {p} = reach(t);
              const flagged = Object.values(p.flags).reduce((a, b) => a + b, 0);
              return p.rps * perPod * share * (1 - flagged) * this.errorRate(w, t);
            }});
          // The caller's view of the answers it got from w (the network adds nothing here); a
          // gateway reports its traffic only this way (reporter="source").
          this.add(pod, {kind: 'histogram', name: 'istio_request_duration_milliseconds', labels: {...labels, response_code: '200', response_flags: '-'},
            rate: (t) => {
              const {p} = reach(t);
              return p.rps * perPod * share * (1 - Object.values(p.flags).reduce((a, b) => a + b, 0));
            },
            cdf: (t, le) => this.latency(w, t, le), mean: (t) => this.latencyMean(w, t), buckets: ISTIO_DURATION_BUCKETS_MS});
        }
        // Flagged requests; those that never reached a pod have no destination workload.
        const flagNames = new Set([...Object.keys(e.spec.flags ?? {}), ...Object.keys(this.faultFlags(e, targets))]);
        if (targets.length === 0) flagNames.add('UH');
        for (const flag of flagNames) {
          const effect = flagEffect(flag);
          const dests = effect.reachesServer && targets.length ? targets : [{w: undefined, share: 1}];
          for (const {w, share} of dests) {
            this.add(pod, {kind: 'counter', name: 'istio_requests_total', labels: {...base, ...dstLabels(w), response_code: effect.code, response_flags: flag},
              rate: (t) => {
                const p = this.edgeAt(e, t);
                const s = targets.length === 0 && flag === 'UH' && !(e.spec.flags ?? {}).UH ? 1 : (p.flags[flag] ?? 0);
                return p.rps * perPod * share * s;
              }});
          }
        }
      }
    }
    // Servers (reporter="destination"), one per pod of each workload behind the Service.
    for (const {w, share} of targets) {
      if (w.mesh !== 'istio') continue;
      const perPod = 1 / w.pods.length;
      for (const pod of w.pods) {
        if (tcp) {
          const cps = (t: number) => (e.spec.connectionsPerSecond ?? 1) * (this.edgeAt(e, t).rps / Math.max(e.spec.rps, 1e-9));
          const open = Math.round((e.spec.openConnections ?? (from?.pods.length ?? 1)) * share * perPod);
          const labels = (t: boolean): Labels => ({reporter: 'destination', ...src, ...svcLabels, ...dstLabels(w), request_protocol: 'tcp', response_flags: '-', connection_security_policy: t ? 'mutual_tls' : 'none'});
          for (const m of [true, false]) {
            const rate = (t: number) => (this.edgeAt(e, t).mtls === m ? cps(t) * share * perPod * reach(t).reached : 0);
            this.add(pod, {kind: 'counter', name: 'istio_tcp_connections_opened_total', labels: labels(m), rate});
            this.add(pod, {kind: 'counter', name: 'istio_tcp_connections_closed_total', labels: labels(m), rate, lag: m === (e.spec.mtls ?? from?.mesh !== undefined) ? open : 0});
          }
          continue;
        }
        for (const m of [true, false]) {
          const labels: Labels = {reporter: 'destination', ...src, ...svcLabels, ...dstLabels(w), request_protocol: protocol, response_flags: '-', connection_security_policy: m ? 'mutual_tls' : 'none'};
          const served = (t: number) => {
            const {p, reached} = reach(t);
            return p.mtls === m ? p.rps * share * perPod * reached : 0;
          };
          this.add(pod, {kind: 'counter', name: 'istio_requests_total', labels: {...labels, response_code: '200'}, rate: (t) => served(t) * (1 - this.errorRate(w, t))});
          this.add(pod, {kind: 'counter', name: 'istio_requests_total', labels: {...labels, response_code: '500'}, rate: (t) => served(t) * this.errorRate(w, t)});
          this.add(pod, {kind: 'histogram', name: 'istio_request_duration_milliseconds', labels: {...labels, response_code: '200'}, rate: served,
            cdf: (t, le) => this.latency(w, t, le), mean: (t) => this.latencyMean(w, t), buckets: ISTIO_DURATION_BUCKETS_MS});
        }
      }
    }
  }

  /** Flags that only faults introduce on an edge (so their series exist from the start, at rate 0). */
  private faultFlags(e: SimEdge, targets: readonly {w: SimWorkload}[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const f of this.faults) {
      if (f.edge === e.id || targets.some(({w}) => f.workload === w.key)) for (const flag of Object.keys(f.effect.flags ?? {})) out[flag] = 0;
    }
    return out;
  }

  private istioEgress(e: SimEdge): void {
    const from = e.from!;
    const cluster = e.special!;
    const perPod = 1 / from.pods.length;
    const tcp = e.spec.protocol === 'tcp';
    for (const pod of from.pods) {
      const labels: Labels = {
        reporter: 'source', source_workload: from.name, source_workload_namespace: from.namespace, source_app: from.app, source_version: from.version,
        destination_service: cluster, destination_service_name: cluster, destination_service_namespace: 'unknown', destination_workload: 'unknown',
        destination_workload_namespace: 'unknown', request_protocol: tcp ? 'tcp' : 'http', response_flags: '-', connection_security_policy: 'unknown',
      };
      if (tcp) this.add(pod, {kind: 'counter', name: 'istio_tcp_connections_opened_total', labels, rate: (t) => this.edgeAt(e, t).rps * perPod});
      else this.add(pod, {kind: 'counter', name: 'istio_requests_total', labels: {...labels, response_code: cluster === 'BlackHoleCluster' ? '502' : '200'}, rate: (t) => this.edgeAt(e, t).rps * perPod});
    }
  }

  private linkerdEdge(e: SimEdge, targets: {w: SimWorkload; share: number}[]): void {
    const from = e.from;
    const port = '80';
    const flagged = (t: number) => Object.values(this.edgeAt(e, t).flags).reduce((a, b) => a + b, 0);
    const lost = (t: number) => Object.entries(this.edgeAt(e, t).flags).reduce((a, [f, v]) => a + (flagEffect(f).reachesServer ? 0 : v), 0);
    if (from && from.mesh === 'linkerd') {
      const perPod = 1 / from.pods.length;
      for (const pod of from.pods) {
        const base: Labels = {direction: 'outbound', tls: 'true', dst_namespace: e.toNamespace!, dst_service: e.toService!};
        for (const {w, share} of targets) {
          const dst: Labels = {...base, [`dst_${w.kind.toLowerCase()}`]: w.name, dst_pod_template_hash: w.templateHash, dst_serviceaccount: w.app};
          const ok = (t: number) => this.edgeAt(e, t).rps * perPod * share * (1 - flagged(t)) * (1 - this.edgeAt(e, t).timeouts);
          this.add(pod, {kind: 'counter', name: 'response_total', labels: {...dst, status_code: '200', classification: 'success'}, rate: (t) => ok(t) * (1 - this.errorRate(w, t))});
          this.add(pod, {kind: 'counter', name: 'response_total', labels: {...dst, status_code: '500', classification: 'failure'}, rate: (t) => ok(t) * this.errorRate(w, t)});
          // The caller's view of the answers it got from w (the network adds nothing here).
          this.add(pod, {kind: 'histogram', name: 'response_latency_ms', labels: {...dst, status_code: '200'}, rate: ok,
            cdf: (t, le) => this.latency(w, t, le), mean: (t) => this.latencyMean(w, t), buckets: LINKERD_LATENCY_BUCKETS_MS});
        }
        // Failures the proxy itself answers (no endpoints, connection refused, timeouts): 503/504 failures.
        this.add(pod, {kind: 'counter', name: 'response_total', labels: {...base, status_code: '503', classification: 'failure', error: 'unavailable'},
          rate: (t) => this.edgeAt(e, t).rps * perPod * (targets.length === 0 ? 1 : flagged(t))});
        this.add(pod, {kind: 'counter', name: 'response_total', labels: {...base, status_code: '504', classification: 'failure', error: 'timeout'},
          rate: (t) => (targets.length === 0 ? 0 : this.edgeAt(e, t).rps * perPod * (1 - flagged(t)) * this.edgeAt(e, t).timeouts)});
        const route: Labels = {parent_group: 'core', parent_kind: 'Service', parent_namespace: e.toNamespace!, parent_name: e.toService!, parent_port: port, route_group: '', route_kind: 'default', route_name: 'http'};
        this.add(pod, {kind: 'counter', name: 'outbound_http_route_request_statuses_total', labels: {...route, http_status: '200', error: ''}, rate: (t) => this.edgeAt(e, t).rps * perPod * (1 - this.edgeAt(e, t).timeouts)});
        this.add(pod, {kind: 'counter', name: 'outbound_http_route_request_statuses_total', labels: {...route, http_status: '504', error: 'RESPONSE_HEADERS_TIMEOUT'}, rate: (t) => this.edgeAt(e, t).rps * perPod * this.edgeAt(e, t).timeouts});
      }
    }
    for (const {w, share} of targets) {
      if (w.mesh !== 'linkerd') continue;
      const perPod = 1 / w.pods.length;
      for (const pod of w.pods) {
        const inbound = (m: boolean): Labels => ({direction: 'inbound', srv_group: '', srv_kind: 'default', srv_name: 'all-unauthenticated', srv_port: '8080', route_group: '', route_kind: 'default', route_name: 'default',
          ...(m ? {tls: 'true', client_id: from ? `${from.app}.${from.namespace}.serviceaccount.identity.linkerd.cluster.local` : ''} : {tls: 'no_identity', no_tls_reason: 'no_tls_from_remote'})});
        for (const m of [true, false]) {
          const served = (t: number) => {
            const p = this.edgeAt(e, t);
            return p.mtls === m ? p.rps * share * perPod * (1 - lost(t)) * (1 - p.denied - p.routeNotFound) : 0;
          };
          this.add(pod, {kind: 'counter', name: 'response_total', labels: {...inbound(m), status_code: '200', classification: 'success'}, rate: (t) => served(t) * (1 - this.errorRate(w, t))});
          this.add(pod, {kind: 'counter', name: 'response_total', labels: {...inbound(m), status_code: '500', classification: 'failure'}, rate: (t) => served(t) * this.errorRate(w, t)});
          this.add(pod, {kind: 'histogram', name: 'response_latency_ms', labels: {...inbound(m), status_code: '200'}, rate: served,
            cdf: (t, le) => this.latency(w, t, le), mean: (t) => this.latencyMean(w, t), buckets: LINKERD_LATENCY_BUCKETS_MS});
        }
        const srv: Labels = {srv_group: '', srv_kind: 'default', srv_name: 'all-unauthenticated', srv_port: '8080'};
        this.add(pod, {kind: 'counter', name: 'inbound_http_authz_deny_total', labels: {...srv, route_group: '', route_kind: 'default', route_name: 'default', target_addr: `${pod.ip}:8080`},
          rate: (t) => this.edgeAt(e, t).rps * share * perPod * this.edgeAt(e, t).denied});
        this.add(pod, {kind: 'counter', name: 'inbound_http_route_not_found_total', labels: {...srv, target_addr: `${pod.ip}:8080`},
          rate: (t) => this.edgeAt(e, t).rps * share * perPod * this.edgeAt(e, t).routeNotFound});
        const open = (e.spec.openConnections ?? from?.pods.length ?? 1) * share * perPod;
        this.add(pod, {kind: 'gauge', name: 'tcp_open_connections', labels: {direction: 'inbound', peer: 'src', tls: 'true', srv_name: 'all-unauthenticated'}, value: () => open});
        this.add(pod, {kind: 'counter', name: 'tcp_open_total', labels: {direction: 'inbound', peer: 'src', tls: 'true', srv_name: 'all-unauthenticated'},
          rate: (t) => (e.spec.connectionsPerSecond ?? 0.05) * share * perPod * (this.edgeAt(e, t).rps > 0 ? 1 : 0)});
      }
    }
  }

  private linkerdPod(pod: SimPod): void {
    const version = this.graph.versions?.linkerd ?? 'edge-25.8.1';
    this.add(pod, {kind: 'gauge', name: 'proxy_build_info', labels: {version, git_sha: 'sim', profile: 'release', vendor: 'linkerd'}, value: () => 1});
    // Identity: a 24 h leaf renewed every 70 % of its lifetime, unless a fault makes renewals fail.
    const lifetime = 24 * 3600;
    const renew = 0.7 * lifetime;
    const stuckSince = (): number | undefined => {
      const f = this.faults.find((x) => x.workload === pod.workload.key && x.effect.identityRefreshStuck);
      return f?.at;
    };
    const issuedAt = (t: number) => {
      const stuck = stuckSince();
      const effective = stuck !== undefined && t >= stuck ? stuck : t;
      return Math.floor(Math.max(0, effective) / renew) * renew;
    };
    this.add(pod, {kind: 'gauge', name: 'control_identity_cert_expiration_timestamp_seconds', labels: {}, value: (t) => this.startMs / 1000 + issuedAt(t) + lifetime});
    this.add(pod, {kind: 'counter', name: 'control_identity_cert_refreshes_total', labels: {result: 'ok'}, rate: (t) => {
      const stuck = stuckSince();
      return stuck !== undefined && t >= stuck ? 0 : 1 / renew;
    }});
    this.add(pod, {kind: 'counter', name: 'control_identity_cert_refreshes_total', labels: {result: 'error'}, rate: (t) => {
      const stuck = stuckSince();
      return stuck !== undefined && t >= stuck ? 1 / 60 : 0;
    }});
  }

  // ---- evaluation -------------------------------------------------------------------------------

  private integral(key: string, rate: (t: number) => number, t: number): number {
    if (t <= 0) return 0;
    const cached = this.cache.get(key);
    let from = 0;
    let acc = 0;
    if (cached && cached.t <= t) {
      from = cached.t;
      acc = cached.value;
    }
    const points = [from, ...this.breaks.filter((b) => b > from && b < t), t];
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      // Between breakpoints, rates are constant unless a ramp is under way.
      const ramping = this.faults.some((f) => f.ramp > 0 && ((a < f.at + f.ramp && b > f.at) || (f.until !== undefined && a < f.until + f.ramp && b > f.until)));
      const n = ramping ? SEGMENT_STEPS_RAMP : 1;
      const h = (b - a) / n;
      for (let j = 0; j < n; j++) {
        const x0 = a + j * h;
        acc += (h / 6) * (rate(x0) + 4 * rate(x0 + h / 2) + rate(x0 + h));
      }
    }
    this.cache.set(key, {t, value: acc});
    return acc;
  }

  private counter(key: string, rate: (t: number) => number, t: number, lag = 0): number {
    return Math.max(0, Math.floor(this.integral(key, rate, t) + 1e-6) - lag);
  }

  /** Every sample a pod exposes at epoch-ms `atMs` (before the pods started: none). */
  samples(pod: SimPod, atMs: number = this.clock.now()): SimSample[] {
    const t = this.seconds(atMs);
    if (t < 0) return [];
    const defs = this.series.get(`${pod.namespace}/${pod.name}`) ?? [];
    const out: SimSample[] = [];
    defs.forEach((d, i) => {
      const key = `${pod.namespace}/${pod.name}#${i}`;
      if (d.kind === 'gauge') out.push({name: d.name, family: d.name, type: 'gauge', labels: d.labels, value: d.value(t)});
      else if (d.kind === 'counter') out.push({name: d.name, family: d.name, type: 'counter', labels: d.labels, value: this.counter(key, d.rate, t, d.lag)});
      else {
        // Every bucket integrates the same rate over the same instants: compute it once per instant.
        const rates = new Map<number, number>();
        const rate = (x: number): number => {
          let v = rates.get(x);
          if (v === undefined) rates.set(x, (v = d.rate(x)));
          return v;
        };
        for (const le of [...d.buckets, Infinity]) {
          const v = this.counter(`${key}@${le}`, (x) => rate(x) * d.cdf(x, le), t);
          out.push({name: `${d.name}_bucket`, family: d.name, type: 'histogram', labels: {...d.labels, le: le === Infinity ? '+Inf' : String(le)}, value: v});
        }
        out.push({name: `${d.name}_count`, family: d.name, type: 'histogram', labels: d.labels, value: this.counter(`${key}@${Infinity}`, rate, t)});
        out.push({name: `${d.name}_sum`, family: d.name, type: 'histogram', labels: d.labels, value: Math.round(this.integral(`${key}#sum`, (x) => rate(x) * d.mean(x), t))});
      }
    });
    return out;
  }

  // ---- what one pod's proxy handles at an instant (the logs and the Envoy admin view are built from it) ----

  /** Each edge leaving a pod's workload at an instant: this pod's share of its rate, the flag shares, the workloads behind its Service. */
  outboundAt(pod: SimPod, atMs: number = this.clock.now()): OutboundFlow[] {
    const t = this.seconds(atMs);
    return this.edges.filter((e) => e.from === pod.workload).map((e) => {
      const p = this.edgeAt(e, t);
      const targets = this.targets(e);
      const protocol = (e.spec.protocol ?? (targets[0]?.w.spec.protocol === 'tcp' ? 'tcp' : 'http')) === 'tcp' ? 'tcp' : targets[0]?.w.spec.protocol === 'grpc' ? 'grpc' : 'http';
      return {
        edge: e.id, to: e.to, ...(e.toNamespace ? {namespace: e.toNamespace} : {}), ...(e.toService ? {service: e.toService} : {}), ...(e.special ? {special: e.special} : {}),
        rps: p.rps / Math.max(1, pod.workload.pods.length), flags: p.flags, protocol,
        targets: targets.map(({w, share}) => ({workload: w, share})),
      };
    });
  }

  /** Each edge into a pod (through its workload's Service) at an instant: this pod's share of the requests that reach it. */
  inboundAt(pod: SimPod, atMs: number = this.clock.now()): InboundFlow[] {
    const t = this.seconds(atMs);
    const out: InboundFlow[] = [];
    for (const e of this.edges) {
      const target = this.targets(e).find((x) => x.w === pod.workload);
      if (!target) continue;
      const p = this.edgeAt(e, t);
      let lost = 0;
      for (const [f, v] of Object.entries(p.flags)) if (!flagEffect(f).reachesServer) lost += v;
      out.push({edge: e.id, ...(e.from ? {from: e.from} : {}), rps: p.rps * target.share * (1 - lost) / pod.workload.pods.length, mtls: p.mtls});
    }
    return out;
  }

  /** Share of requests a workload answers with 500 at an instant. */
  errorRateAt(w: SimWorkload, atMs: number = this.clock.now()): number {
    return this.errorRate(w, this.seconds(atMs));
  }

  /** The request duration (ms) below which a share `u` of a workload's requests finish at an instant (bisection on its CDF). */
  latencyQuantileAt(w: SimWorkload, u: number, atMs: number = this.clock.now()): number {
    const t = this.seconds(atMs);
    let lo = 0;
    let hi = 1;
    while (this.latency(w, t, hi) < u && hi < 600_000) hi *= 2;
    for (let i = 0; i < 40; i++) {
      const mid = (lo + hi) / 2;
      if (this.latency(w, t, mid) < u) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  pod(namespace: string, name: string): SimPod | undefined {
    return this.pods.find((p) => p.namespace === namespace && p.name === name);
  }

  /** The Prometheus text format a pod's proxy serves at epoch-ms `atMs` (empty for unmeshed pods). */
  exposition(pod: SimPod, atMs: number = this.clock.now()): string {
    if (pod.workload.mesh === 'none') return '';
    const byFamily = new Map<string, SimSample[]>();
    for (const s of this.samples(pod, atMs)) (byFamily.get(s.family) ?? byFamily.set(s.family, []).get(s.family)!).push(s);
    const lines: string[] = [];
    for (const [family, samples] of byFamily) {
      lines.push(`# TYPE ${family} ${samples[0].type}`);
      for (const s of samples) lines.push(`${s.name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
    }
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
}

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function formatLabels(labels: Readonly<Labels>): string {
  const entries = Object.entries(labels);
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
}

export function formatValue(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  return String(v);
}
