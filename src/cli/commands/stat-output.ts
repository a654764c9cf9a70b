/**
 * `meshdoctor stat` output, pure: the docs/design.md §5 JSON document and the human table (worst first).
 * Nulls stay null in JSON and print as `-`: no traffic is not 0 % success, and an idle workload's
 * RPS is the word `idle` (`tcp` when it only has TCP connections), never 0. A gateway or a client
 * (VIEW `out`) shows the requests it sent, as its own proxy saw them.
 */
import type {GoldenMetrics} from '../../core/golden.js';
import {worstFirst} from '../../core/golden.js';
import {sanitizeLine} from '../../core/sanitize.js';

export type StatMeta = Readonly<{at: string; window: string; source: 'prometheus' | 'proxies' | 'recorded'; sourceDetail?: string}>;

export type StatWorkloadJson = Readonly<{
  namespace: string; workload: string; kind: string | null; mesh: string; meshedPods: number | null; pods: number | null;
  successRate: number | null; clientSuccessRate: number | null; outboundSuccessRate: number | null; basis: 'inbound' | 'outbound'; rps: number | null;
  latencyMs: {p50: number | null; p95: number | null; p99: number | null};
  tcpConnections?: number | null; mtlsShare: number | null; responseFlags: Record<string, number> | null;
}>;

export type StatJson = Readonly<{schemaVersion: 1; at: string; window: string; source: string; workloads: readonly StatWorkloadJson[]}>;

/** Not a number (NaN, ±Inf from a source that sent one) is no data: null, printed `-`. */
const known = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const round = (v: number | null, digits = 6): number | null => (known(v) ? Number(v.toFixed(digits)) : null);

function workloadJson(g: GoldenMetrics): StatWorkloadJson {
  return {
    namespace: g.namespace,
    workload: g.workload,
    kind: g.kind,
    mesh: g.mesh,
    meshedPods: g.meshedPods,
    pods: g.pods,
    successRate: round(g.successRate),
    clientSuccessRate: round(g.clientSuccessRate),
    outboundSuccessRate: round(g.outboundSuccessRate),
    basis: g.basis,
    rps: round(g.rps, 3),
    latencyMs: {p50: round(g.latencyMs.p50, 3), p95: round(g.latencyMs.p95, 3), p99: round(g.latencyMs.p99, 3)},
    ...(g.tcpConnections !== undefined ? {tcpConnections: round(g.tcpConnections, 3)} : {}),
    mtlsShare: round(g.mtlsShare),
    responseFlags: g.responseFlags ? Object.fromEntries(Object.entries(g.responseFlags).map(([k, v]) => [k, round(v, 3)!])) : null,
  };
}

export function statJson(meta: StatMeta, rows: readonly GoldenMetrics[]): StatJson {
  return {
    schemaVersion: 1,
    at: meta.at,
    window: meta.window,
    source: meta.source,
    workloads: [...rows].sort(worstFirst).map(workloadJson),
  };
}

function pct(v: number | null): string {
  if (!known(v)) return '-';
  const p = v * 100;
  return `${p === 100 || p === 0 ? p.toFixed(0) : p >= 99.99 ? p.toFixed(3) : p.toFixed(2)}%`;
}

function ms(v: number | null): string {
  if (!known(v)) return '-';
  if (v >= 10000) return `${(v / 1000).toFixed(1)}s`;
  if (v >= 1000) return `${(v / 1000).toFixed(2)}s`;
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}ms`;
}

function rps(v: number | null): string {
  if (!known(v)) return '-';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** The RPS cell: a rate, or a word when there were no requests. */
function rpsCell(g: GoldenMetrics): string {
  if (g.rps === 0) return g.tcpConnections ? 'tcp' : 'idle';
  return rps(g.rps);
}

function flags(f: Readonly<Record<string, number>> | null): string {
  if (!f) return '-';
  const top = Object.entries(f).filter(([, v]) => known(v) && v > 0).sort((a, b) => b[1] - a[1]).slice(0, 3);
  return top.length ? top.map(([k, v]) => `${k} ${rps(v)}/s`).join(', ') : '-';
}

const HEADER = ['NAMESPACE', 'WORKLOAD', 'MESH', 'PODS', 'VIEW', 'SUCCESS', 'CLIENT', 'RPS', 'P50', 'P95', 'P99', 'TCP', 'MTLS', 'FLAGS'];

function cells(g: GoldenMetrics): string[] {
  return [
    g.namespace, g.workload, g.mesh,
    g.pods === null ? '-' : `${g.meshedPods ?? 0}/${g.pods}`,
    g.basis === 'outbound' ? 'out' : 'in',
    pct(g.basis === 'outbound' ? g.outboundSuccessRate : g.successRate), pct(g.clientSuccessRate), rpsCell(g), ms(g.latencyMs.p50), ms(g.latencyMs.p95), ms(g.latencyMs.p99),
    known(g.tcpConnections) ? String(Math.round(g.tcpConnections)) : '-', pct(g.mtlsShare), flags(g.responseFlags),
  ].map((c) => sanitizeLine(c));
}

/** Columns padded to their widest cell (the last one left ragged). */
function columns(header: readonly string[], body: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (row: readonly string[]) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...body.map(line)];
}

const LEGEND = 'VIEW out: a gateway or client (no inbound proxy reports it): SUCCESS, RPS, latency and FLAGS are of the requests it sent, as its own proxy saw them';

function sourceLine(meta: StatMeta): string {
  return `source: ${meta.source}${meta.sourceDetail ? ` (${sanitizeLine(meta.sourceDetail)})` : ''}  window: ${meta.window}  at: ${meta.at}`;
}

export function statTable(meta: StatMeta, rows: readonly GoldenMetrics[]): string {
  const legend = rows.some((g) => g.basis === 'outbound') ? [LEGEND] : [];
  return [sourceLine(meta), ...legend, ...columns(HEADER, [...rows].sort(worstFirst).map(cells))].join('\n') + '\n';
}

// ── several clusters ────────────────────────────────────────────────────────────────────────────

/** One context of `stat --context a,b`: what was read, or why it could not be. */
export type StatCluster = Readonly<{name: string; meta: StatMeta; rows: readonly GoldenMetrics[]; error?: undefined}> | Readonly<{name: string; error: string; meta?: undefined; rows?: undefined}>;

export type StatClustersJson = Readonly<{
  schemaVersion: 1;
  contexts: readonly string[];
  /** Per context: where its numbers come from, or the error that kept it from being read. */
  clusters: readonly Readonly<{name: string; at: string | null; window: string | null; source: string | null; error: string | null}>[];
  /** Every cluster's workloads, worst first over all of them, each naming its cluster. */
  workloads: readonly (StatWorkloadJson & {cluster: string})[];
}>;

/** Worst first over every cluster (ties: the order the contexts were given). */
function allRows(clusters: readonly StatCluster[]): {cluster: string; row: GoldenMetrics}[] {
  return clusters.flatMap((c) => (c.rows ?? []).map((row) => ({cluster: c.name, row}))).sort((a, b) => worstFirst(a.row, b.row));
}

export function statClustersJson(clusters: readonly StatCluster[]): StatClustersJson {
  return {
    schemaVersion: 1,
    contexts: clusters.map((c) => c.name),
    clusters: clusters.map((c) => (c.meta
      ? {name: c.name, at: c.meta.at, window: c.meta.window, source: c.meta.source, error: null}
      : {name: c.name, at: null, window: null, source: null, error: c.error!})),
    workloads: allRows(clusters).map(({cluster, row}) => ({cluster, ...workloadJson(row)})),
  };
}

/**
 * One table over every cluster (a CLUSTER column first, worst first over all of them — the fleet's
 * worst workload on top), under a line per cluster with its source, or why it could not be read.
 */
export function statClustersTable(clusters: readonly StatCluster[]): string {
  const heads = clusters.map((c) => `${sanitizeLine(c.name)}: ${c.meta ? sourceLine(c.meta) : `could not be read: ${sanitizeLine(c.error!)}`}`);
  const rows = allRows(clusters);
  const legend = rows.some(({row}) => row.basis === 'outbound') ? [LEGEND] : [];
  const table = rows.length ? columns(['CLUSTER', ...HEADER], rows.map(({cluster, row}) => [sanitizeLine(cluster), ...cells(row)])) : ['no meshed workloads found in any cluster'];
  return [...heads, ...legend, ...table].join('\n') + '\n';
}
