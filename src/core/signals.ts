/**
 * Metric signals (docs/design.md §4): named, typed facts per subject, filled by a metrics source
 * (Prometheus with the per-mesh queries of docs/rules.md §4, or counter deltas from scraping proxies).
 * Checks read signals, never PromQL, so every metric check works on either source.
 *
 * Counts are increases over the signal's window (`SignalSet.windowSeconds`; `noTraffic` uses
 * `noTraffic.window`); a missing series for a label known to exist is 0. A signal whose defining
 * label or family is missing upstream is *absent* for that mesh (`meshes[m].state`), and checks on
 * it skip with the reason instead of passing.
 */
import type {MeshName} from './types.js';

/** Quantiles in milliseconds; null when there was no traffic (never 0 or NaN). */
export type LatencyMs = Readonly<{p50: number | null; p95: number | null; p99: number | null}>;

/** Server-side inbound requests per destination workload (istio reporter=destination, linkerd direction=inbound). */
export type InboundRow = Readonly<{
  mesh: MeshName;
  namespace: string;
  workload: string;
  /** Workload kind when the metric labels tell it (Linkerd `deployment`/`statefulset`/…). */
  kind?: string;
  requests: number;
  successes: number;
}>;

/** Request-duration quantiles per destination workload (istio, linkerd) or per destination service (consul, osm). */
export type LatencyRow = Readonly<{
  mesh: MeshName;
  namespace?: string;
  workload?: string;
  service?: string;
  latencyMs: LatencyMs;
}>;

/**
 * Request-duration quantiles of the requests a workload *sent*, as its own proxy measured them
 * (Istio reporter="source" by source workload — what an ingress gateway's clients waited for —,
 * Linkerd outbound by workload): the latency of a workload that receives no mesh traffic.
 */
export type OutboundLatencyRow = Readonly<{mesh: MeshName; namespace: string; workload: string; latencyMs: LatencyMs}>;

/**
 * Requests per destination workload as the callers saw them (Istio reporter=source, Linkerd
 * outbound): the only place UH, UF, URX, NR and UO failures appear. `responseFlags` counts requests
 * per Envoy flag token (a request with `UF,URX` counts for both).
 */
export type ClientInboundRow = Readonly<{
  mesh: MeshName;
  namespace: string;
  workload: string;
  requests: number;
  successes: number;
  responseFlags?: Readonly<Record<string, number>>;
}>;

/**
 * Flag groups a check counts as one (a request carrying UF and URX is counted once).
 * Consul/OSM Envoy cluster counters map onto the same keys.
 */
export type FlagGroup = 'UO' | 'UH' | 'UF|URX' | 'UT' | 'NR' | 'DC' | 'UC|UR' | 'UPE|DPE' | 'FI|DI';
export const FLAG_GROUPS: readonly FlagGroup[] = ['UO', 'UH', 'UF|URX', 'UT', 'NR', 'DC', 'UC|UR', 'UPE|DPE', 'FI|DI'];

/** Whether a `response_flags` value (`-`, `UH`, `UF,URX`) carries any flag of a group. */
export function hasFlag(responseFlags: string, group: FlagGroup): boolean {
  if (!responseFlags || responseFlags === '-') return false;
  const wanted = group.split('|');
  return responseFlags.split(',').some((t) => wanted.includes(t.trim()));
}

/**
 * Client-side traffic per destination Service (istio reporter=source, linkerd outbound, consul/osm
 * upstream clusters). Shares are `flags[F] / requests`; for TCP (istio connections closed, consul
 * connect failures per connection) `connectionFlags[F] / connections`.
 */
export type ServiceClientRow = Readonly<{
  mesh: MeshName;
  /** Undefined when a metric names a service that maps to no namespace (consul ambiguity). */
  namespace?: string;
  service: string;
  requests: number;
  successes?: number;
  flags: Readonly<Partial<Record<FlagGroup, number>>>;
  connections?: number;
  connectionFlags?: Readonly<Partial<Record<FlagGroup, number>>>;
}>;

/** Istio NR with its source, used when the destination service is unknown (ingress 404s). */
export type NoRouteRow = Readonly<{
  srcNamespace: string;
  srcWorkload: string;
  dstNamespace?: string;
  dstService?: string;
  /** All requests of that source towards that destination (the share's denominator). */
  requests: number;
  noRoute: number;
}>;

/** Inbound plaintext per destination workload and source (HTTP requests and TCP connections together). */
export type PlaintextRow = Readonly<{
  mesh: MeshName;
  namespace: string;
  workload: string;
  srcNamespace?: string;
  srcWorkload?: string;
  total: number;
  plaintext: number;
}>;

/** Requests + connections from a source workload to Istio's BlackHoleCluster / PassthroughCluster. */
export type EgressRow = Readonly<{namespace: string; workload: string; blackhole: number; passthrough: number}>;

/** A count per workload; `detail` names what the count is made of (e.g. the Server and route denied). */
export type CountRow = Readonly<{mesh: MeshName; namespace: string; workload: string; count: number; detail?: string}>;

/** Linkerd proxy identity (leaf) certificate per pod: expiry (epoch seconds) and refresh errors in the window. */
export type LeafCertRow = Readonly<{namespace: string; pod: string; workload?: string; expiresAt: number | null; refreshErrors: number}>;

/** Presence metric per namespace (MD1004/MD1005). `namespace: null` = series without a namespace label. */
export type PresenceRow = Readonly<{mesh: MeshName; namespace: string | null; series: number; hasWorkloadLabels: boolean}>;

/** Inbound requests and connections per workload over `noTraffic.window` (MD6004). */
export type NoTrafficRow = Readonly<{mesh: MeshName; namespace: string; workload: string; requests: number; connections: number}>;

/** Consul: whether Envoy kept its xDS stream (max of `envoy_control_plane_connected_state` over 2 × window). */
export type XdsConnectedRow = Readonly<{namespace?: string; pod?: string; localCluster?: string; connected: boolean}>;

/** Linkerd route timeouts per parent Service (outbound route request statuses). */
export type RouteTimeoutRow = Readonly<{mesh: MeshName; namespace: string; service: string; requests: number; timeouts: number}>;

/** Traffic on one edge, as the caller saw it. */
export type EdgeRow = Readonly<{
  mesh: MeshName;
  srcNamespace: string;
  srcWorkload: string;
  dstNamespace: string;
  dstWorkload?: string;
  dstService?: string;
  requests: number;
  successes: number;
  latencyMs: LatencyMs | null;
  responseFlags?: Readonly<Record<string, number>>;
}>;

/** Open inbound TCP connections per workload, now (a gauge, not a window count). */
export type TcpRow = Readonly<{mesh: MeshName; namespace: string; workload: string; openConnections: number}>;

/** istiod's CA certificate expiry gauges (epoch seconds). */
export type CaExpiryRow = Readonly<{pod?: string; rootExpiresAt: number | null; chainExpiresAt: number | null}>;

export interface SignalRows {
  inbound: InboundRow;
  latency: LatencyRow;
  outboundLatency: OutboundLatencyRow;
  clientInbound: ClientInboundRow;
  serviceClient: ServiceClientRow;
  noRoute: NoRouteRow;
  plaintext: PlaintextRow;
  egress: EgressRow;
  authzDenials: CountRow;
  routeNotFound: CountRow;
  leafCerts: LeafCertRow;
  presence: PresenceRow;
  noTraffic: NoTrafficRow;
  xdsConnected: XdsConnectedRow;
  routeTimeouts: RouteTimeoutRow;
  edges: EdgeRow;
  tcp: TcpRow;
  caExpiry: CaExpiryRow;
}

export type SignalName = keyof SignalRows;

export const SIGNAL_NAMES: readonly SignalName[] = [
  'inbound', 'latency', 'outboundLatency', 'clientInbound', 'serviceClient', 'noRoute', 'plaintext', 'egress', 'authzDenials', 'routeNotFound',
  'leafCerts', 'presence', 'noTraffic', 'xdsConnected', 'routeTimeouts', 'edges', 'tcp', 'caExpiry',
];

/** The signals the golden-metrics view (`stat`, the TUI) is computed from. */
export const GOLDEN_SIGNALS: readonly SignalName[] = ['inbound', 'latency', 'outboundLatency', 'clientInbound', 'plaintext', 'tcp', 'edges'];

/** Per mesh: whether the signal could be computed. `absent` carries the reason (dropped label, missing family). */
export type SignalMeshState = Readonly<{state: 'ok' | 'absent' | 'error'; reason?: string}>;

export type Signal<N extends SignalName = SignalName> = Readonly<{
  rows: readonly SignalRows[N][];
  meshes: Readonly<Partial<Record<MeshName, SignalMeshState>>>;
}>;

/** Where the metrics came from, and what happened to Prometheus when the proxies had to stand in. */
export type MetricsOrigin = Readonly<{
  /** `auto` falls back to proxies when Prometheus is down; MD1003 still reports Prometheus. */
  prometheus?: Readonly<{state: 'ok' | 'unavailable' | 'not-found'; detail?: string; url?: string}>;
  /** Proxy scrape: pods read, and the pods that could not be read (up to a few names). */
  proxies?: Readonly<{scraped: number; failed: number; failedPods?: readonly string[]; skipped?: number}>;
}>;

export type SignalSet = Readonly<{
  source: 'prometheus' | 'proxies' | 'recorded';
  /** Evaluation instant (ISO 8601). */
  at: string;
  /** Window as written (`1m`; `5s (2 proxy scrapes)` for the proxy source) and in seconds. */
  window: string;
  windowSeconds: number;
  signals: Readonly<Partial<{[N in SignalName]: Signal<N>}>>;
  origin?: MetricsOrigin;
  /** Things worth a line in the run (window shorter than 2 × scrape interval, pods not read). */
  warnings?: readonly string[];
}>;

/** Success share, or null when there were no requests (never NaN). */
export function ratio(part: number, total: number): number | null {
  return total > 0 ? part / total : null;
}
