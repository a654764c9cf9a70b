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

export function statJson(meta: StatMeta, rows: readonly GoldenMetrics[]): StatJson {
  return {
    schemaVersion: 1,
    at: meta.at,
    window: meta.window,
    source: meta.source,
    workloads: [...rows].sort(worstFirst).map((g) => ({
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
    })),
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

export function statTable(meta: StatMeta, rows: readonly GoldenMetrics[]): string {
  const header = ['NAMESPACE', 'WORKLOAD', 'MESH', 'PODS', 'VIEW', 'SUCCESS', 'CLIENT', 'RPS', 'P50', 'P95', 'P99', 'TCP', 'MTLS', 'FLAGS'];
  const body = [...rows].sort(worstFirst).map((g) => [
    g.namespace, g.workload, g.mesh,
    g.pods === null ? '-' : `${g.meshedPods ?? 0}/${g.pods}`,
    g.basis === 'outbound' ? 'out' : 'in',
    pct(g.basis === 'outbound' ? g.outboundSuccessRate : g.successRate), pct(g.clientSuccessRate), rpsCell(g), ms(g.latencyMs.p50), ms(g.latencyMs.p95), ms(g.latencyMs.p99),
    known(g.tcpConnections) ? String(Math.round(g.tcpConnections)) : '-', pct(g.mtlsShare), flags(g.responseFlags),
  ].map((c) => sanitizeLine(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  const title = `source: ${meta.source}${meta.sourceDetail ? ` (${sanitizeLine(meta.sourceDetail)})` : ''}  window: ${meta.window}  at: ${meta.at}`;
  const legend = rows.some((g) => g.basis === 'outbound')
    ? ['VIEW out: a gateway or client (no inbound proxy reports it): SUCCESS, RPS, latency and FLAGS are of the requests it sent, as its own proxy saw them']
    : [];
  return [title, ...legend, line(header), ...body.map(line)].join('\n') + '\n';
}
