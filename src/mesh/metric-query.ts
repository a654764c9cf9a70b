/**
 * Metric queries as data. Each mesh describes the aggregations its signals need (`sum by (…)
 * (increase(family{matchers}[W]))`, histogram quantiles, gauges) once; the Prometheus source renders
 * them to PromQL and the proxy-scrape source evaluates the same description over counter deltas
 * between two scrapes. Both hand the results to the mesh's pure `derive`, so a signal means the same
 * thing whichever source filled it. Pure: no I/O.
 */
import type {Pod} from '../core/kube-types/index.js';
import type {SignalMeshState, SignalName, SignalRows} from '../core/signals.js';
import type {MeshName, Subject} from '../core/types.js';

export type Matcher = Readonly<{label: string; op: '=' | '!=' | '=~' | '!~'; value: string}>;

/**
 * increase: `sum by (…) (increase(sel[range]))`; value: `<agg> by (…) (sel)` at the instant;
 * max-over: `max by (…) (max_over_time(sel[range]))`; quantiles: `histogram_quantile(q, sum by (le, …)
 * (rate(sel[range])))` for each q, labelled `quantile`.
 */
export type QueryKind = 'increase' | 'value' | 'max-over' | 'quantiles';

/**
 * One part of a query in parts: its own extra matchers and its own grouping, aggregated separately
 * and labelled `md_part="<name>"` (PromQL: each part `label_replace`d, joined with `or`). Lets one
 * query answer, say, latency per workload as servers measured it and per workload as callers
 * measured their own calls — groupings that quantiles cannot share.
 */
export type QueryPart = Readonly<{name: string; matchers?: readonly Matcher[]; by: readonly string[]}>;

/** The label carrying a sample's part name. */
export const PART_LABEL = 'md_part';

export type MetricQuery = Readonly<{
  id: string;
  /** One or more metric names; several are selected together (`{__name__=~"a|b"}`) and summed. */
  families: readonly string[];
  matchers?: readonly Matcher[];
  /** Grouping labels (with `parts`: each part's own `by` is used instead). */
  by: readonly string[];
  parts?: readonly QueryPart[];
  kind: QueryKind;
  /** Aggregation for `value` queries; default sum. */
  agg?: 'sum' | 'min' | 'max' | 'count';
  /** window = metrics.window; noTraffic = noTraffic.window; double = 2 × window. Default window. */
  range?: 'window' | 'noTraffic' | 'double';
  quantiles?: readonly number[];
  /** Multiply results (histograms in seconds → ms). */
  scale?: number;
}>;

export type Sample = Readonly<{labels: Readonly<Record<string, string>>; value: number}>;

/** Query id → samples (quantile queries carry a `quantile` label on each sample). */
export type QueryResults = ReadonlyMap<string, readonly Sample[]>;

/** A presence probe: the family has series (and, with `label`, some series carry a non-empty label). */
export type Probe = Readonly<{id: string; family: string; label?: string}>;

/** Ids of the probes that found series. */
export type ProbeResult = ReadonlySet<string>;

export type Windows = Readonly<{window: string; noTraffic: string; double: string}>;

export type DerivedSignals = {-readonly [N in SignalName]?: SignalRows[N][]};

export type MeshPlan = Readonly<{
  queries: readonly MetricQuery[];
  /** State per wanted signal this mesh provides: ok, or absent with the reason. */
  states: Readonly<Partial<Record<SignalName, SignalMeshState>>>;
}>;

/**
 * A mesh's query plan: for each wanted signal it provides, its state; when that is ok, the
 * queries it needs (a query shared by several signals is sent once).
 */
export function planSignals(
  provides: readonly SignalName[],
  wanted: ReadonlySet<SignalName>,
  state: (signal: SignalName) => SignalMeshState,
  queriesFor: (signal: SignalName) => readonly MetricQuery[],
): MeshPlan {
  const states: Partial<Record<SignalName, SignalMeshState>> = {};
  const byId = new Map<string, MetricQuery>();
  for (const signal of provides) {
    if (!wanted.has(signal)) continue;
    const s = (states[signal] = state(signal));
    if (s.state !== 'ok') continue;
    for (const q of queriesFor(signal)) if (!byId.has(q.id)) byId.set(q.id, q);
  }
  return {queries: [...byId.values()], states};
}

/** `edgeLatency: false`: the edges signal without its per-edge latency (history has no use for it: a quantile query per edge and step). */
export type PlanOptions = Readonly<{edgeLatency?: boolean}>;

/** What a mesh knows about its metrics: probes, queries, derivation, and how its proxies are scraped. */
export interface MeshMetrics {
  readonly mesh: MeshName;
  readonly probes: readonly Probe[];
  /** The probe whose presence says this mesh's proxies are being scraped (stat --no-cluster detection). */
  readonly presenceProbe: string;
  readonly provides: readonly SignalName[];
  plan(wanted: ReadonlySet<SignalName>, probe: ProbeResult, options?: PlanOptions): MeshPlan;
  derive(wanted: ReadonlySet<SignalName>, probe: ProbeResult, results: QueryResults): DerivedSignals;
  /** The proxy's metrics endpoint: container port and path. */
  readonly scrape: Readonly<{port: number; path: string}>;
  /** Labels the mesh's standard Prometheus scrape configuration adds to a pod's series (relabelling). */
  targetLabels(pod: Pod, owner: Subject): Record<string, string>;
}

// ---- PromQL rendering -------------------------------------------------------------------------------

/** A PromQL double-quoted string literal. */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function selector(families: readonly string[], matchers: readonly Matcher[] = []): string {
  const parts = matchers.map((m) => `${m.label}${m.op}${promString(m.value)}`);
  if (families.length === 1) return `${families[0]}${parts.length ? `{${parts.join(',')}}` : ''}`;
  return `{${[`__name__=~${promString(families.join('|'))}`, ...parts].join(',')}}`;
}

function byClause(labels: readonly string[]): string {
  return labels.length ? ` by (${labels.join(', ')})` : '';
}

/** Render a query to PromQL (one HTTP query, even for several quantiles and parts). */
export function renderPromQL(q: MetricQuery, windows: Windows): string {
  const range = windows[q.range ?? 'window'];
  // Each part aggregated on its own and labelled with its name; a query without parts is one part.
  const aggregate = (inner: (sel: string) => string, agg: string, extraBy: readonly string[] = []): string => {
    const one = (matchers: readonly Matcher[], by: readonly string[]) => `${agg}${byClause([...extraBy, ...by])} (${inner(selector(q.families, matchers))})`;
    if (!q.parts) return one(q.matchers ?? [], q.by);
    return q.parts
      .map((p) => `label_replace(${one([...(q.matchers ?? []), ...(p.matchers ?? [])], p.by)}, ${promString(PART_LABEL)}, ${promString(p.name)}, "", "")`)
      .join(' or ');
  };
  switch (q.kind) {
    case 'increase':
      return aggregate((sel) => `increase(${sel}[${range}])`, 'sum');
    case 'value':
      return aggregate((sel) => sel, q.agg ?? 'sum');
    case 'max-over':
      return aggregate((sel) => `max_over_time(${sel}[${range}])`, 'max');
    case 'quantiles': {
      const inner = aggregate((sel) => `rate(${sel}[${range}])`, 'sum', ['le']);
      return (q.quantiles ?? [0.5, 0.95, 0.99])
        .map((quantile) => `label_replace(histogram_quantile(${quantile}, ${inner}), "quantile", "${quantile}", "", "")`)
        .join(' or ');
    }
  }
}

/** All probes in one query: each present probe returns one series labelled `probe="<id>"`. */
export function renderProbeQuery(probes: readonly Probe[]): string {
  return probes
    .map((p) => `label_replace(count(${selector([p.family], p.label ? [{label: p.label, op: '!=', value: ''}] : [])}), "probe", ${promString(p.id)}, "", "")`)
    .join(' or ');
}

// ---- matching, shared by the proxy evaluator -----------------------------------------------------

const regexCache = new Map<string, RegExp>();

/** PromQL matcher semantics: a missing label is the empty string; regexes are fully anchored. */
export function matches(labels: Readonly<Record<string, string>>, m: Matcher): boolean {
  const v = labels[m.label] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
    case '!~': {
      let re = regexCache.get(m.value);
      if (!re) {
        re = new RegExp(`^(?:${m.value})$`);
        regexCache.set(m.value, re);
      }
      return re.test(v) === (m.op === '=~');
    }
  }
}

// ---- helpers for derive functions -------------------------------------------------------------------

export function label(s: Sample, name: string): string {
  return s.labels[name] ?? '';
}

/** Rows keyed by a string, created on first use. */
export class Rows<T> {
  private readonly map = new Map<string, T>();
  constructor(private readonly make: () => T) {}
  at(key: string): T {
    let row = this.map.get(key);
    if (!row) this.map.set(key, (row = this.make()));
    return row;
  }
  entries(): IterableIterator<[string, T]> {
    return this.map.entries();
  }
  get size(): number {
    return this.map.size;
  }
}

/** `{0.5: …, 0.95: …, 0.99: …}` samples of one group → LatencyMs (NaN and ±Inf → null). */
export function latencyFrom(samples: readonly Sample[]): {p50: number | null; p95: number | null; p99: number | null} {
  const out: {p50: number | null; p95: number | null; p99: number | null} = {p50: null, p95: null, p99: null};
  for (const s of samples) {
    const v = Number.isFinite(s.value) ? s.value : null;
    switch (Number(s.labels.quantile)) {
      case 0.5:
        out.p50 = v;
        break;
      case 0.95:
        out.p95 = v;
        break;
      case 0.99:
        out.p99 = v;
        break;
      default:
        break;
    }
  }
  return out;
}

export const ok: SignalMeshState = {state: 'ok'};

export function absent(reason: string): SignalMeshState {
  return {state: 'absent', reason};
}

/** Quantile samples grouped by `keyOf` (undefined: left out) → LatencyMs per key. */
export function latencyByKey(samples: readonly Sample[], keyOf: (s: Sample) => string | undefined): Map<string, ReturnType<typeof latencyFrom>> {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = keyOf(s);
    if (key !== undefined) (groups.get(key) ?? groups.set(key, []).get(key)!).push(s);
  }
  return new Map([...groups].map(([key, group]) => [key, latencyFrom(group)]));
}

/** The key both sides of an edge-latency lookup use: `srcNs/src|dstNs/dst`. */
export function edgeKey(srcNamespace: string, srcWorkload: string, dstNamespace: string, dstWorkload: string): string {
  return `${srcNamespace}/${srcWorkload}|${dstNamespace}/${dstWorkload}`;
}
