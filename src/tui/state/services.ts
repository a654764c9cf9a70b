/**
 * The Services view's rows, derived from state: one per workload of the inventory, with its golden
 * metrics judged against the SLO thresholds (the worse of server and client side), its traffic
 * guard (docs/rules.md §4.1: below `metrics.minRequests`/`minRps` there is no verdict, only "low
 * traffic"), its worst finding and its recent history — filtered and sorted. Pure and memoised on
 * the identity of its inputs, so a redraw without new data costs nothing.
 */
import type {GoldenMetrics} from '../../core/golden.js';
import {headlineSuccess} from '../../core/golden.js';
import {thresholdsFor} from '../../core/options.js';
import type {Finding, Severity} from '../../core/types.js';
import {compileFilter} from './filter.js';
import {findingsByWorkload, workloadKey} from './findings.js';
import {PointSeries} from './history.js';
import {lastValue} from './memo.js';
import type {SortColumn, SortSpec, TuiState} from './types.js';

/** error/warning: an SLO breach; ok; low: traffic below the guard; idle: no requests; no-data: metrics unknown. */
export type Health = 'error' | 'warning' | 'ok' | 'low' | 'idle' | 'no-data';

export type ServiceRow = Readonly<{
  key: string;
  namespace: string;
  workload: string;
  kind: string | null;
  mesh: string;
  meshedPods: number | null;
  pods: number | null;
  /** The worse of server-side and client-side success (a gateway's or client's: of what it sent). */
  success: number | null;
  side: 'client' | 'server' | 'sent' | null;
  rps: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  successHealth: Health;
  latencyHealth: 'error' | 'warning' | 'ok' | 'none';
  health: Health;
  finding?: Finding;
  /** The worst finding's title as its runbook states the problem ("Callers cannot connect to a Service's pods"); undefined until runbooks load. */
  findingTitle?: string;
  /** Its check's name in a few words ("upstream connect failure"), for narrow columns. */
  findingName?: string;
  findings: number;
  /** `namespace/name` of the Services selecting its pods. */
  services: readonly string[];
  /** Its history (a reference into the state; the table takes the last points of the visible rows only). */
  history: PointSeries;
  golden?: GoldenMetrics;
}>;


const HEALTH_RANK: Readonly<Record<Health, number>> = {error: 0, warning: 1, ok: 2, low: 3, idle: 4, 'no-data': 5};
const SEVERITY_RANK: Readonly<Record<Severity, number>> = {error: 0, warning: 1, info: 2};

type Mutable<T> = {-readonly [K in keyof T]: T[K]};

type Judged = Pick<ServiceRow, 'success' | 'side' | 'successHealth' | 'latencyHealth' | 'health'>;

export function judge(g: GoldenMetrics | undefined, state: Pick<TuiState, 'config'>, windowSeconds: number): Judged {
  if (!g || g.rps === null) return {success: null, side: null, successHealth: 'no-data', latencyHealth: 'none', health: 'no-data'};
  const {rate: success, side} = headlineSuccess(g);
  if (g.rps === 0 || success === null) return {success, side, successHealth: 'idle', latencyHealth: 'none', health: 'idle'};
  const t = thresholdsFor(state.config.options, g.namespace, g.workload);
  const requests = g.rps * windowSeconds;
  if (requests < t.metrics.minRequests || g.rps < t.metrics.minRps) return {success, side, successHealth: 'low', latencyHealth: 'none', health: 'low'};
  const successHealth: Health = success < t.slo.successError ? 'error' : success < t.slo.successWarn ? 'warning' : 'ok';
  const p99 = g.latencyMs.p99;
  const latencyHealth = p99 === null ? 'none' : p99 >= t.latency.p99ErrorMs ? 'error' : p99 >= t.latency.p99WarnMs ? 'warning' : 'ok';
  const health: Health = successHealth === 'error' || latencyHealth === 'error' ? 'error' : successHealth === 'warning' || latencyHealth === 'warning' ? 'warning' : 'ok';
  return {success, side, successHealth, latencyHealth, health};
}

/** Worst first: SLO breach, then error rate, then latency, then traffic, then name. */
export function worstRowFirst(a: ServiceRow, b: ServiceRow): number {
  const h = HEALTH_RANK[a.health] - HEALTH_RANK[b.health];
  if (h !== 0) return h;
  const ea = a.success === null ? -1 : 1 - a.success;
  const eb = b.success === null ? -1 : 1 - b.success;
  if (ea !== eb) return eb - ea;
  const la = a.p99 ?? -1;
  const lb = b.p99 ?? -1;
  if (la !== lb) return lb - la;
  const ra = a.rps ?? -1;
  const rb = b.rps ?? -1;
  if (ra !== rb) return rb - ra;
  return byName(a, b);
}

/** Kubernetes names are ASCII: code-point order, without the cost of localeCompare. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byName(a: ServiceRow, b: ServiceRow): number {
  return cmp(a.namespace, b.namespace) || cmp(a.workload, b.workload);
}

/** Nulls (no data) sort after every number whichever the direction. */
function numeric(get: (r: ServiceRow) => number | null, descending: boolean): (a: ServiceRow, b: ServiceRow) => number {
  return (a, b) => {
    const va = get(a);
    const vb = get(b);
    if (va === null && vb === null) return byName(a, b);
    if (va === null) return 1;
    if (vb === null) return -1;
    return (descending ? vb - va : va - vb) || byName(a, b);
  };
}

const COMPARATORS: Readonly<Record<SortColumn, (a: ServiceRow, b: ServiceRow) => number>> = {
  worst: worstRowFirst,
  namespace: byName,
  workload: (a, b) => cmp(a.workload, b.workload) || cmp(a.namespace, b.namespace),
  pods: numeric((r) => r.pods, true),
  // Lowest success first: the natural order during an incident.
  success: numeric((r) => r.success, false),
  rps: numeric((r) => r.rps, true),
  p50: numeric((r) => r.p50, true),
  p95: numeric((r) => r.p95, true),
  p99: numeric((r) => r.p99, true),
  finding: (a, b) => {
    const fa = a.finding ? SEVERITY_RANK[a.finding.severity] : 9;
    const fb = b.finding ? SEVERITY_RANK[b.finding.severity] : 9;
    return fa - fb || b.findings - a.findings || byName(a, b);
  },
};

export function sortRows(rows: readonly ServiceRow[], sort: SortSpec): ServiceRow[] {
  const compare = COMPARATORS[sort.column];
  const sorted = [...rows].sort(compare);
  return sort.reverse ? sorted.reverse() : sorted;
}

/** Points a sparkline cell can show (the widest TREND column). */
export const TREND_POINTS = 16;

export function trendValues(series: PointSeries | undefined, trend: 'success' | 'rps'): (number | null)[] {
  const out: (number | null)[] = [];
  series?.forEachLast(TREND_POINTS, (p) => out.push(trend === 'success' ? p.successRate : p.rps));
  return out;
}

const NO_SERVICES: readonly string[] = [];

const findingsMemo = lastValue<ReturnType<typeof findingsByWorkload>>();
const namesMemo = lastValue<Map<string, string>>();

const ACRONYMS: Readonly<Record<string, string>> = {slo: 'SLO', tls: 'TLS', mtls: 'mTLS', vs: 'VirtualService', dr: 'DestinationRule', ca: 'CA', cni: 'CNI', crd: 'CRD', crds: 'CRDs', xds: 'xDS', osm: 'OSM', api: 'API', acl: 'ACL', acls: 'ACLs'};

/** A check's slug in words: `upstream-connect-failure` → "upstream connect failure", `istio-vs-…` → "istio VirtualService…". */
export function slugWords(slug: string): string {
  return slug.split('-').map((w) => ACRONYMS[w] ?? w).join(' ');
}

/** All rows before filter and sort (memoised). */
function buildRows(state: TuiState): ServiceRow[] {
  const {inventory, golden, results, snapshot, signals, history, runbooks} = state.data;
  const byKey = new Map<string, GoldenMetrics>();
  for (const g of golden) byKey.set(workloadKey(g.namespace, g.workload), g);
  // Findings change with check runs, not with every metrics refresh.
  const findings = findingsMemo([results, snapshot, inventory], () => findingsByWorkload(results, snapshot, inventory));
  const names = namesMemo([results], () => new Map(results.map((r) => [r.check.id as string, slugWords(r.check.slug)])));
  const windowSeconds = signals?.windowSeconds ?? state.config.options.thresholds.metrics.windowSeconds;
  const refs = inventory.length > 0 ? inventory : golden;
  // One plain object literal per row (no spreads): this runs for every workload on every refresh.
  return refs.map((ref) => {
    const key = workloadKey(ref.namespace, ref.workload);
    const g = byKey.get(key);
    const j = judge(g, state, windowSeconds);
    const list = findings.get(key);
    const row: Mutable<ServiceRow> = {
      key,
      namespace: ref.namespace,
      workload: ref.workload,
      kind: ref.kind,
      mesh: ref.mesh,
      meshedPods: ref.meshedPods,
      pods: ref.pods,
      success: j.success,
      side: j.side,
      successHealth: j.successHealth,
      latencyHealth: j.latencyHealth,
      health: j.health,
      rps: g ? g.rps : null,
      p50: g ? g.latencyMs.p50 : null,
      p95: g ? g.latencyMs.p95 : null,
      p99: g ? g.latencyMs.p99 : null,
      findings: list ? list.length : 0,
      services: 'services' in ref && ref.services ? ref.services : NO_SERVICES,
      history: history[key] ?? PointSeries.EMPTY,
    };
    if (list && list.length > 0) {
      row.finding = list[0];
      const title = runbooks.get(list[0].checkId)?.front.title;
      if (title) row.findingTitle = shortTitle(title);
      const name = names.get(list[0].checkId);
      if (name) row.findingName = name;
    }
    if (g) row.golden = g;
    return row;
  });
}

/** A runbook title as a table cell: without its leading article ("A workload's…" → "Workload's…"). */
export function shortTitle(title: string): string {
  const bare = title.replace(/^(an?|the)\s+/i, '');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

/**
 * Text a row is filtered on: what is visible in it, and the Services that select its pods — so
 * `/checkout-canary` finds the workload behind the failing Service.
 */
export function rowText(r: ServiceRow): string {
  return `${r.namespace}/${r.workload} ${r.kind ?? ''} ${r.mesh} ${r.finding ? `${r.finding.checkId} ${r.finding.severity} ${r.findingTitle ?? ''} ${r.findingName ?? ''}` : ''} ${r.services.join(' ')}`;
}

const builtMemo = lastValue<ServiceRow[]>();
const visibleMemo = lastValue<ServiceRow[]>();

/** The rows on screen, in order: filtered (`/`, `:ns`) and sorted. */
export function serviceRows(state: TuiState): readonly ServiceRow[] {
  const d = state.data;
  const built = builtMemo([d.inventory, d.golden, d.results, d.snapshot, d.signals, d.history, d.runbooks, state.config], () => buildRows(state));
  return visibleMemo([built, state.services.filter, state.services.sort, state.namespace, state.workloadKind], () => {
    const filter = compileFilter(state.services.filter);
    const rows = built.filter((r) => (state.namespace === null || r.namespace === state.namespace) && (state.workloadKind === null || r.kind === state.workloadKind) && (filter.empty || filter.test(rowText(r))));
    return sortRows(rows, state.services.sort);
  });
}

/** Index of the selected row (0 when the selection is gone). */
export function selectedIndex(state: TuiState, rows: readonly ServiceRow[] = serviceRows(state)): number {
  const i = rows.findIndex((r) => r.key === state.services.selected);
  return i >= 0 ? i : 0;
}

export type ServicesSummary = Readonly<{
  workloads: number;
  breaching: number;
  rps: number | null;
  findings: Readonly<Record<Severity, number>>;
}>;

export function servicesSummary(state: TuiState): ServicesSummary {
  const rows = serviceRows(state);
  let rps: number | null = null;
  let breaching = 0;
  for (const r of rows) {
    if (r.rps !== null) rps = (rps ?? 0) + r.rps;
    if (r.health === 'error' || r.health === 'warning') breaching++;
  }
  const findings: Record<Severity, number> = {error: 0, warning: 0, info: 0};
  for (const r of state.data.results) for (const f of r.findings) findings[f.severity]++;
  return {workloads: rows.length, breaching, rps, findings};
}

/** A line of the namespace picker (`:ns`): a namespace (null: all of them) and how its workloads are doing. */
export type NamespaceRow = Readonly<{namespace: string | null; workloads: number; breaching: number; rps: number | null}>;

const namespacesMemo = lastValue<NamespaceRow[]>();

/** The namespace picker's lines: every namespace first as "all", then each namespace with workloads, by name. */
export function namespaceRows(state: TuiState): readonly NamespaceRow[] {
  const all = serviceRows({...state, namespace: null, workloadKind: null, services: {...state.services, filter: ''}});
  return namespacesMemo([all], () => {
    const by = new Map<string, {workloads: number; breaching: number; rps: number | null}>();
    const total = {workloads: 0, breaching: 0, rps: null as number | null};
    for (const r of all) {
      const n = by.get(r.namespace) ?? {workloads: 0, breaching: 0, rps: null};
      for (const t of [n, total]) {
        t.workloads++;
        if (r.health === 'error' || r.health === 'warning') t.breaching++;
        if (r.rps !== null) t.rps = (t.rps ?? 0) + r.rps;
      }
      by.set(r.namespace, n);
    }
    return [{namespace: null, ...total}, ...[...by].sort((a, b) => cmp(a[0], b[0])).map(([namespace, n]) => ({namespace, ...n}))];
  });
}
