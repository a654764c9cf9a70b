/**
 * Open Service Mesh metric knowledge (docs/rules.md §4.5; archived project, basic depth): Envoy stats on
 * 15010 `/stats/prometheus` as OSM's Prometheus keeps them, relabelled with `source_namespace`,
 * `source_pod_name`, `source_workload_*`. The destination is `envoy_cluster_name` =
 * `<namespace>/<service>|<port>`; latency needs OSM's WASM stats (`osm_request_duration_ms`).
 */
import type {Pod} from '../../core/kube-types/index.js';
import type {SignalMeshState, SignalName} from '../../core/signals.js';
import type {Subject} from '../../core/types.js';
import type {UpstreamCounter} from '../envoy-upstream.js';
import {UPSTREAM_RQ_TOTAL, UPSTREAM_RQ_XX, upstreamQueries, upstreamRows} from '../envoy-upstream.js';
import type {DerivedSignals, MeshMetrics, MeshPlan, MetricQuery, Probe, ProbeResult, QueryResults, Sample} from '../metric-query.js';
import {absent, label, latencyFrom, ok, planSignals} from '../metric-query.js';

const BY = ['envoy_cluster_name'];
const COUNTERS: readonly UpstreamCounter[] = [
  {family: UPSTREAM_RQ_TOTAL, role: 'requests'},
  {family: 'envoy_cluster_upstream_rq_pending_overflow', flag: 'UO'},
  {family: 'envoy_cluster_upstream_rq_timeout', flag: 'UT'},
  {family: 'envoy_cluster_upstream_cx_connect_timeout', flag: 'UF|URX'},
];
const IGNORED = new Set(['osm-controller', 'envoy-metrics-cluster', 'envoy-tracing-cluster', 'passthrough-outbound']);

/** `<namespace>/<service>|<port>` → [namespace, service]; local and infrastructure clusters → undefined. */
export function osmCluster(name: string): readonly [string, string] | undefined {
  if (!name || IGNORED.has(name) || name.endsWith('|local')) return undefined;
  const m = /^([^/]+)\/([^|]+)(\|.*)?$/.exec(name);
  return m ? [m[1], m[2]] : undefined;
}

const PROBES: readonly Probe[] = [
  {id: 'osm.upstream', family: UPSTREAM_RQ_XX, label: 'envoy_cluster_name'},
  {id: 'osm.latency', family: 'osm_request_duration_ms_bucket'},
];
const QUERIES = upstreamQueries('osm', BY, COUNTERS);
const LATENCY: MetricQuery = {id: 'osm.latency', kind: 'quantiles', families: ['osm_request_duration_ms_bucket'], by: ['destination_namespace', 'destination_name']};
const PRESENCE: MetricQuery = {id: 'osm.presence', kind: 'value', agg: 'count', families: ['envoy_server_live'], by: ['source_namespace']};
const PROVIDES: readonly SignalName[] = ['serviceClient', 'latency', 'presence'];

function state(signal: SignalName, probe: ProbeResult): SignalMeshState {
  switch (signal) {
    case 'serviceClient':
      return probe.has('osm.upstream') ? ok : absent(`no ${UPSTREAM_RQ_XX} series with envoy_cluster_name (OSM's Prometheus configuration keeps them)`);
    case 'latency':
      return probe.has('osm.latency') ? ok : absent('no osm_request_duration_ms_bucket series (OSM latency needs featureFlags.enableWASMStats)');
    case 'presence':
      return ok;
    default:
      return absent(`OSM has no ${signal} signal`);
  }
}

function plan(wanted: ReadonlySet<SignalName>, probe: ProbeResult): MeshPlan {
  const queriesFor: Partial<Record<SignalName, readonly MetricQuery[]>> = {serviceClient: QUERIES, latency: [LATENCY], presence: [PRESENCE]};
  return planSignals(PROVIDES, wanted, (signal) => state(signal, probe), (signal) => queriesFor[signal] ?? []);
}

function derive(wanted: ReadonlySet<SignalName>, probe: ProbeResult, results: QueryResults): DerivedSignals {
  const out: DerivedSignals = {};
  const want = (s: SignalName) => wanted.has(s) && state(s, probe).state === 'ok';
  if (want('serviceClient')) out.serviceClient = upstreamRows('osm', 'osm', results, COUNTERS, (s) => osmCluster(label(s, 'envoy_cluster_name')));
  if (want('latency')) {
    const groups = new Map<string, Sample[]>();
    for (const s of results.get(LATENCY.id) ?? []) {
      const key = `${label(s, 'destination_namespace')}/${label(s, 'destination_name')}`;
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(s);
    }
    out.latency = [...groups].map(([key, samples]) => {
      const [namespace, service] = key.split('/');
      return {mesh: 'osm' as const, namespace, service, latencyMs: latencyFrom(samples)};
    });
  }
  if (want('presence')) {
    out.presence = (results.get(PRESENCE.id) ?? []).map((s) => ({mesh: 'osm' as const, namespace: label(s, 'source_namespace') || null, series: s.value, hasWorkloadLabels: label(s, 'source_namespace') !== ''}));
  }
  return out;
}

/** OSM's bundled Prometheus configuration relabels pod metadata as source_* labels. */
function targetLabels(pod: Pod, owner: Subject): Record<string, string> {
  const labels: Record<string, string> = {source_namespace: pod.metadata.namespace ?? 'default', source_pod_name: pod.metadata.name};
  const app = pod.metadata.labels?.app;
  if (app) labels.source_service = app;
  labels.source_workload_kind = owner.kind;
  labels.source_workload_name = owner.name;
  return labels;
}

export const osmMetrics: MeshMetrics = {
  mesh: 'osm',
  probes: PROBES,
  presenceProbe: 'osm.upstream',
  provides: PROVIDES,
  plan,
  derive,
  scrape: {port: 15010, path: '/stats/prometheus'},
  targetLabels,
};
