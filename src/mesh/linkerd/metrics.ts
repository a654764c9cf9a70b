/**
 * Linkerd metric knowledge (docs/rules.md §4.3, linkerd/linkerd2 viz/charts/linkerd-viz/templates/prometheus.yaml): proxy metrics on
 * 4191 `/metrics`, with the workload labels (`namespace`, `deployment`, `statefulset`, …) that
 * linkerd-viz's scrape configuration adds from the `linkerd.io/proxy-<kind>` pod labels. Success is
 * the proxy's own `classification` (5xx and failing gRPC statuses are failures, 4xx is success);
 * latency is time to first byte from `response_latency_ms`.
 */
import type {Pod} from '../../core/kube-types/index.js';
import type {ClientInboundRow, EdgeRow, InboundRow, LatencyRow, OutboundLatencyRow, ServiceClientRow, SignalMeshState, SignalName} from '../../core/signals.js';
import type {Subject} from '../../core/types.js';
import type {DerivedSignals, MeshMetrics, MeshPlan, MetricQuery, PlanOptions, Probe, ProbeResult, QueryResults, Sample} from '../metric-query.js';
import {absent, edgeKey, label, latencyByKey, latencyFrom, ok, PART_LABEL, planSignals, Rows} from '../metric-query.js';

export const LINKERD_RESPONSES = 'response_total';
export const LINKERD_LATENCY = 'response_latency_ms_bucket';
export const LINKERD_TCP_OPEN = 'tcp_open_connections';
export const LINKERD_TCP_OPEN_TOTAL = 'tcp_open_total';
export const LINKERD_ROUTE_STATUSES = ['outbound_http_route_request_statuses_total', 'outbound_grpc_route_request_statuses_total'];
export const LINKERD_AUTHZ_DENY = ['inbound_http_authz_deny_total', 'inbound_tcp_authz_deny_total'];
export const LINKERD_ROUTE_NOT_FOUND = 'inbound_http_route_not_found_total';
/** Renamed in linkerd2-proxy (2024): query both names. */
export const LINKERD_CERT_EXPIRY = ['control_identity_cert_expiration_timestamp_seconds', 'identity_cert_expiration_timestamp_seconds'];
export const LINKERD_CERT_REFRESHES = ['control_identity_cert_refreshes_total', 'identity_cert_refreshes_total'];
export const LINKERD_PRESENCE = 'proxy_build_info';

/** The proxy's latency buckets (ms), linkerd/metrics/src/latency.rs. */
export const LINKERD_LATENCY_BUCKETS_MS: readonly number[] = [1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 40000, 50000];

/** Workload labels viz adds, and the kind each names. */
export const WORKLOAD_LABELS: readonly (readonly [string, string])[] = [
  ['deployment', 'Deployment'], ['statefulset', 'StatefulSet'], ['daemonset', 'DaemonSet'], ['k8s_job', 'Job'],
];
const WL = ['namespace', ...WORKLOAD_LABELS.map(([l]) => l)];
const DST_WL = ['dst_namespace', 'dst_deployment', 'dst_statefulset', 'dst_daemonset'];

const P = {
  responses: 'linkerd.responses',
  tls: 'linkerd.responses.tls',
  namespace: 'linkerd.responses.namespace',
  latency: 'linkerd.latency',
  tcp: 'linkerd.tcp',
  routes: 'linkerd.routeStatuses',
  expiry: 'linkerd.identityExpiry',
  expiryOld: 'linkerd.identityExpiryOld',
  build: 'linkerd.build',
} as const;

const PROBES: readonly Probe[] = [
  {id: P.responses, family: LINKERD_RESPONSES},
  {id: P.tls, family: LINKERD_RESPONSES, label: 'tls'},
  {id: P.namespace, family: LINKERD_RESPONSES, label: 'namespace'},
  ...WORKLOAD_LABELS.map(([l]): Probe => ({id: `linkerd.responses.${l}`, family: LINKERD_RESPONSES, label: l})),
  {id: P.latency, family: LINKERD_LATENCY},
  {id: P.tcp, family: LINKERD_TCP_OPEN},
  {id: P.routes, family: LINKERD_ROUTE_STATUSES[0]},
  {id: P.expiry, family: LINKERD_CERT_EXPIRY[0]},
  {id: P.expiryOld, family: LINKERD_CERT_EXPIRY[1]},
  {id: P.build, family: LINKERD_PRESENCE},
];

const Q = {
  inbound: 'linkerd.inbound',
  outbound: 'linkerd.outbound',
  latency: 'linkerd.latency',
  tcp: 'linkerd.tcpOpen',
  routes: 'linkerd.routeStatuses',
  authz: 'linkerd.authzDenials',
  notFound: 'linkerd.routeNotFound',
  expiry: 'linkerd.leafExpiry',
  refreshErrors: 'linkerd.leafRefreshErrors',
  noTrafficHttp: 'linkerd.noTrafficHttp',
  noTrafficTcp: 'linkerd.noTrafficTcp',
  presence: 'linkerd.presence',
} as const;

const inbound = {label: 'direction', op: '=', value: 'inbound'} as const;
const outbound = {label: 'direction', op: '=', value: 'outbound'} as const;

const QUERIES: Readonly<Record<string, MetricQuery>> = {
  [Q.inbound]: {id: Q.inbound, kind: 'increase', families: [LINKERD_RESPONSES], matchers: [inbound], by: [...WL, 'classification', 'tls', 'route_name']},
  [Q.outbound]: {id: Q.outbound, kind: 'increase', families: [LINKERD_RESPONSES], matchers: [outbound], by: [...WL, ...DST_WL, 'dst_service', 'classification']},
  // One query in three parts: per workload as its proxies served it (inbound), per edge as each
  // caller saw it (outbound, with the dst_ labels), and per workload over all it sent (outbound
  // without dst_: a client's or gateway's own latency, as `linkerd viz stat --from` groups it).
  [Q.latency]: {id: Q.latency, kind: 'quantiles', families: [LINKERD_LATENCY], by: [], parts: [
    {name: 'inbound', matchers: [inbound], by: ['direction', ...WL]},
    {name: 'edge', matchers: [outbound], by: ['direction', ...WL, ...DST_WL]},
    {name: 'sent', matchers: [outbound], by: WL},
  ]},
  [Q.tcp]: {id: Q.tcp, kind: 'value', families: [LINKERD_TCP_OPEN], matchers: [inbound], by: WL},
  [Q.routes]: {id: Q.routes, kind: 'increase', families: LINKERD_ROUTE_STATUSES, by: ['parent_namespace', 'parent_name', 'error']},
  [Q.authz]: {id: Q.authz, kind: 'increase', families: LINKERD_AUTHZ_DENY, by: [...WL, 'srv_name', 'route_name']},
  [Q.notFound]: {id: Q.notFound, kind: 'increase', families: [LINKERD_ROUTE_NOT_FOUND], by: [...WL, 'srv_name']},
  [Q.expiry]: {id: Q.expiry, kind: 'value', agg: 'min', families: LINKERD_CERT_EXPIRY, by: [...WL, 'pod']},
  [Q.refreshErrors]: {id: Q.refreshErrors, kind: 'increase', families: LINKERD_CERT_REFRESHES, matchers: [{label: 'result', op: '=', value: 'error'}], by: ['namespace', 'pod']},
  [Q.noTrafficHttp]: {id: Q.noTrafficHttp, kind: 'increase', range: 'noTraffic', families: [LINKERD_RESPONSES], matchers: [inbound, {label: 'route_name', op: '!=', value: 'probe'}], by: WL},
  [Q.noTrafficTcp]: {id: Q.noTrafficTcp, kind: 'increase', range: 'noTraffic', families: [LINKERD_TCP_OPEN_TOTAL], matchers: [inbound, {label: 'tls', op: '=', value: 'true'}], by: WL},
  [Q.presence]: {id: Q.presence, kind: 'value', agg: 'count', families: [LINKERD_PRESENCE], by: WL},
};

const PROVIDES: readonly SignalName[] = ['inbound', 'latency', 'outboundLatency', 'clientInbound', 'serviceClient', 'plaintext', 'authzDenials', 'routeNotFound', 'leafCerts', 'presence', 'noTraffic', 'routeTimeouts', 'edges', 'tcp'];

const NEEDS: Readonly<Partial<Record<SignalName, readonly string[]>>> = {
  inbound: [Q.inbound],
  plaintext: [Q.inbound],
  latency: [Q.latency],
  outboundLatency: [Q.latency],
  clientInbound: [Q.outbound],
  serviceClient: [Q.outbound],
  edges: [Q.outbound],
  tcp: [Q.tcp],
  routeTimeouts: [Q.routes],
  authzDenials: [Q.authz],
  routeNotFound: [Q.notFound],
  leafCerts: [Q.expiry, Q.refreshErrors],
  noTraffic: [Q.noTrafficHttp, Q.noTrafficTcp],
  presence: [Q.presence],
};

const NO_RESPONSES = `no ${LINKERD_RESPONSES} series in the metrics source (are Linkerd proxies scraped?)`;

function workloadLabels(probe: ProbeResult): boolean {
  return probe.has(P.namespace) && WORKLOAD_LABELS.some(([l]) => probe.has(`linkerd.responses.${l}`));
}

const NO_WORKLOAD_LABELS = `${LINKERD_RESPONSES} has no namespace/deployment/statefulset/daemonset labels: the scrape configuration lacks linkerd-viz's relabelling (MD1005)`;

function state(signal: SignalName, probe: ProbeResult): SignalMeshState {
  const responses = probe.has(P.responses);
  switch (signal) {
    case 'inbound':
    case 'clientInbound':
    case 'serviceClient':
    case 'edges':
    case 'authzDenials':
    case 'routeNotFound':
    case 'noTraffic':
      if (!responses) return absent(NO_RESPONSES);
      return workloadLabels(probe) ? ok : absent(NO_WORKLOAD_LABELS);
    case 'plaintext':
      if (!responses) return absent(NO_RESPONSES);
      if (!probe.has(P.tls)) return absent(`${LINKERD_RESPONSES} has no tls label (dropped by relabelling?)`);
      return workloadLabels(probe) ? ok : absent(NO_WORKLOAD_LABELS);
    case 'latency':
    case 'outboundLatency':
      if (!probe.has(P.latency)) return absent(`no ${LINKERD_LATENCY} series`);
      return !responses || workloadLabels(probe) ? ok : absent(NO_WORKLOAD_LABELS);
    case 'tcp':
      return probe.has(P.tcp) ? ok : absent(`no ${LINKERD_TCP_OPEN} series`);
    case 'routeTimeouts':
      return probe.has(P.routes) ? ok : absent(`no ${LINKERD_ROUTE_STATUSES[0]} series (Linkerd before 2.16 has no route status metrics, or no HTTPRoute/GRPCRoute traffic)`);
    case 'leafCerts':
      return probe.has(P.expiry) || probe.has(P.expiryOld) ? ok : absent(`no ${LINKERD_CERT_EXPIRY.join(' or ')} series`);
    case 'presence':
      return ok;
    default:
      return absent(`Linkerd has no ${signal} signal`);
  }
}

function plan(wanted: ReadonlySet<SignalName>, probe: ProbeResult, options: PlanOptions = {}): MeshPlan {
  return planSignals(PROVIDES, wanted, (signal) => state(signal, probe), (signal) => {
    // Edges get their latency from the latency histogram when there is one.
    const ids = signal === 'edges' && probe.has(P.latency) && options.edgeLatency !== false ? [Q.outbound, Q.latency] : (NEEDS[signal] ?? []);
    return ids.map((id) => QUERIES[id]);
  });
}

/** The workload a series belongs to, from viz's labels: [namespace, name, kind]; undefined when it has none. */
export function workloadOf(s: Sample, prefix = ''): [string, string, string] | undefined {
  const ns = label(s, `${prefix}namespace`);
  for (const [l, kind] of WORKLOAD_LABELS) {
    if (prefix && l === 'k8s_job') continue;
    const name = label(s, `${prefix}${l}`);
    if (name) return [ns, name, kind];
  }
  return undefined;
}

function derive(wanted: ReadonlySet<SignalName>, probe: ProbeResult, results: QueryResults): DerivedSignals {
  const out: DerivedSignals = {};
  const get = (id: string): readonly Sample[] => results.get(id) ?? [];
  const want = (s: SignalName) => wanted.has(s) && state(s, probe).state === 'ok';
  const success = (s: Sample) => label(s, 'classification') === 'success';

  if (want('inbound') || want('plaintext')) {
    const rows = new Rows<{namespace: string; workload: string; kind: string; requests: number; successes: number; plaintext: number; total: number}>(
      () => ({namespace: '', workload: '', kind: '', requests: 0, successes: 0, plaintext: 0, total: 0}));
    for (const s of get(Q.inbound)) {
      const wl = workloadOf(s);
      if (!wl) continue;
      const row = rows.at(wl.join('/'));
      [row.namespace, row.workload, row.kind] = wl;
      row.requests += s.value;
      if (success(s)) row.successes += s.value;
      // Kubelet probes are plaintext by design; the default policy names their route `probe`.
      if (label(s, 'route_name') !== 'probe') {
        row.total += s.value;
        if (label(s, 'tls') !== 'true') row.plaintext += s.value;
      }
    }
    const all = [...rows.entries()].map(([, r]) => r);
    if (want('inbound')) out.inbound = all.map((r): InboundRow => ({mesh: 'linkerd', namespace: r.namespace, workload: r.workload, kind: r.kind, requests: r.requests, successes: r.successes}));
    if (want('plaintext')) out.plaintext = all.map((r) => ({mesh: 'linkerd' as const, namespace: r.namespace, workload: r.workload, total: r.total, plaintext: r.plaintext}));
  }

  for (const [signal, part] of [['latency', 'inbound'], ['outboundLatency', 'sent']] as const) {
    if (!want(signal)) continue;
    const groups = new Map<string, {wl: [string, string, string]; samples: Sample[]}>();
    for (const s of get(Q.latency)) {
      if (label(s, PART_LABEL) !== part) continue;
      const wl = workloadOf(s);
      if (!wl) continue;
      const key = wl.join('/');
      (groups.get(key) ?? groups.set(key, {wl, samples: []}).get(key)!).samples.push(s);
    }
    out[signal] = [...groups.values()].map(({wl, samples}): LatencyRow & OutboundLatencyRow => ({mesh: 'linkerd', namespace: wl[0], workload: wl[1], latencyMs: latencyFrom(samples)}));
  }

  const outboundSamples = get(Q.outbound);
  if (want('clientInbound')) {
    const rows = new Rows<{namespace: string; workload: string; requests: number; successes: number}>(() => ({namespace: '', workload: '', requests: 0, successes: 0}));
    for (const s of outboundSamples) {
      const dst = workloadOf(s, 'dst_');
      if (!dst) continue;
      const row = rows.at(dst.join('/'));
      row.namespace = dst[0];
      row.workload = dst[1];
      row.requests += s.value;
      if (success(s)) row.successes += s.value;
    }
    out.clientInbound = [...rows.entries()].map(([, r]): ClientInboundRow => ({mesh: 'linkerd', ...r}));
  }
  if (want('serviceClient')) {
    const rows = new Rows<{namespace: string; service: string; requests: number; successes: number}>(() => ({namespace: '', service: '', requests: 0, successes: 0}));
    for (const s of outboundSamples) {
      const svc = label(s, 'dst_service');
      if (!svc) continue;
      const row = rows.at(`${label(s, 'dst_namespace')}/${svc}`);
      row.namespace = label(s, 'dst_namespace');
      row.service = svc;
      row.requests += s.value;
      if (success(s)) row.successes += s.value;
    }
    out.serviceClient = [...rows.entries()].map(([, r]): ServiceClientRow => ({mesh: 'linkerd', ...r, flags: {}}));
  }
  if (want('edges')) {
    const rows = new Rows<{srcNamespace: string; srcWorkload: string; dstNamespace: string; dstWorkload?: string; dstService?: string; requests: number; successes: number}>(
      () => ({srcNamespace: '', srcWorkload: '', dstNamespace: '', requests: 0, successes: 0}));
    for (const s of outboundSamples) {
      const src = workloadOf(s);
      if (!src) continue;
      const dst = workloadOf(s, 'dst_');
      const svc = label(s, 'dst_service');
      const row = rows.at(`${src.join('/')}|${dst?.join('/') ?? ''}|${svc}`);
      Object.assign(row, {srcNamespace: src[0], srcWorkload: src[1], dstNamespace: dst?.[0] ?? label(s, 'dst_namespace')});
      if (dst) row.dstWorkload = dst[1];
      if (svc) row.dstService = svc;
      row.requests += s.value;
      if (success(s)) row.successes += s.value;
    }
    const latencies = latencyByKey(get(Q.latency), (s) => {
      const src = label(s, PART_LABEL) === 'edge' ? workloadOf(s) : undefined;
      const dst = src && workloadOf(s, 'dst_');
      return src && dst ? edgeKey(src[0], src[1], dst[0], dst[1]) : undefined;
    });
    out.edges = [...rows.entries()].map(([, r]): EdgeRow => ({
      mesh: 'linkerd', ...r, latencyMs: (r.dstWorkload && latencies.get(edgeKey(r.srcNamespace, r.srcWorkload, r.dstNamespace, r.dstWorkload))) || null,
    }));
  }

  if (want('tcp')) {
    const rows = new Rows<{namespace: string; workload: string; openConnections: number}>(() => ({namespace: '', workload: '', openConnections: 0}));
    for (const s of get(Q.tcp)) {
      const wl = workloadOf(s);
      if (!wl) continue;
      const row = rows.at(wl.join('/'));
      row.namespace = wl[0];
      row.workload = wl[1];
      row.openConnections += s.value;
    }
    out.tcp = [...rows.entries()].map(([, r]) => ({mesh: 'linkerd' as const, ...r}));
  }

  if (want('routeTimeouts')) {
    const rows = new Rows<{namespace: string; service: string; requests: number; timeouts: number}>(() => ({namespace: '', service: '', requests: 0, timeouts: 0}));
    for (const s of get(Q.routes)) {
      const name = label(s, 'parent_name');
      if (!name) continue;
      const row = rows.at(`${label(s, 'parent_namespace')}/${name}`);
      row.namespace = label(s, 'parent_namespace');
      row.service = name;
      row.requests += s.value;
      if (/^(RESPONSE_HEADERS_TIMEOUT|REQUEST_TIMEOUT)$/.test(label(s, 'error'))) row.timeouts += s.value;
    }
    out.routeTimeouts = [...rows.entries()].map(([, r]) => ({mesh: 'linkerd' as const, ...r}));
  }

  for (const [signal, id] of [['authzDenials', Q.authz], ['routeNotFound', Q.notFound]] as const) {
    if (!want(signal)) continue;
    const rows = new Rows<{namespace: string; workload: string; count: number; parts: Map<string, number>}>(() => ({namespace: '', workload: '', count: 0, parts: new Map()}));
    for (const s of get(id)) {
      const wl = workloadOf(s);
      if (!wl || s.value <= 0) continue;
      const row = rows.at(wl.join('/'));
      row.namespace = wl[0];
      row.workload = wl[1];
      row.count += s.value;
      const part = [label(s, 'srv_name') && `server ${label(s, 'srv_name')}`, label(s, 'route_name') && `route ${label(s, 'route_name')}`].filter(Boolean).join(' ');
      if (part) row.parts.set(part, (row.parts.get(part) ?? 0) + s.value);
    }
    out[signal] = [...rows.entries()].map(([, r]) => {
      const top = [...r.parts].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k}: ${Math.round(v)}`).join('; ');
      return {mesh: 'linkerd' as const, namespace: r.namespace, workload: r.workload, count: r.count, ...(top ? {detail: top} : {})};
    });
  }

  if (want('leafCerts')) {
    const rows = new Rows<{namespace: string; pod: string; workload?: string; expiresAt: number | null; refreshErrors: number}>(() => ({namespace: '', pod: '', expiresAt: null, refreshErrors: 0}));
    for (const s of get(Q.expiry)) {
      const pod = label(s, 'pod');
      if (!pod) continue;
      const row = rows.at(`${label(s, 'namespace')}/${pod}`);
      row.namespace = label(s, 'namespace');
      row.pod = pod;
      const wl = workloadOf(s);
      if (wl) row.workload = wl[1];
      row.expiresAt = row.expiresAt === null ? s.value : Math.min(row.expiresAt, s.value);
    }
    for (const s of get(Q.refreshErrors)) {
      const pod = label(s, 'pod');
      if (!pod) continue;
      const row = rows.at(`${label(s, 'namespace')}/${pod}`);
      row.namespace = label(s, 'namespace');
      row.pod = pod;
      row.refreshErrors += s.value;
    }
    out.leafCerts = [...rows.entries()].map(([, r]) => r);
  }

  if (want('noTraffic')) {
    const rows = new Rows<{namespace: string; workload: string; requests: number; connections: number}>(() => ({namespace: '', workload: '', requests: 0, connections: 0}));
    for (const [id, field] of [[Q.noTrafficHttp, 'requests'], [Q.noTrafficTcp, 'connections']] as const) {
      for (const s of get(id)) {
        const wl = workloadOf(s);
        if (!wl) continue;
        const row = rows.at(wl.join('/'));
        row.namespace = wl[0];
        row.workload = wl[1];
        row[field] += s.value;
      }
    }
    out.noTraffic = [...rows.entries()].map(([, r]) => ({mesh: 'linkerd' as const, ...r}));
  }

  if (want('presence')) {
    const rows = new Rows<{namespace: string | null; series: number; hasWorkloadLabels: boolean}>(() => ({namespace: null, series: 0, hasWorkloadLabels: false}));
    for (const s of get(Q.presence)) {
      const ns = label(s, 'namespace') || null;
      const row = rows.at(ns ?? '');
      row.namespace = ns;
      row.series += s.value;
      if (workloadOf(s)) row.hasWorkloadLabels = true;
    }
    out.presence = [...rows.entries()].map(([, r]) => ({mesh: 'linkerd' as const, ...r}));
  }
  return out;
}

/** linkerd-viz's `linkerd-proxy` job: namespace, pod, and `linkerd.io/proxy-<kind>` pod labels as `<kind>` (`job` → `k8s_job`). */
function targetLabels(pod: Pod, _owner: Subject): Record<string, string> {
  const labels: Record<string, string> = {namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name};
  for (const [key, value] of Object.entries(pod.metadata.labels ?? {})) {
    const m = /^linkerd\.io\/proxy-(.+)$/.exec(key);
    if (m) labels[m[1] === 'job' ? 'k8s_job' : m[1]] = value;
  }
  const cp = pod.metadata.labels?.['linkerd.io/control-plane-ns'];
  if (cp) labels.control_plane_ns = cp;
  return labels;
}

export const linkerdMetrics: MeshMetrics = {
  mesh: 'linkerd',
  probes: PROBES,
  presenceProbe: P.responses,
  provides: PROVIDES,
  plan,
  derive,
  scrape: {port: 4191, path: '/metrics'},
  targetLabels,
};
