/**
 * From a metrics backend to a SignalSet: one probe query for every mesh's families and defining
 * labels, then each mesh plans the queries its wanted signals need (one per aggregation for the
 * whole scope — never one per workload), the backend answers them, and each mesh derives its rows.
 * The number of queries depends on the meshes and signals asked for, never on the number of
 * workloads.
 */
import type {Signal, SignalMeshState, SignalName, SignalSet} from '../../core/signals.js';
import type {MeshName} from '../../core/types.js';
import {consulMetrics} from '../../mesh/consul/metrics.js';
import {istioMetrics} from '../../mesh/istio/metrics.js';
import {linkerdMetrics} from '../../mesh/linkerd/metrics.js';
import type {MeshMetrics, MetricQuery, Probe, ProbeResult, QueryResults, Sample, Windows} from '../../mesh/metric-query.js';
import {renderProbeQuery, renderPromQL} from '../../mesh/metric-query.js';
import {osmMetrics} from '../../mesh/osm/metrics.js';
import type {ScrapePair} from './evaluate.js';
import {evaluateProbes, evaluateQueries} from './evaluate.js';
import type {PrometheusClient} from './prometheus.js';

export const MESH_METRICS: Readonly<Record<MeshName, MeshMetrics>> = {istio: istioMetrics, linkerd: linkerdMetrics, consul: consulMetrics, osm: osmMetrics};

export interface MetricsBackend {
  readonly source: 'prometheus' | 'proxies';
  probe(probes: readonly Probe[]): Promise<ProbeResult>;
  run(queries: readonly MetricQuery[]): Promise<QueryResults>;
}

/** A backend that can also evaluate the same queries at every step of a time range (Prometheus range queries). */
export interface RangeBackend extends MetricsBackend {
  /** Results per evaluation instant (ms since the epoch), for each step of [start, end]. */
  runRange(queries: readonly MetricQuery[], start: Date, end: Date, stepSeconds: number): Promise<ReadonlyMap<number, QueryResults>>;
}

/** PromQL duration for a number of seconds. */
export function promDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

export function prometheusBackend(client: PrometheusClient, at: Date, windows: Windows): RangeBackend {
  return {
    source: 'prometheus',
    async probe(probes) {
      if (probes.length === 0) return new Set();
      const samples = await client.instant(renderProbeQuery(probes), at);
      return new Set(samples.map((s) => s.labels.probe).filter((p): p is string => typeof p === 'string'));
    },
    async run(queries) {
      const results = new Map<string, Sample[]>();
      await Promise.all(queries.map(async (q) => {
        const samples = await client.instant(renderPromQL(q, windows), at);
        results.set(q.id, q.scale ? samples.map((s) => ({...s, value: s.value * q.scale!})) : samples);
      }));
      return results;
    },
    async runRange(queries, start, end, stepSeconds) {
      const byStep = new Map<number, Map<string, Sample[]>>();
      await Promise.all(queries.map(async (q) => {
        for (const series of await client.range(renderPromQL(q, windows), start, end, stepSeconds)) {
          for (const [t, v] of series.points) {
            const ms = t * 1000;
            const results = byStep.get(ms) ?? byStep.set(ms, new Map()).get(ms)!;
            const samples = results.get(q.id) ?? results.set(q.id, []).get(q.id)!;
            samples.push({labels: series.labels, value: q.scale ? v * q.scale : v});
          }
        }
      }));
      return byStep;
    },
  };
}

export function proxyBackend(pairs: readonly ScrapePair[], windowSeconds: number): MetricsBackend {
  return {
    source: 'proxies',
    probe: async (probes) => evaluateProbes(probes, pairs),
    run: async (queries) => evaluateQueries(queries, pairs, windowSeconds),
  };
}

export type CollectSignalsOptions = Readonly<{
  meshes: readonly MeshName[];
  wanted: ReadonlySet<SignalName>;
  at: Date;
  window: string;
  windowSeconds: number;
  /** Signals the backend cannot have (proxy scrapes have no 15-minute history): absent with this reason. */
  unavailable?: Readonly<Partial<Record<SignalName, string>>>;
  /** Meshes only count when their presence probe finds series (stat --no-cluster). */
  detectFromProbe?: boolean;
  /** Default true: the edges signal with each edge's latency. */
  edgeLatency?: boolean;
}>;

export type CollectedSignals = Readonly<{set: SignalSet; meshes: readonly MeshName[]; queries: number}>;

type Planned = Readonly<{
  probe: ProbeResult;
  meshes: readonly MeshMetrics[];
  plans: readonly Readonly<{k: MeshMetrics; wanted: ReadonlySet<SignalName>}>[];
  states: ReadonlyMap<SignalName, Partial<Record<MeshName, SignalMeshState>>>;
  queries: readonly MetricQuery[];
}>;

/** Probe once, then each mesh plans the queries its wanted signals need (shared queries sent once). */
async function planAll(backend: MetricsBackend, options: Omit<CollectSignalsOptions, 'at' | 'window' | 'windowSeconds'>): Promise<Planned> {
  const knowledge = options.meshes.map((m) => MESH_METRICS[m]);
  const probes = new Map<string, Probe>();
  for (const k of knowledge) for (const p of k.probes) probes.set(p.id, p);
  const probe = await backend.probe([...probes.values()]);
  const meshes = options.detectFromProbe ? knowledge.filter((k) => probe.has(k.presenceProbe)) : knowledge;

  const states = new Map<SignalName, Partial<Record<MeshName, SignalMeshState>>>();
  const queries = new Map<string, MetricQuery>();
  const plans = meshes.map((k) => {
    const wanted = new Set([...options.wanted].filter((s) => k.provides.includes(s)));
    for (const signal of Object.keys(options.unavailable ?? {}) as SignalName[]) wanted.delete(signal);
    const plan = k.plan(wanted, probe, {edgeLatency: options.edgeLatency !== false});
    for (const [signal, state] of Object.entries(plan.states) as [SignalName, SignalMeshState][]) {
      (states.get(signal) ?? states.set(signal, {}).get(signal)!)[k.mesh] = state;
    }
    for (const [signal, reason] of Object.entries(options.unavailable ?? {}) as [SignalName, string][]) {
      if (options.wanted.has(signal) && k.provides.includes(signal)) (states.get(signal) ?? states.set(signal, {}).get(signal)!)[k.mesh] = {state: 'absent', reason};
    }
    for (const q of plan.queries) queries.set(q.id, q);
    return {k, wanted};
  });
  return {probe, meshes, plans, states, queries: [...queries.values()]};
}

/** Each mesh derives its rows from the results: the one place a signal gets its meaning. */
function deriveAll(planned: Planned, wanted: ReadonlySet<SignalName>, results: QueryResults): SignalSet['signals'] {
  const signals: Record<string, Signal> = {};
  for (const name of wanted) signals[name] = {rows: [], meshes: planned.states.get(name) ?? {}};
  for (const {k, wanted: meshWanted} of planned.plans) {
    const derived = k.derive(meshWanted, planned.probe, results);
    for (const [name, rows] of Object.entries(derived)) {
      const signal = signals[name];
      if (signal) signals[name] = {...signal, rows: [...signal.rows, ...(rows as never[])]};
    }
  }
  return signals as SignalSet['signals'];
}

export async function collectSignals(backend: MetricsBackend, options: CollectSignalsOptions): Promise<CollectedSignals> {
  const planned = await planAll(backend, options);
  const results = planned.queries.length > 0 ? await backend.run(planned.queries) : new Map();
  const set: SignalSet = {
    source: backend.source,
    at: options.at.toISOString(),
    window: options.window,
    windowSeconds: options.windowSeconds,
    signals: deriveAll(planned, options.wanted, results),
  };
  return {set, meshes: planned.meshes.map((k) => k.mesh), queries: planned.queries.length + 1};
}

export type SignalSeriesOptions = Readonly<{
  meshes: readonly MeshName[];
  wanted: ReadonlySet<SignalName>;
  start: Date;
  end: Date;
  stepSeconds: number;
  window: string;
  windowSeconds: number;
  edgeLatency?: boolean;
}>;

/**
 * The same signals as `collectSignals`, at every step of a time range: the same queries (as range
 * queries) and the same derivation per step, so a point of history means exactly what the current
 * figure means. One SignalSet per step that had data, oldest first.
 */
export async function collectSignalSeries(backend: RangeBackend, options: SignalSeriesOptions): Promise<{sets: SignalSet[]; queries: number}> {
  const planned = await planAll(backend, options);
  if (planned.queries.length === 0) return {sets: [], queries: 1};
  const steps = await backend.runRange(planned.queries, options.start, options.end, options.stepSeconds);
  const sets = [...steps.keys()].sort((a, b) => a - b).map((t): SignalSet => ({
    source: backend.source,
    at: new Date(t).toISOString(),
    window: options.window,
    windowSeconds: options.windowSeconds,
    signals: deriveAll(planned, options.wanted, steps.get(t)!),
  }));
  return {sets, queries: planned.queries.length + 1};
}
