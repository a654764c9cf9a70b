/**
 * What a simulated sidecar's Envoy knows at an instant about its outbound clusters, derived from the
 * same traffic simulator that writes its metrics (same graph, same instant: the admin view and the
 * metrics never disagree):
 *   - per host: requests, successes, errors, connect failures — the pod's own
 *     `istio_requests_total{reporter="source"}` counters, spread over the cluster's endpoints (the
 *     requests that reached a workload over its pods' endpoints, the connect failures over all);
 *   - retries: a request flagged `URX` exhausted its route's retries, so each attempt failed to
 *     connect; with a per-attempt failure probability q (q^(1+retries) = the flagged share) the
 *     successful retries follow from the same share;
 *   - outlier detection (a DestinationRule's `consecutiveGatewayErrors`/`consecutive5xxErrors`): a
 *     host is ejected when a run of that many consecutive failed attempts is expected within one
 *     detection interval (q^N × attempts per interval ≥ 1); ejection counts and the healthy-panic
 *     counter (Envoy routes to every host anyway when fewer than `minHealthPercent` are healthy)
 *     integrate that rule over the simulated history in 10 s steps.
 * Pure (reads the simulator).
 */
import {FLAG_EFFECTS} from '../traffic/model.js';
import type {SimPod, TrafficSim} from '../traffic/model.js';
import type {SidecarConfig, SimCluster, SimEndpoint} from './istio-config.js';

export type HostStats = Readonly<{cx_total: number; cx_active: number; cx_connect_fail: number; rq_total: number; rq_success: number; rq_error: number; rq_timeout: number; rq_active: number}>;

export type HostState = Readonly<{endpoint: SimEndpoint; healthy: boolean; ejected: boolean; stats: HostStats}>;

export type ClusterState = Readonly<{cluster: SimCluster; hosts: readonly HostState[]; stats: Readonly<Record<string, number>>}>;

const STEP_SECONDS = 10;

type Counts = {ok: number; serverErrors: number; connectFailures: number; otherFlagged: number};

function zero(): Counts {
  return {ok: 0, serverErrors: 0, connectFailures: 0, otherFlagged: 0};
}

const CONNECT_FLAGS = /(^|,)(UF|URX)(,|$)/;

/** The route's retries for requests to a cluster (what the caller's sidecar would apply). */
function retriesFor(config: SidecarConfig, cluster: string): number {
  for (const rc of config.routes) for (const vh of rc.virtualHosts) for (const r of vh.routes) if (r.clusters.some((c) => c.name === cluster)) return r.retries.numRetries;
  return 2;
}

/** Per-attempt failure probability from the share of requests that failed every attempt. */
function attemptFailure(flaggedShare: number, retries: number): number {
  return flaggedShare <= 0 ? 0 : Math.min(1, flaggedShare ** (1 / (1 + retries)));
}

function ejectedAt(cluster: SimCluster, rpsToCluster: number, connectShare: number, retries: number): boolean {
  const n = cluster.outlier?.consecutiveGatewayErrors ?? cluster.outlier?.consecutive5xxErrors;
  if (!cluster.outlier || !n || connectShare <= 0) return false;
  const q = attemptFailure(connectShare, retries);
  const hosts = Math.max(1, cluster.endpoints.length);
  const attemptsPerInterval = (rpsToCluster * (1 + q + q * q) / hosts) * cluster.outlier.intervalSeconds;
  return q ** n * attemptsPerInterval >= 1;
}

/** The outbound clusters of a pod's sidecar with their hosts and stats at `atMs`. */
export function envoyState(sim: TrafficSim, pod: SimPod, config: SidecarConfig, atMs: number): ClusterState[] {
  // Requests this pod sent, by (destination Service FQDN, destination workload or '' when no pod answered).
  const sent = new Map<string, Counts>();
  for (const s of sim.samples(pod, atMs)) {
    if (s.name !== 'istio_requests_total' || s.labels.reporter !== 'source') continue;
    const key = `${s.labels.destination_service}|${s.labels.destination_workload === 'unknown' ? '' : s.labels.destination_workload}`;
    const c = sent.get(key) ?? zero();
    const flags = s.labels.response_flags ?? '-';
    if (flags === '-') {
      if (s.labels.response_code.startsWith('5')) c.serverErrors += s.value;
      else c.ok += s.value;
    } else if (CONNECT_FLAGS.test(flags)) c.connectFailures += s.value;
    else c.otherFlagged += s.value;
    sent.set(key, c);
  }
  const flows = sim.outboundAt(pod, atMs);
  const podsOf = new Map<string, Set<string>>();
  for (const f of flows) for (const t of f.targets) podsOf.set(`${t.workload.namespace}/${t.workload.name}`, new Set(t.workload.pods.map((p) => p.name)));
  const out: ClusterState[] = [];
  for (const cluster of config.clusters) {
    if (cluster.direction !== 'outbound' || !cluster.service) continue;
    const [ns, svc] = cluster.service.split('/');
    const flow = flows.find((f) => f.namespace === ns && f.service === svc);
    const hostCounts = new Map<SimEndpoint, Counts>(cluster.endpoints.map((e) => [e, zero()]));
    // Requests that reached a workload count on its endpoints in the cluster that holds them (a subset when the route splits by subset).
    for (const [key, c] of sent) {
      const [host, workload] = key.split('|');
      if (host !== cluster.host) continue;
      if (workload) {
        const pods = podsOf.get(`${ns}/${workload}`);
        if (!pods || !countsHere(config, cluster, pods)) continue;
        const targets = cluster.endpoints.filter((e) => e.pod && pods.has(e.pod));
        for (const e of targets) add(hostCounts.get(e)!, c, 1 / targets.length, false);
      } else if (cluster.subset === undefined && cluster.endpoints.length > 0) {
        for (const e of cluster.endpoints) add(hostCounts.get(e)!, c, 1 / cluster.endpoints.length, true);
      }
    }
    const retries = retriesFor(config, cluster.name);
    const share = (f: typeof flow) => Object.entries(f?.flags ?? {}).reduce((a, [k, v]) => a + (CONNECT_FLAGS.test(k) && !(FLAG_EFFECTS[k.split(',')[0]]?.reachesServer ?? false) ? v : 0), 0);
    const connectShare = share(flow);
    const q = attemptFailure(connectShare, retries);
    const ejectedNow = cluster.subset === undefined && ejectedAt(cluster, flow?.rps ?? 0, connectShare, retries);
    // Per request with per-attempt failure probability q and r retries: failed attempts q + q² + … + q^(r+1),
    // retries q + … + q^r, successes after a retry q − q^(r+1); as multiples of the requests that failed every attempt (q^(r+1)).
    const all = q > 0 ? q ** (retries + 1) : 1;
    const series = (from: number, to: number) => {
      let v = 0;
      for (let k = from; k <= to; k++) v += q ** k;
      return q > 0 ? v / all : 0;
    };
    const perFailed = {connectFails: series(1, retries + 1), retries: series(1, retries), retrySuccess: q > 0 ? (q - all) / all : 0};
    const hosts: HostState[] = cluster.endpoints.map((endpoint) => {
      const c = hostCounts.get(endpoint)!;
      const reached = c.ok + c.serverErrors;
      const connectFail = Math.round(c.connectFailures * perFailed.connectFails);
      return {
        endpoint, healthy: endpoint.ready, ejected: ejectedNow,
        stats: {cx_total: Math.round(reached / 50) + connectFail, cx_active: reached > 0 ? 2 : 0, cx_connect_fail: connectFail, rq_total: Math.round(reached), rq_success: Math.round(c.ok), rq_error: Math.round(c.serverErrors), rq_timeout: 0, rq_active: 0},
      };
    });
    const sum = (k: keyof HostStats) => hosts.reduce((a, h) => a + h.stats[k], 0);
    const failed = hosts.reduce((a, h) => a + hostCounts.get(h.endpoint)!.connectFailures, 0);
    const retrySuccess = Math.round(failed * perFailed.retrySuccess);
    const history = cluster.subset === undefined && cluster.outlier ? ejectionHistory(sim, pod, cluster, retries, atMs) : {ejections: 0, panicRequests: 0};
    const healthyHosts = hosts.filter((h) => h.healthy && !h.ejected).length;
    out.push({
      cluster, hosts,
      stats: {
        upstream_rq_total: sum('rq_total'),
        upstream_rq_2xx: sum('rq_success'),
        upstream_rq_200: sum('rq_success'),
        upstream_rq_5xx: sum('rq_error'),
        upstream_rq_500: sum('rq_error'),
        upstream_cx_total: sum('cx_total'),
        upstream_cx_active: sum('cx_active'),
        upstream_cx_connect_fail: sum('cx_connect_fail'),
        upstream_rq_retry: Math.round(failed * perFailed.retries),
        upstream_rq_retry_success: retrySuccess,
        upstream_rq_retry_limit_exceeded: Math.round(failed),
        upstream_rq_lb_healthy_panic: Math.round(history.panicRequests),
        membership_total: hosts.length,
        membership_healthy: healthyHosts,
        'outlier_detection.ejections_active': hosts.filter((h) => h.ejected).length,
        'outlier_detection.ejections_enforced_total': history.ejections,
        'outlier_detection.ejections_enforced_consecutive_gateway_failure': cluster.outlier?.consecutiveGatewayErrors ? history.ejections : 0,
        'outlier_detection.ejections_enforced_consecutive_5xx': cluster.outlier?.consecutiveGatewayErrors ? 0 : history.ejections,
      },
    });
  }
  return out;
}

function add(into: Counts, c: Counts, share: number, flaggedOnly: boolean): void {
  if (!flaggedOnly) {
    into.ok += c.ok * share;
    into.serverErrors += c.serverErrors * share;
  }
  into.connectFailures += c.connectFailures * share;
  into.otherFlagged += c.otherFlagged * share;
}

/**
 * Whether a workload's requests to a Service count on this cluster: on a subset cluster the route
 * uses that holds its pods, else on the plain cluster.
 */
function countsHere(config: SidecarConfig, cluster: SimCluster, pods: ReadonlySet<string>): boolean {
  const holds = (c: SimCluster) => c.endpoints.some((e) => e.pod !== undefined && pods.has(e.pod));
  if (!holds(cluster)) return false;
  const routed = new Set(config.routes.flatMap((rc) => rc.virtualHosts.flatMap((vh) => vh.routes.flatMap((r) => r.clusters.map((c) => c.name)))));
  const subsets = config.clusters.filter((c) => c.host === cluster.host && c.port === cluster.port && c.subset !== undefined && routed.has(c.name) && holds(c));
  return cluster.subset === undefined ? subsets.length === 0 : subsets.includes(cluster);
}

/** Ejections enforced and requests sent in panic since the pods started, stepping through the simulated history. */
function ejectionHistory(sim: TrafficSim, pod: SimPod, cluster: SimCluster, retries: number, atMs: number): {ejections: number; panicRequests: number} {
  const outlier = cluster.outlier!;
  let ejectedSeconds = 0;
  let panicRequests = 0;
  const [ns, svc] = cluster.service!.split('/');
  const minHealthy = outlier.minHealthPercent ?? 0;
  for (let t = sim.startMs; t <= atMs; t += STEP_SECONDS * 1000) {
    const flow = sim.outboundAt(pod, t).find((f) => f.namespace === ns && f.service === svc);
    if (!flow) continue;
    const connectShare = Object.entries(flow.flags).reduce((a, [k, v]) => a + (CONNECT_FLAGS.test(k) ? v : 0), 0);
    if (!ejectedAt(cluster, flow.rps, connectShare, retries)) continue;
    ejectedSeconds += STEP_SECONDS;
    // Every host ejected: below a non-zero panic threshold Envoy balances over all hosts anyway.
    if (minHealthy > 0) panicRequests += flow.rps * STEP_SECONDS;
  }
  return {ejections: Math.floor(ejectedSeconds / (outlier.baseEjectionSeconds + outlier.intervalSeconds)), panicRequests};
}
