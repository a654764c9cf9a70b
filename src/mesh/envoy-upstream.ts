/**
 * Envoy upstream-cluster counters as Consul and OSM expose them (docs/rules.md §4.4, §4.5): requests,
 * 5xx class, pending overflow (UO), no healthy host (UH), timeouts (UT), connect failures (UF).
 * The subject key differs per mesh (Consul stats tags; OSM's `envoy_cluster_name`); the counting is
 * shared. Pure.
 */
import type {FlagGroup, ServiceClientRow} from '../core/signals.js';
import type {MeshName} from '../core/types.js';
import type {MetricQuery, QueryResults, Sample} from './metric-query.js';
import {Rows} from './metric-query.js';

export const UPSTREAM_RQ_XX = 'envoy_cluster_upstream_rq_xx';
export const UPSTREAM_RQ_TOTAL = 'envoy_cluster_upstream_rq_total';

/** One counter family per meaning; `per: 'connections'` counts against cx_total instead of rq_total. */
export type UpstreamCounter = Readonly<{family: string; flag?: FlagGroup; per?: 'requests' | 'connections'; role?: 'requests' | 'connections'}>;

export function upstreamQueries(prefix: string, by: readonly string[], counters: readonly UpstreamCounter[]): MetricQuery[] {
  return [
    {id: `${prefix}.rqxx`, kind: 'increase', families: [UPSTREAM_RQ_XX], by: [...by, 'envoy_response_code_class']},
    ...counters.map((c): MetricQuery => ({id: `${prefix}.${c.family}`, kind: 'increase', families: [c.family], by})),
  ];
}

/** Service client rows from the upstream counters; `keyOf` maps a series to [namespace?, service] or undefined (skip). */
export function upstreamRows(mesh: MeshName, prefix: string, results: QueryResults, counters: readonly UpstreamCounter[],
  keyOf: (s: Sample) => readonly [string | undefined, string] | undefined): ServiceClientRow[] {
  type Row = {namespace?: string; service: string; requests: number; successes: number; xx: number; flags: Partial<Record<FlagGroup, number>>; connections: number; connectionFlags: Partial<Record<FlagGroup, number>>};
  const rows = new Rows<Row>(() => ({service: '', requests: 0, successes: 0, xx: 0, flags: {}, connections: 0, connectionFlags: {}}));
  const rowFor = (s: Sample): Row | undefined => {
    const key = keyOf(s);
    if (!key) return undefined;
    const row = rows.at(`${key[0] ?? ''}/${key[1]}`);
    if (key[0] !== undefined) row.namespace = key[0];
    row.service = key[1];
    return row;
  };
  for (const s of results.get(`${prefix}.rqxx`) ?? []) {
    const row = rowFor(s);
    if (!row) continue;
    row.xx += s.value;
    if ((s.labels.envoy_response_code_class ?? '') !== '5') row.successes += s.value;
  }
  for (const c of counters) {
    for (const s of results.get(`${prefix}.${c.family}`) ?? []) {
      const row = rowFor(s);
      if (!row) continue;
      if (c.role === 'requests') row.requests += s.value;
      else if (c.role === 'connections') row.connections += s.value;
      else if (c.flag && c.per === 'connections') row.connectionFlags[c.flag] = (row.connectionFlags[c.flag] ?? 0) + s.value;
      else if (c.flag) row.flags[c.flag] = (row.flags[c.flag] ?? 0) + s.value;
    }
  }
  return [...rows.entries()].map(([, r]) => {
    const requests = r.requests || r.xx;
    return {
      mesh,
      ...(r.namespace !== undefined ? {namespace: r.namespace} : {}),
      service: r.service,
      requests,
      // rq_xx counts responses; requests that got none (overflow, no host) are failures too.
      successes: Math.min(r.successes, requests),
      flags: r.flags,
      ...(r.connections > 0 ? {connections: r.connections, connectionFlags: r.connectionFlags} : {}),
    };
  });
}
