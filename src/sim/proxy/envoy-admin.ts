/**
 * A simulated sidecar's Envoy admin endpoint (port 15000), read-only: the paths meshdoctor and
 * `istioctl proxy-config` read, in Envoy's own shapes —
 *   /clusters?format=json    admin.v3.Clusters (envoy api/envoy/admin/v3/clusters.proto): per host its
 *                            address, stats (SimpleMetric, uint64 values as strings as proto3 JSON
 *                            writes them), health_status {eds_health_status, failed_outlier_check};
 *   /config_dump             admin.v3.ConfigDump (api/envoy/admin/v3/config_dump.proto): Clusters,
 *                            Listeners and Routes config dumps; `?resource=<repeated field>` returns
 *                            only those entries, each typed by its element message; `include_eds`
 *                            adds the EndpointsConfigDump;
 *   /listeners?format=json   admin.v3.Listeners (name, local_address);
 *   /stats[?filter=RE]       `name: value` lines (`?format=json`: {"stats": [{name, value}]});
 *   /server_info, /ready.
 * State-changing admin paths (/quitquitquit, /healthcheck/fail, /reset_counters, /drain_listeners,
 * /logging, /runtime_modify, profilers) answer 405 "requires POST" as Envoy does for a GET; meshdoctor
 * never calls them (a test proves the readers' paths).
 */
import type http from 'node:http';
import type {Pod} from '../../core/kube-types/index.js';
import type {SimPod, TrafficSim} from '../traffic/model.js';
import type {ClusterState} from './envoy-state.js';
import {envoyState} from './envoy-state.js';
import type {SidecarConfig, SimCluster, SimListener, SimRoute, SimRouteConfig} from './istio-config.js';

export const ENVOY_ADMIN_PORT = 15000;

/** Admin paths that change Envoy's state (Envoy requires POST for them). */
export const MUTATING_ADMIN_PATHS: readonly string[] = ['/quitquitquit', '/healthcheck/fail', '/healthcheck/ok', '/reset_counters', '/drain_listeners', '/logging', '/runtime_modify', '/cpuprofiler', '/heapprofiler', '/drain', '/init_dump/reset'];

type Json = Record<string, unknown>;

const TYPE = 'type.googleapis.com/envoy';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function socket(address: string, port: number): Json {
  return {socket_address: {address, port_value: port}};
}

function clusterJson(c: SimCluster): Json {
  const meta: Json = {};
  if (c.service) {
    const [namespace, name] = c.service.split('/');
    meta.services = [{host: c.host, name, namespace}];
  }
  if (c.destinationRule) {
    const [ns, name] = c.destinationRule.split('/');
    meta.config = `/apis/networking.istio.io/v1/namespaces/${ns}/destination-rule/${name}`;
  }
  const json: Json = {
    '@type': `${TYPE}.config.cluster.v3.Cluster`,
    name: c.name,
    type: c.type,
    connect_timeout: '10s',
    ...(c.type === 'EDS' ? {eds_cluster_config: {eds_config: {ads: {}, initial_fetch_timeout: '0s', resource_api_version: 'V3'}, service_name: c.name}} : {}),
    ...(c.outlier ? {outlier_detection: {
      ...(c.outlier.consecutiveGatewayErrors !== undefined ? {consecutive_gateway_failure: c.outlier.consecutiveGatewayErrors, enforcing_consecutive_gateway_failure: 100} : {}),
      ...(c.outlier.consecutive5xxErrors !== undefined ? {consecutive_5xx: c.outlier.consecutive5xxErrors, enforcing_consecutive_5xx: 100} : {}),
      interval: `${c.outlier.intervalSeconds}s`, base_ejection_time: `${c.outlier.baseEjectionSeconds}s`,
      ...(c.outlier.maxEjectionPercent !== undefined ? {max_ejection_percent: c.outlier.maxEjectionPercent} : {}),
      enforcing_success_rate: 0,
    }, common_lb_config: {healthy_panic_threshold: {value: c.outlier.minHealthPercent ?? 0}}} : {}),
    ...(c.staticAddress ? {load_assignment: {cluster_name: c.name, endpoints: [{lb_endpoints: [{endpoint: {address: socket(c.staticAddress.split(':')[0], Number(c.staticAddress.split(':')[1]))}}]}]}} : {}),
    ...(Object.keys(meta).length ? {metadata: {filter_metadata: {istio: meta}}} : {}),
  };
  return json;
}

function routeJson(r: SimRoute): Json {
  const action: Json = r.clusters.length === 1
    ? {cluster: r.clusters[0].name}
    : {weighted_clusters: {clusters: r.clusters.map((c) => ({name: c.name, weight: c.weight}))}};
  return {
    ...(r.name ? {name: r.name} : {}),
    match: {prefix: r.match.prefix ?? '/', ...(r.match.headers ? {headers: r.match.headers.map((h) => ({name: h.name, string_match: {exact: h.exact}}))} : {})},
    route: {...action, timeout: '0s', retry_policy: {retry_on: r.retries.retryOn, num_retries: r.retries.numRetries, retry_host_predicate: [{name: 'envoy.retry_host_predicates.previous_hosts'}], host_selection_retry_max_attempts: '5'}, max_grpc_timeout: '0s'},
    ...(r.virtualService ? {metadata: {filter_metadata: {istio: {config: `/apis/networking.istio.io/v1/namespaces/${r.virtualService.split('/')[0]}/virtual-service/${r.virtualService.split('/')[1]}`}}}} : {}),
    decorator: {operation: `${r.clusters[0]?.name.split('|')[3] ?? 'passthrough'}:${r.clusters[0]?.name.split('|')[1] ?? ''}/*`},
  };
}

function routeConfigJson(rc: SimRouteConfig): Json {
  return {
    '@type': `${TYPE}.config.route.v3.RouteConfiguration`,
    name: rc.name,
    virtual_hosts: rc.virtualHosts.map((vh) => ({name: vh.name, domains: vh.domains, routes: vh.routes.map(routeJson), include_request_attempt_count: true})),
    validate_clusters: false,
    max_direct_response_body_size_bytes: 1048576,
    ignore_port_in_host_matching: true,
  };
}

function listenerJson(l: SimListener): Json {
  const filter = l.kind === 'HTTP'
    ? {name: 'envoy.filters.network.http_connection_manager', typed_config: {'@type': `${TYPE}.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`, stat_prefix: `outbound_${l.address}_${l.port}`, rds: {config_source: {ads: {}, initial_fetch_timeout: '0s', resource_api_version: 'V3'}, route_config_name: l.routeConfig}}}
    : {name: 'envoy.filters.network.tcp_proxy', typed_config: {'@type': `${TYPE}.extensions.filters.network.tcp_proxy.v3.TcpProxy`, stat_prefix: l.cluster, cluster: l.cluster}};
  return {
    '@type': `${TYPE}.config.listener.v3.Listener`,
    name: l.name,
    address: socket(l.address, l.port),
    filter_chains: [{filters: [filter]}],
    ...(l.port === 15001 || l.port === 15006 ? {use_original_dst: true} : {}),
    traffic_direction: l.port === 15006 ? 'INBOUND' : 'OUTBOUND',
  };
}

/** The full config dump, or the entries of one repeated field (`?resource=`). */
export function configDump(config: SidecarConfig, lastUpdatedMs: number, options: Readonly<{resource?: string; includeEds?: boolean}> = {}): Json {
  const version = iso(lastUpdatedMs).replace(/\.\d+Z$/, 'Z') + '/1';
  const updated = iso(lastUpdatedMs);
  const dynamicClusters = config.clusters.filter((c) => c.type !== 'STATIC' || !c.staticAddress).map((c) => ({version_info: version, cluster: clusterJson(c), last_updated: updated}));
  const staticClusters = config.clusters.filter((c) => c.staticAddress).map((c) => ({cluster: clusterJson(c), last_updated: updated}));
  const dynamicListeners = config.listeners.map((l) => ({name: l.name, active_state: {version_info: version, listener: listenerJson(l), last_updated: updated}}));
  const dynamicRoutes = config.routes.map((rc) => ({version_info: version, route_config: routeConfigJson(rc), last_updated: updated}));
  const endpoints = config.clusters.filter((c) => c.type === 'EDS').map((c) => ({
    version_info: version,
    endpoint_config: {'@type': `${TYPE}.config.endpoint.v3.ClusterLoadAssignment`, cluster_name: c.name, endpoints: c.endpoints.length ? [{lb_endpoints: c.endpoints.map((e) => ({endpoint: {address: socket(e.ip, e.port)}, health_status: e.ready ? 'HEALTHY' : 'UNHEALTHY', load_balancing_weight: 1}))}] : []},
    last_updated: updated,
  }));
  const fields: Record<string, {type: string; items: Json[]}> = {
    dynamic_active_clusters: {type: 'ClustersConfigDump.DynamicCluster', items: dynamicClusters},
    static_clusters: {type: 'ClustersConfigDump.StaticCluster', items: staticClusters},
    dynamic_listeners: {type: 'ListenersConfigDump.DynamicListener', items: dynamicListeners},
    dynamic_route_configs: {type: 'RoutesConfigDump.DynamicRouteConfig', items: dynamicRoutes},
    dynamic_endpoint_configs: {type: 'EndpointsConfigDump.DynamicEndpointConfig', items: endpoints},
  };
  if (options.resource) {
    const f = fields[options.resource];
    if (!f) return {configs: []};
    return {configs: f.items.map((item) => ({'@type': `${TYPE}.admin.v3.${f.type}`, ...item}))};
  }
  return {configs: [
    {'@type': `${TYPE}.admin.v3.ClustersConfigDump`, version_info: version, static_clusters: staticClusters, dynamic_active_clusters: dynamicClusters},
    ...(options.includeEds ? [{'@type': `${TYPE}.admin.v3.EndpointsConfigDump`, dynamic_endpoint_configs: endpoints}] : []),
    {'@type': `${TYPE}.admin.v3.ListenersConfigDump`, version_info: version, dynamic_listeners: dynamicListeners},
    {'@type': `${TYPE}.admin.v3.RoutesConfigDump`, dynamic_route_configs: dynamicRoutes},
  ]};
}

/** `/clusters?format=json`: every cluster; the outbound ones with their hosts. */
export function clustersJson(state: readonly ClusterState[], config: SidecarConfig): Json {
  const known = new Set(state.map((s) => s.cluster.name));
  const all: ClusterState[] = [...state, ...config.clusters.filter((c) => !known.has(c.name)).map((cluster) => ({cluster, hosts: [], stats: {}}))];
  return {cluster_statuses: all.map((s) => ({
    name: s.cluster.name,
    added_via_api: s.cluster.staticAddress === undefined,
    host_statuses: s.hosts.map((h) => ({
      address: socket(h.endpoint.ip, h.endpoint.port),
      stats: Object.entries(h.stats).map(([name, value]) => ({name, value: String(value), ...(name.endsWith('_active') ? {type: 'GAUGE'} : {})})),
      health_status: {eds_health_status: h.healthy ? 'HEALTHY' : 'UNHEALTHY', ...(h.ejected ? {failed_outlier_check: true} : {})},
      weight: 1,
      locality: {},
    })),
    circuit_breakers: {thresholds: [{max_connections: 4294967295, max_pending_requests: 4294967295, max_requests: 4294967295, max_retries: 4294967295}, {priority: 'HIGH', max_connections: 1024, max_pending_requests: 1024, max_requests: 1024, max_retries: 3}]},
    observability_name: s.cluster.name,
    eds_service_name: s.cluster.name,
  }))};
}

/** `/stats`: every counter of the outbound clusters, `name: value`, sorted as Envoy sorts them. */
export function statsLines(state: readonly ClusterState[]): [string, number][] {
  const out: [string, number][] = [];
  for (const s of state) for (const [k, v] of Object.entries(s.stats)) out.push([`cluster.${s.cluster.name}.${k}`, v]);
  out.push(['server.live', 1], ['server.state', 0]);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

export type AdminTarget = Readonly<{sim: TrafficSim; simPod: SimPod; pod: Pod; config: () => SidecarConfig; version: string; now: () => number}>;

function send(res: http.ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, {'Content-Type': type, 'Content-Length': Buffer.byteLength(body)}).end(body);
}

/** What the admin handler reads of a request (an IncomingMessage, or the pod proxy's forwarded path). */
export type AdminRequest = Readonly<{url?: string; method?: string}>;
export type AdminHandler = (req: AdminRequest, res: http.ServerResponse) => void;

/** The HTTP handler for one pod's admin port. */
export function envoyAdminHandler(target: AdminTarget): AdminHandler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (MUTATING_ADMIN_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return send(res, 405, 'This endpoint requires POST.\n', 'text/plain');
    if (req.method !== 'GET') return send(res, 405, 'method not allowed\n', 'text/plain');
    const now = target.now();
    const config = target.config();
    switch (path) {
      case '/ready':
        return send(res, 200, 'LIVE\n', 'text/plain');
      case '/server_info': {
        const uptime = Math.max(0, Math.round((now - target.sim.startMs) / 1000));
        return send(res, 200, JSON.stringify({version: target.version, state: 'LIVE', uptime_current_epoch: `${uptime}s`, uptime_all_epochs: `${uptime}s`,
          node: {id: `sidecar~${target.pod.status?.podIP ?? ''}~${target.pod.metadata.name}.${target.pod.metadata.namespace}~${target.pod.metadata.namespace}.svc.cluster.local`, cluster: `${target.simPod.workload.app}.${target.pod.metadata.namespace}`}}, null, 2));
      }
      case '/clusters': {
        const state = envoyState(target.sim, target.simPod, config, now);
        if (url.searchParams.get('format') === 'json') return send(res, 200, JSON.stringify(clustersJson(state, config), null, 2));
        const lines: string[] = [];
        for (const s of state) for (const h of s.hosts) {
          const addr = `${h.endpoint.ip}:${h.endpoint.port}`;
          for (const [k, v] of Object.entries(h.stats)) lines.push(`${s.cluster.name}::${addr}::${k}::${v}`);
          lines.push(`${s.cluster.name}::${addr}::health_flags::${h.ejected ? '/failed_outlier_check' : h.healthy ? 'healthy' : '/eds_status_unhealthy'}`);
        }
        return send(res, 200, `${lines.join('\n')}\n`, 'text/plain');
      }
      case '/config_dump': {
        const resource = url.searchParams.get('resource') ?? undefined;
        return send(res, 200, JSON.stringify(configDump(config, target.sim.startMs, {...(resource ? {resource} : {}), includeEds: url.searchParams.has('include_eds')}), null, 2));
      }
      case '/listeners':
        if (url.searchParams.get('format') === 'json') return send(res, 200, JSON.stringify({listener_statuses: config.listeners.map((l) => ({name: l.name, local_address: socket(l.address, l.port)}))}, null, 2));
        return send(res, 200, `${config.listeners.map((l) => `${l.name}::${l.address}:${l.port}`).join('\n')}\n`, 'text/plain');
      case '/stats': {
        let lines = statsLines(envoyState(target.sim, target.simPod, config, now));
        const filter = url.searchParams.get('filter');
        if (filter) {
          let re: RegExp;
          try {
            re = new RegExp(filter);
          } catch {
            return send(res, 400, `Invalid re2 regex\n`, 'text/plain');
          }
          lines = lines.filter(([k]) => re.test(k));
        }
        if (url.searchParams.has('usedonly')) lines = lines.filter(([, v]) => v !== 0);
        if (url.searchParams.get('format') === 'json') return send(res, 200, JSON.stringify({stats: lines.map(([name, value]) => ({name, value}))}, null, 2));
        return send(res, 200, lines.map(([k, v]) => `${k}: ${v}`).join('\n') + '\n', 'text/plain');
      }
      default:
        return send(res, 404, `invalid path. admin commands are: /clusters /config_dump /listeners /ready /server_info /stats\n`, 'text/plain');
    }
  };
}
