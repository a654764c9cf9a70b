/**
 * Consul service mesh metric knowledge (docs/rules.md §4.4, Consul's Envoy bootstrap stats_tags (hashicorp/consul)):
 * Envoy stats scraped on 20200 `/metrics`, labelled by Consul's stats tags. Subjects are caller-side
 * per destination service (`consul_destination_service`); the Consul namespace is not a Kubernetes
 * namespace, so rows carry no namespace and checks map the service to a Kubernetes Service by name.
 */
import type {Pod} from '../../core/kube-types/index.js';
import type {SignalMeshState, SignalName} from '../../core/signals.js';
import type {Subject} from '../../core/types.js';
import type {UpstreamCounter} from '../envoy-upstream.js';
import {UPSTREAM_RQ_TOTAL, UPSTREAM_RQ_XX, upstreamQueries, upstreamRows} from '../envoy-upstream.js';
import type {DerivedSignals, MeshMetrics, MeshPlan, MetricQuery, Probe, ProbeResult, QueryResults, Sample} from '../metric-query.js';
import {absent, label, latencyFrom, ok, planSignals} from '../metric-query.js';

const CS = ['consul_destination_service'];
const COUNTERS: readonly UpstreamCounter[] = [
  {family: UPSTREAM_RQ_TOTAL, role: 'requests'},
  {family: 'envoy_cluster_upstream_cx_total', role: 'connections'},
  {family: 'envoy_cluster_upstream_rq_pending_overflow', flag: 'UO'},
  {family: 'envoy_cluster_upstream_cx_none_healthy', flag: 'UH'},
  {family: 'envoy_cluster_upstream_rq_timeout', flag: 'UT'},
  {family: 'envoy_cluster_upstream_cx_connect_fail', flag: 'UF|URX', per: 'connections'},
];

const PROBES: readonly Probe[] = [
  {id: 'consul.upstream', family: UPSTREAM_RQ_XX, label: 'consul_destination_service'},
  {id: 'consul.latency', family: 'envoy_cluster_upstream_rq_time_bucket', label: 'consul_destination_service'},
  {id: 'consul.xds', family: 'envoy_control_plane_connected_state'},
];

const QUERIES: readonly MetricQuery[] = upstreamQueries('consul', CS, COUNTERS);
const LATENCY: MetricQuery = {id: 'consul.latency', kind: 'quantiles', families: ['envoy_cluster_upstream_rq_time_bucket'], matchers: [{label: 'consul_destination_service', op: '!=', value: ''}], by: CS};
const XDS: MetricQuery = {id: 'consul.xds', kind: 'max-over', range: 'double', families: ['envoy_control_plane_connected_state'], by: ['namespace', 'pod', 'local_cluster']};
const PRESENCE: MetricQuery = {id: 'consul.presence', kind: 'value', agg: 'count', families: ['envoy_server_live'], by: ['namespace']};

const PROVIDES: readonly SignalName[] = ['serviceClient', 'latency', 'xdsConnected', 'presence'];

function state(signal: SignalName, probe: ProbeResult): SignalMeshState {
  switch (signal) {
    case 'serviceClient':
      return probe.has('consul.upstream') ? ok : absent(`no ${UPSTREAM_RQ_XX} series with consul_destination_service (Consul's Envoy stats not scraped?)`);
    case 'latency':
      return probe.has('consul.latency') ? ok : absent('no envoy_cluster_upstream_rq_time_bucket series');
    case 'xdsConnected':
      return probe.has('consul.xds') ? ok : absent('no envoy_control_plane_connected_state series');
    case 'presence':
      return ok;
    default:
      return absent(`Consul has no ${signal} signal`);
  }
}

function plan(wanted: ReadonlySet<SignalName>, probe: ProbeResult): MeshPlan {
  const queriesFor: Partial<Record<SignalName, readonly MetricQuery[]>> = {serviceClient: QUERIES, latency: [LATENCY], xdsConnected: [XDS], presence: [PRESENCE]};
  return planSignals(PROVIDES, wanted, (signal) => state(signal, probe), (signal) => queriesFor[signal] ?? []);
}

function derive(wanted: ReadonlySet<SignalName>, probe: ProbeResult, results: QueryResults): DerivedSignals {
  const out: DerivedSignals = {};
  const want = (s: SignalName) => wanted.has(s) && state(s, probe).state === 'ok';
  if (want('serviceClient')) {
    out.serviceClient = upstreamRows('consul', 'consul', results, COUNTERS, (s) => {
      const svc = label(s, 'consul_destination_service');
      return svc ? [undefined, svc] : undefined;
    });
  }
  if (want('latency')) {
    const groups = new Map<string, Sample[]>();
    for (const s of results.get(LATENCY.id) ?? []) {
      const svc = label(s, 'consul_destination_service');
      if (svc) (groups.get(svc) ?? groups.set(svc, []).get(svc)!).push(s);
    }
    out.latency = [...groups].map(([service, samples]) => ({mesh: 'consul' as const, service, latencyMs: latencyFrom(samples)}));
  }
  if (want('xdsConnected')) {
    out.xdsConnected = (results.get(XDS.id) ?? []).map((s) => ({
      ...(label(s, 'namespace') ? {namespace: label(s, 'namespace')} : {}),
      ...(label(s, 'pod') ? {pod: label(s, 'pod')} : {}),
      ...(label(s, 'local_cluster') ? {localCluster: label(s, 'local_cluster')} : {}),
      connected: s.value > 0,
    }));
  }
  if (want('presence')) {
    out.presence = (results.get(PRESENCE.id) ?? []).map((s) => ({mesh: 'consul' as const, namespace: label(s, 'namespace') || null, series: s.value, hasWorkloadLabels: true}));
  }
  return out;
}

function targetLabels(pod: Pod, _owner: Subject): Record<string, string> {
  return {namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name};
}

export const consulMetrics: MeshMetrics = {
  mesh: 'consul',
  probes: PROBES,
  presenceProbe: 'consul.upstream',
  provides: PROVIDES,
  plan,
  derive,
  scrape: {port: 20200, path: '/metrics'},
  targetLabels,
};
