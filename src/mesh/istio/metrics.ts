/**
 * Istio metric knowledge (docs/rules.md §4.2, istio/proxy source/extensions/filters/http/istio_stats; istio.io "Istio Standard Metrics"): which series feed which signal,
 * with which reporter. Server-side facts (success, latency, mTLS) use `reporter="destination"`
 * because the client side always says `connection_security_policy="unknown"`; client-observed
 * failures and response flags use `reporter="source"`, because requests that never reached a server
 * (UH, UF, URX, NR, UO) exist only there. Success is non-5xx, as in Istio's dashboards.
 */
import type {Pod} from '../../core/kube-types/index.js';
import type {
  ClientInboundRow, EdgeRow, FlagGroup, InboundRow, LatencyRow, NoRouteRow, OutboundLatencyRow, PlaintextRow, ServiceClientRow, SignalMeshState, SignalName,
} from '../../core/signals.js';
import {FLAG_GROUPS, hasFlag} from '../../core/signals.js';
import type {Subject} from '../../core/types.js';
import type {DerivedSignals, MeshMetrics, MeshPlan, MetricQuery, PlanOptions, Probe, ProbeResult, QueryResults, Sample} from '../metric-query.js';
import {absent, edgeKey, label, latencyByKey, ok, PART_LABEL, planSignals, Rows} from '../metric-query.js';

export const ISTIO_REQUESTS = 'istio_requests_total';
export const ISTIO_DURATION_MS = 'istio_request_duration_milliseconds_bucket';
export const ISTIO_DURATION_S = 'istio_request_duration_seconds_bucket';
export const ISTIO_TCP_OPENED = 'istio_tcp_connections_opened_total';
export const ISTIO_TCP_CLOSED = 'istio_tcp_connections_closed_total';
export const ISTIO_PRESENCE = 'envoy_server_live';
export const CITADEL_ROOT_EXPIRY = 'citadel_server_root_cert_expiry_timestamp';
export const CITADEL_CHAIN_EXPIRY = 'citadel_server_cert_chain_expiry_timestamp';

/** Default Envoy histogram buckets (ms) that Istio's request-duration histogram uses. */
export const ISTIO_DURATION_BUCKETS_MS: readonly number[] = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

/** destination_service_name values that are Envoy catch-all clusters, not Services. */
export const SPECIAL_CLUSTERS = new Set(['BlackHoleCluster', 'PassthroughCluster', 'InboundPassthroughClusterIpv4', 'InboundPassthroughClusterIpv6', 'InboundPassthroughCluster']);

const DST_WL = ['destination_workload_namespace', 'destination_workload'];
const DST_SVC = ['destination_service_namespace', 'destination_service_name'];
const SRC_WL = ['source_workload_namespace', 'source_workload'];

const P = {
  requests: 'istio.requests',
  flags: 'istio.requests.response_flags',
  csp: 'istio.requests.connection_security_policy',
  workload: 'istio.requests.destination_workload',
  ms: 'istio.duration.ms',
  seconds: 'istio.duration.seconds',
  tcp: 'istio.tcp',
  tcpCsp: 'istio.tcp.connection_security_policy',
  tcpFlags: 'istio.tcp.response_flags',
  live: 'istio.live',
  citadel: 'istio.citadel',
} as const;

const PROBES: readonly Probe[] = [
  {id: P.requests, family: ISTIO_REQUESTS},
  {id: P.flags, family: ISTIO_REQUESTS, label: 'response_flags'},
  {id: P.csp, family: ISTIO_REQUESTS, label: 'connection_security_policy'},
  {id: P.workload, family: ISTIO_REQUESTS, label: 'destination_workload'},
  {id: P.ms, family: ISTIO_DURATION_MS},
  {id: P.seconds, family: ISTIO_DURATION_S},
  {id: P.tcp, family: ISTIO_TCP_OPENED},
  {id: P.tcpCsp, family: ISTIO_TCP_OPENED, label: 'connection_security_policy'},
  {id: P.tcpFlags, family: ISTIO_TCP_CLOSED, label: 'response_flags'},
  {id: P.live, family: ISTIO_PRESENCE},
  {id: P.citadel, family: CITADEL_ROOT_EXPIRY},
];

const Q = {
  requests: 'istio.requests',
  latency: 'istio.latency',
  edgeLatency: 'istio.edgeLatency',
  tcpServer: 'istio.tcpServer',
  tcpOpen: 'istio.tcpOpen',
  tcpClosed: 'istio.tcpClientClosed',
  tcpEgress: 'istio.tcpEgress',
  noTrafficHttp: 'istio.noTrafficHttp',
  noTrafficTcp: 'istio.noTrafficTcp',
  presence: 'istio.presence',
  ca: 'istio.caExpiry',
} as const;

const dest = {label: 'reporter', op: '=', value: 'destination'} as const;
const source = {label: 'reporter', op: '=', value: 'source'} as const;
const serverOrCaller = {label: 'reporter', op: '=~', value: 'destination|source'} as const;

const QUERIES: Readonly<Record<string, MetricQuery>> = {
  // Servers' and callers' counts in one query, told apart by `reporter` (the labels one side adds are
  // constant on the other: response flags are "-" at servers, the security policy "unknown" at callers).
  [Q.requests]: {id: Q.requests, kind: 'increase', families: [ISTIO_REQUESTS], matchers: [serverOrCaller], by: ['reporter', ...SRC_WL, ...DST_WL, ...DST_SVC, 'response_code', 'response_flags', 'connection_security_policy']},
  [Q.tcpServer]: {id: Q.tcpServer, kind: 'increase', families: [ISTIO_TCP_OPENED], matchers: [dest], by: [...DST_WL, ...SRC_WL, 'connection_security_policy']},
  [Q.tcpOpen]: {id: Q.tcpOpen, kind: 'value', families: [ISTIO_TCP_OPENED, ISTIO_TCP_CLOSED], matchers: [dest], by: ['__name__', ...DST_WL]},
  [Q.tcpClosed]: {id: Q.tcpClosed, kind: 'increase', families: [ISTIO_TCP_CLOSED], matchers: [source], by: [...DST_SVC, 'response_flags']},
  [Q.tcpEgress]: {id: Q.tcpEgress, kind: 'increase', families: [ISTIO_TCP_OPENED], matchers: [source, {label: 'destination_service_name', op: '=~', value: 'BlackHoleCluster|PassthroughCluster'}], by: [...SRC_WL, 'destination_service_name']},
  [Q.noTrafficHttp]: {id: Q.noTrafficHttp, kind: 'increase', range: 'noTraffic', families: [ISTIO_REQUESTS], matchers: [dest], by: DST_WL},
  [Q.noTrafficTcp]: {id: Q.noTrafficTcp, kind: 'increase', range: 'noTraffic', families: [ISTIO_TCP_OPENED], matchers: [dest], by: DST_WL},
  [Q.presence]: {id: Q.presence, kind: 'value', agg: 'count', families: [ISTIO_PRESENCE], by: ['namespace']},
  [Q.ca]: {id: Q.ca, kind: 'value', agg: 'max', families: [CITADEL_ROOT_EXPIRY, CITADEL_CHAIN_EXPIRY], by: ['__name__', 'pod']},
};

/**
 * Latency quantiles. Per workload: as its servers measured it (part `server`), and as each workload
 * measured the requests it sent (part `source`: reporter="source", which is how a gateway reports —
 * istio.io docs/reference/config/telemetry/metrics: "source if report is from a client Istio proxy
 * or a gateway"). Per edge: as the server measured it.
 */
function latencyQuery(probe: ProbeResult, perEdge = false): MetricQuery | undefined {
  const family = probe.has(P.ms) ? ISTIO_DURATION_MS : probe.has(P.seconds) ? ISTIO_DURATION_S : undefined;
  if (!family) return undefined;
  const scale = family === ISTIO_DURATION_S ? {scale: 1000} : {};
  if (perEdge) return {id: Q.edgeLatency, kind: 'quantiles', families: [family], matchers: [dest], by: [...DST_WL, ...SRC_WL], ...scale};
  return {id: Q.latency, kind: 'quantiles', families: [family], by: [], parts: [{name: 'server', matchers: [dest], by: DST_WL}, {name: 'source', matchers: [source], by: SRC_WL}], ...scale};
}

const NO_REQUESTS = `no ${ISTIO_REQUESTS} series in the metrics source (are Istio proxies scraped?)`;

function dropped(labelName: string, family = ISTIO_REQUESTS): SignalMeshState {
  return absent(`${family} has no ${labelName} label (dropped by relabelling or Telemetry customisation?)`);
}

function state(signal: SignalName, probe: ProbeResult): SignalMeshState {
  const requests = probe.has(P.requests);
  const workloadLabel = probe.has(P.workload);
  switch (signal) {
    case 'inbound':
    case 'clientInbound':
    case 'edges':
      if (!requests) return absent(NO_REQUESTS);
      return workloadLabel ? ok : dropped('destination_workload');
    case 'noTraffic':
      if (!requests) return absent(NO_REQUESTS);
      return workloadLabel ? ok : dropped('destination_workload');
    case 'latency':
    case 'outboundLatency':
      if (probe.has(P.ms) || probe.has(P.seconds)) return workloadLabel || !requests ? ok : dropped('destination_workload');
      return absent(`no ${ISTIO_DURATION_MS} series (histogram removed by Telemetry customisation?)`);
    case 'serviceClient':
    case 'noRoute':
      if (!requests) return absent(NO_REQUESTS);
      return probe.has(P.flags) ? ok : dropped('response_flags');
    case 'plaintext':
      if (!requests && !probe.has(P.tcp)) return absent(NO_REQUESTS);
      if (requests && !probe.has(P.csp)) return dropped('connection_security_policy');
      if (probe.has(P.tcp) && !probe.has(P.tcpCsp)) return dropped('connection_security_policy', ISTIO_TCP_OPENED);
      return ok;
    case 'egress':
      return requests || probe.has(P.tcp) ? ok : absent(NO_REQUESTS);
    case 'tcp':
      return probe.has(P.tcp) ? ok : absent(`no ${ISTIO_TCP_OPENED} series (no TCP traffic recorded)`);
    case 'presence':
      return ok;
    case 'caExpiry':
      return probe.has(P.citadel) ? ok : absent(`no ${CITADEL_ROOT_EXPIRY} series (istiod not scraped?)`);
    default:
      return absent(`Istio has no ${signal} signal`);
  }
}

const PROVIDES: readonly SignalName[] = ['inbound', 'latency', 'outboundLatency', 'clientInbound', 'serviceClient', 'noRoute', 'plaintext', 'egress', 'presence', 'noTraffic', 'edges', 'tcp', 'caExpiry'];

const NEEDS: Readonly<Partial<Record<SignalName, readonly string[]>>> = {
  inbound: [Q.requests],
  plaintext: [Q.requests, Q.tcpServer],
  clientInbound: [Q.requests],
  serviceClient: [Q.requests, Q.tcpClosed],
  noRoute: [Q.requests],
  egress: [Q.requests, Q.tcpEgress],
  tcp: [Q.tcpOpen],
  noTraffic: [Q.noTrafficHttp, Q.noTrafficTcp],
  presence: [Q.presence],
  caExpiry: [Q.ca],
};

function plan(wanted: ReadonlySet<SignalName>, probe: ProbeResult, options: PlanOptions = {}): MeshPlan {
  return planSignals(PROVIDES, wanted, (signal) => state(signal, probe), (signal) => {
    if (signal === 'latency' || signal === 'outboundLatency') {
      const q = latencyQuery(probe);
      return q ? [q] : [];
    }
    if (signal === 'edges') {
      // An edge's latency is what its server measured: requests that never reached one have none.
      const q = options.edgeLatency !== false ? latencyQuery(probe, true) : undefined;
      return q ? [QUERIES[Q.requests], q] : [QUERIES[Q.requests]];
    }
    // TCP sub-queries only when Istio recorded TCP at all.
    const tcp = new Set<string>([Q.tcpServer, Q.tcpClosed, Q.tcpEgress, Q.noTrafficTcp]);
    return (NEEDS[signal] ?? []).filter((id) => probe.has(P.tcp) || !tcp.has(id)).map((id) => QUERIES[id]);
  });
}

const is5xx = (code: string) => /^5\d\d$/.test(code);
const known = (name: string) => name !== '' && name !== 'unknown';

function addTokens(into: Record<string, number>, flags: string, value: number): void {
  if (!flags || flags === '-') return;
  for (const token of flags.split(',')) {
    const t = token.trim();
    if (t) into[t] = (into[t] ?? 0) + value;
  }
}

function addGroups(into: Partial<Record<FlagGroup, number>>, flags: string, value: number): void {
  for (const g of FLAG_GROUPS) if (hasFlag(flags, g)) into[g] = (into[g] ?? 0) + value;
}

function derive(wanted: ReadonlySet<SignalName>, probe: ProbeResult, results: QueryResults): DerivedSignals {
  const out: DerivedSignals = {};
  const get = (id: string): readonly Sample[] => results.get(id) ?? [];
  const requests = get(Q.requests);
  const server = requests.filter((s) => label(s, 'reporter') === 'destination');
  const client = requests.filter((s) => label(s, 'reporter') === 'source');
  const want = (s: SignalName) => wanted.has(s) && state(s, probe).state === 'ok';

  if (want('inbound') || want('plaintext')) {
    const inbound = new Rows<{namespace: string; workload: string; requests: number; successes: number}>(() => ({namespace: '', workload: '', requests: 0, successes: 0}));
    const plain = new Rows<{namespace: string; workload: string; srcNamespace?: string; srcWorkload?: string; total: number; plaintext: number}>(() => ({namespace: '', workload: '', total: 0, plaintext: 0}));
    const addPlain = (s: Sample) => {
      const ns = label(s, 'destination_workload_namespace');
      const wl = label(s, 'destination_workload');
      if (!known(wl)) return;
      const srcNs = label(s, 'source_workload_namespace');
      const srcWl = label(s, 'source_workload');
      const row = plain.at(`${ns}/${wl}|${srcNs}/${srcWl}`);
      Object.assign(row, {namespace: ns, workload: wl, ...(known(srcWl) ? {srcNamespace: srcNs, srcWorkload: srcWl} : {})});
      row.total += s.value;
      if (label(s, 'connection_security_policy') === 'none') row.plaintext += s.value;
    };
    for (const s of server) {
      const ns = label(s, 'destination_workload_namespace');
      const wl = label(s, 'destination_workload');
      if (!known(wl)) continue;
      const row = inbound.at(`${ns}/${wl}`);
      row.namespace = ns;
      row.workload = wl;
      row.requests += s.value;
      if (!is5xx(label(s, 'response_code'))) row.successes += s.value;
      addPlain(s);
    }
    for (const s of get(Q.tcpServer)) addPlain(s);
    if (want('inbound')) out.inbound = [...inbound.entries()].map(([, r]): InboundRow => ({mesh: 'istio', ...r}));
    if (want('plaintext')) out.plaintext = [...plain.entries()].map(([, r]): PlaintextRow => ({mesh: 'istio', ...r}));
  }

  for (const [signal, part, prefix] of [['latency', 'server', 'destination'], ['outboundLatency', 'source', 'source']] as const) {
    if (!want(signal)) continue;
    const byWorkload = latencyByKey(get(Q.latency), (s) =>
      (label(s, PART_LABEL) === part && known(label(s, `${prefix}_workload`)) ? `${label(s, `${prefix}_workload_namespace`)}/${label(s, `${prefix}_workload`)}` : undefined));
    out[signal] = [...byWorkload].map(([key, latencyMs]): LatencyRow & OutboundLatencyRow => {
      const [namespace, workload] = key.split('/');
      return {mesh: 'istio', namespace, workload, latencyMs};
    });
  }

  if (want('clientInbound')) {
    const rows = new Rows<{namespace: string; workload: string; requests: number; successes: number; responseFlags: Record<string, number>}>(() => ({namespace: '', workload: '', requests: 0, successes: 0, responseFlags: {}}));
    for (const s of client) {
      const wl = label(s, 'destination_workload');
      if (!known(wl)) continue;
      const row = rows.at(`${label(s, 'destination_workload_namespace')}/${wl}`);
      row.namespace = label(s, 'destination_workload_namespace');
      row.workload = wl;
      row.requests += s.value;
      if (!is5xx(label(s, 'response_code'))) row.successes += s.value;
      addTokens(row.responseFlags, label(s, 'response_flags'), s.value);
    }
    const flagsKnown = probe.has(P.flags);
    out.clientInbound = [...rows.entries()].map(([, r]): ClientInboundRow => {
      const {responseFlags, ...rest} = r;
      return {mesh: 'istio', ...rest, ...(flagsKnown ? {responseFlags} : {})};
    });
  }

  if (want('serviceClient')) {
    type Row = {namespace: string; service: string; requests: number; successes: number; flags: Partial<Record<FlagGroup, number>>; connections: number; connectionFlags: Partial<Record<FlagGroup, number>>};
    const rows = new Rows<Row>(() => ({namespace: '', service: '', requests: 0, successes: 0, flags: {}, connections: 0, connectionFlags: {}}));
    for (const s of client) {
      const name = label(s, 'destination_service_name');
      if (!known(name) || SPECIAL_CLUSTERS.has(name)) continue;
      const row = rows.at(`${label(s, 'destination_service_namespace')}/${name}`);
      row.namespace = label(s, 'destination_service_namespace');
      row.service = name;
      row.requests += s.value;
      if (!is5xx(label(s, 'response_code'))) row.successes += s.value;
      addGroups(row.flags, label(s, 'response_flags'), s.value);
    }
    for (const s of get(Q.tcpClosed)) {
      const name = label(s, 'destination_service_name');
      if (!known(name) || SPECIAL_CLUSTERS.has(name)) continue;
      const row = rows.at(`${label(s, 'destination_service_namespace')}/${name}`);
      row.namespace = label(s, 'destination_service_namespace');
      row.service = name;
      row.connections += s.value;
      addGroups(row.connectionFlags, label(s, 'response_flags'), s.value);
    }
    out.serviceClient = [...rows.entries()].map(([, r]): ServiceClientRow => {
      const {connections, connectionFlags, ...rest} = r;
      return {mesh: 'istio', ...rest, ...(connections > 0 ? {connections, connectionFlags} : {})};
    });
  }

  if (want('noRoute')) {
    const rows = new Rows<{srcNamespace: string; srcWorkload: string; dstNamespace?: string; dstService?: string; requests: number; noRoute: number}>(() => ({srcNamespace: '', srcWorkload: '', requests: 0, noRoute: 0}));
    for (const s of client) {
      const svc = label(s, 'destination_service_name');
      const row = rows.at(`${label(s, 'source_workload_namespace')}/${label(s, 'source_workload')}|${label(s, 'destination_service_namespace')}/${svc}`);
      row.srcNamespace = label(s, 'source_workload_namespace');
      row.srcWorkload = label(s, 'source_workload');
      if (known(svc)) {
        row.dstService = svc;
        row.dstNamespace = label(s, 'destination_service_namespace');
      }
      row.requests += s.value;
      if (hasFlag(label(s, 'response_flags'), 'NR')) row.noRoute += s.value;
    }
    out.noRoute = [...rows.entries()].map(([, r]): NoRouteRow => r).filter((r) => r.requests > 0);
  }

  if (want('egress')) {
    const rows = new Rows<{namespace: string; workload: string; blackhole: number; passthrough: number}>(() => ({namespace: '', workload: '', blackhole: 0, passthrough: 0}));
    const add = (s: Sample) => {
      const svc = label(s, 'destination_service_name');
      const kind = svc === 'BlackHoleCluster' ? 'blackhole' : svc === 'PassthroughCluster' ? 'passthrough' : undefined;
      if (!kind) return;
      const row = rows.at(`${label(s, 'source_workload_namespace')}/${label(s, 'source_workload')}`);
      row.namespace = label(s, 'source_workload_namespace');
      row.workload = label(s, 'source_workload');
      row[kind] += s.value;
    };
    client.forEach(add);
    get(Q.tcpEgress).forEach(add);
    out.egress = [...rows.entries()].map(([, r]) => r).filter((r) => known(r.workload));
  }

  if (want('edges')) {
    const rows = new Rows<{srcNamespace: string; srcWorkload: string; dstNamespace: string; dstWorkload?: string; dstService?: string; requests: number; successes: number; responseFlags: Record<string, number>}>(
      () => ({srcNamespace: '', srcWorkload: '', dstNamespace: '', requests: 0, successes: 0, responseFlags: {}}));
    for (const s of client) {
      const src = label(s, 'source_workload');
      if (!known(src)) continue;
      const dstWl = label(s, 'destination_workload');
      const dstSvc = label(s, 'destination_service_name');
      const dstNs = known(dstWl) ? label(s, 'destination_workload_namespace') : label(s, 'destination_service_namespace');
      const row = rows.at(`${label(s, 'source_workload_namespace')}/${src}|${dstNs}/${dstWl}|${dstSvc}`);
      Object.assign(row, {srcNamespace: label(s, 'source_workload_namespace'), srcWorkload: src, dstNamespace: dstNs});
      if (known(dstWl)) row.dstWorkload = dstWl;
      if (known(dstSvc)) row.dstService = dstSvc;
      row.requests += s.value;
      if (!is5xx(label(s, 'response_code'))) row.successes += s.value;
      addTokens(row.responseFlags, label(s, 'response_flags'), s.value);
    }
    const latencies = latencyByKey(get(Q.edgeLatency), (s) =>
      edgeKey(label(s, 'source_workload_namespace'), label(s, 'source_workload'), label(s, 'destination_workload_namespace'), label(s, 'destination_workload')));
    out.edges = [...rows.entries()].map(([, r]): EdgeRow => ({
      mesh: 'istio', ...r, latencyMs: (r.dstWorkload && latencies.get(edgeKey(r.srcNamespace, r.srcWorkload, r.dstNamespace, r.dstWorkload))) || null,
    }));
  }

  if (want('tcp')) {
    const rows = new Rows<{namespace: string; workload: string; opened: number; closed: number}>(() => ({namespace: '', workload: '', opened: 0, closed: 0}));
    for (const s of get(Q.tcpOpen)) {
      const wl = label(s, 'destination_workload');
      if (!known(wl)) continue;
      const row = rows.at(`${label(s, 'destination_workload_namespace')}/${wl}`);
      row.namespace = label(s, 'destination_workload_namespace');
      row.workload = wl;
      if (label(s, '__name__') === ISTIO_TCP_CLOSED) row.closed += s.value;
      else row.opened += s.value;
    }
    out.tcp = [...rows.entries()].map(([, r]) => ({mesh: 'istio' as const, namespace: r.namespace, workload: r.workload, openConnections: Math.max(0, r.opened - r.closed)}));
  }

  if (want('noTraffic')) {
    const rows = new Rows<{namespace: string; workload: string; requests: number; connections: number}>(() => ({namespace: '', workload: '', requests: 0, connections: 0}));
    for (const [id, field] of [[Q.noTrafficHttp, 'requests'], [Q.noTrafficTcp, 'connections']] as const) {
      for (const s of get(id)) {
        const wl = label(s, 'destination_workload');
        if (!known(wl)) continue;
        const row = rows.at(`${label(s, 'destination_workload_namespace')}/${wl}`);
        row.namespace = label(s, 'destination_workload_namespace');
        row.workload = wl;
        row[field] += s.value;
      }
    }
    out.noTraffic = [...rows.entries()].map(([, r]) => ({mesh: 'istio' as const, ...r}));
  }

  if (want('presence')) {
    out.presence = get(Q.presence).map((s) => ({mesh: 'istio' as const, namespace: label(s, 'namespace') || null, series: s.value, hasWorkloadLabels: true}));
  }

  if (want('caExpiry')) {
    const rows = new Rows<{pod?: string; rootExpiresAt: number | null; chainExpiresAt: number | null}>(() => ({rootExpiresAt: null, chainExpiresAt: null}));
    for (const s of get(Q.ca)) {
      const pod = label(s, 'pod');
      const row = rows.at(pod);
      if (pod) row.pod = pod;
      if (label(s, '__name__') === CITADEL_CHAIN_EXPIRY) row.chainExpiresAt = s.value;
      else row.rootExpiresAt = s.value;
    }
    out.caExpiry = [...rows.entries()].map(([, r]) => r);
  }
  return out;
}

/** The istio addon's Prometheus (kubernetes-pods job) adds namespace, pod and the pod's app/version labels. */
function targetLabels(pod: Pod, _owner: Subject): Record<string, string> {
  const labels: Record<string, string> = {namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name};
  for (const key of ['app', 'version']) {
    const v = pod.metadata.labels?.[key];
    if (v) labels[key] = v;
  }
  return labels;
}

export const istioMetrics: MeshMetrics = {
  mesh: 'istio',
  probes: PROBES,
  presenceProbe: P.requests,
  provides: PROVIDES,
  plan,
  derive,
  scrape: {port: 15020, path: '/stats/prometheus'},
  targetLabels,
};
