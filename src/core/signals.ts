/**
 * Metric signals (DESIGN.md §4): named, typed facts per subject, filled by a metrics source
 * (Prometheus with the per-mesh PromQL of CHECKS.md §4, or counter deltas from scraping proxies).
 * Checks read signals, never PromQL, so every metric check works on either source.
 *
 * Counts are increases over the signal's window; a missing series for a present label is 0.
 * A signal whose defining label was dropped upstream is *absent* for that mesh (checks skip).
 */
import type {MeshName} from './types.js';

export type LatencyMs = Readonly<{p50: number | null; p95: number | null; p99: number | null}>;

/** Server-side inbound traffic per destination workload (istio reporter=destination, linkerd direction=inbound). */
export type InboundRow = Readonly<{
  mesh: MeshName;
  namespace: string;
  workload: string;
  requests: number;
  successes: number;
  latencyMs: LatencyMs | null;
}>;

/** Istio client-side view per destination workload (reporter=source): failures that never reached the server. */
export type ClientInboundRow = Readonly<{
  mesh: MeshName;
  namespace: string;
  workload: string;
  requests: number;
  successes: number;
}>;

/**
 * Flag groups a check counts as one (a request carrying UF and URX is counted once).
 * Consul/OSM Envoy cluster counters map onto the same keys.
 */
export type FlagGroup = 'UO' | 'UH' | 'UF|URX' | 'UT' | 'NR' | 'DC' | 'UC|UR' | 'UPE|DPE' | 'FI|DI';
export const FLAG_GROUPS: readonly FlagGroup[] = ['UO', 'UH', 'UF|URX', 'UT', 'NR', 'DC', 'UC|UR', 'UPE|DPE', 'FI|DI'];

/** Client-side traffic per destination Service (istio reporter=source, linkerd outbound, consul/osm upstream). */
export type ServiceClientRow = Readonly<{
  mesh: MeshName;
  /** Undefined when a metric names a service that maps to no namespace (consul ambiguity). */
  namespace?: string;
  service: string;
  requests: number;
  successes?: number;
  flags: Readonly<Partial<Record<FlagGroup, number>>>;
  latencyMs?: LatencyMs | null;
}>;

/** Istio NR with its source, used when the destination service is unknown (ingress 404s). */
export type NoRouteRow = Readonly<{
  srcNamespace: string;
  srcWorkload: string;
  dstNamespace?: string;
  dstService?: string;
  requests: number;
  noRoute: number;
}>;

/** Inbound plaintext per destination workload and source (HTTP and TCP together). */
export type PlaintextRow = Readonly<{
  mesh: MeshName;
  namespace: string;
  workload: string;
  srcNamespace?: string;
  srcWorkload?: string;
  total: number;
  plaintext: number;
}>;

export type EgressRow = Readonly<{namespace: string; workload: string; blackhole: number; passthrough: number}>;

export type CountRow = Readonly<{mesh: MeshName; namespace: string; workload: string; count: number; detail?: string}>;

export type LeafCertRow = Readonly<{namespace: string; pod: string; expiresAt: number | null; refreshErrors: number}>;

export type PresenceRow = Readonly<{mesh: MeshName; namespace: string | null; series: number; hasWorkloadLabels: boolean}>;

export type NoTrafficRow = Readonly<{mesh: MeshName; namespace: string; workload: string; requests: number; connections: number}>;

export type XdsConnectedRow = Readonly<{namespace?: string; pod?: string; localCluster?: string; connected: boolean}>;

export type RouteTimeoutRow = Readonly<{mesh: MeshName; namespace: string; service: string; requests: number; timeouts: number}>;

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
  flags?: Readonly<Partial<Record<FlagGroup, number>>>;
}>;

export type TcpRow = Readonly<{mesh: MeshName; namespace: string; workload: string; openConnections: number}>;

export type CaExpiryRow = Readonly<{pod?: string; rootExpiresAt: number | null; chainExpiresAt: number | null}>;

export interface SignalRows {
  inbound: InboundRow;
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

/** Per mesh: whether the signal could be computed. `absent` carries the reason (dropped label, missing family). */
export type SignalMeshState = Readonly<{state: 'ok' | 'absent' | 'error'; reason?: string}>;

export type Signal<N extends SignalName = SignalName> = Readonly<{
  rows: readonly SignalRows[N][];
  meshes: Readonly<Partial<Record<MeshName, SignalMeshState>>>;
}>;

export type SignalSet = Readonly<{
  source: 'prometheus' | 'proxies' | 'recorded';
  /** Evaluation instant (ISO 8601). */
  at: string;
  /** Window as written (`1m`) and in seconds. */
  window: string;
  windowSeconds: number;
  signals: Readonly<Partial<{[N in SignalName]: Signal<N>}>>;
}>;
