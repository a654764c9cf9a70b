/**
 * Reading an Envoy sidecar's admin endpoint (our own parser of Envoy's documented shapes):
 *   - `/clusters?format=json` (envoy api/envoy/admin/v3/clusters.proto): per cluster its hosts with
 *     address, stats (proto3 JSON writes uint64 as strings), health (`eds_health_status`, and the
 *     `failed_*` flags — `failed_outlier_check` is an outlier ejection);
 *   - `/config_dump?resource=dynamic_active_clusters|dynamic_listeners|dynamic_route_configs` (the
 *     entries of one repeated field, api/envoy/admin/v3/config_dump.proto) or a full dump;
 *   - `/stats` text (`name: value` lines).
 * Istio names clusters `direction|port|subset|fqdn` (istio/istio pilot/pkg/model ParseSubsetKey) and
 * puts the VirtualService / DestinationRule behind a route or cluster in `metadata.filter_metadata.istio.config`
 * (istioctl/pkg/writer/envoy/configdump: renderConfig); the summaries follow istioctl proxy-config's
 * columns. Pure: parsing never throws on a malformed field, it leaves it out.
 */

type Json = Record<string, unknown>;

export type EnvoyHostHealth = Readonly<{
  /** HEALTHY, UNHEALTHY, DRAINING… as EDS reported it. */
  eds: string;
  /** Ejected by outlier detection. */
  outlier: boolean;
  /** Failing active health checks (rare in a mesh). */
  activeCheck: boolean;
}>;

export type EnvoyHost = Readonly<{cluster: string; address: string; port: number; health: EnvoyHostHealth; stats: Readonly<Record<string, number>>}>;

export type ClusterName = Readonly<{direction?: string; port?: number; subset?: string; fqdn?: string}>;

export type EnvoyCluster = Readonly<{
  name: string;
  /** Parsed Istio name parts (outbound|80|v1|reviews…); empty for other clusters. */
  parts: ClusterName;
  type?: string;
  /** `name.namespace` of the DestinationRule (istioctl's "DESTINATION RULE" column). */
  destinationRule?: string;
  outlier?: Readonly<{consecutiveGatewayFailure?: number; consecutive5xx?: number; interval?: string; baseEjectionTime?: string; maxEjectionPercent?: number}>;
  /** Healthy panic threshold in percent (Envoy's default 50 when unset). */
  panicThreshold?: number;
}>;

export type EnvoyListener = Readonly<{name: string; address: string; port: number; type: 'HTTP' | 'TCP' | 'HTTP+TCP' | 'UNKNOWN'; destination: string}>;

export type EnvoyRoute = Readonly<{
  routeConfig: string;
  virtualHost: string;
  domains: readonly string[];
  match: string;
  /** Target clusters with their weights in percent of the route (one cluster: 100). */
  clusters: readonly Readonly<{name: string; weight: number}>[];
  /** `name.namespace` of the VirtualService, when the route came from one. */
  virtualService?: string;
  name?: string;
  retries?: number;
}>;

function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  const wrapped = obj(v)?.value;
  return wrapped !== undefined && wrapped !== v ? num(wrapped) : undefined;
}

/** `outbound|80|v1|reviews.default.svc.cluster.local` → its parts (other names: none). */
export function parseClusterName(name: string): ClusterName {
  const p = name.split('|');
  if (p.length !== 4) return {};
  const port = Number(p[1]);
  return {direction: p[0], ...(Number.isFinite(port) && p[1] !== '' ? {port} : {}), ...(p[2] ? {subset: p[2]} : {}), ...(p[3] ? {fqdn: p[3]} : {})};
}

/** `/apis/networking.istio.io/v1/namespaces/shop/virtual-service/checkout` → `checkout.shop` (istioctl's rendering). */
export function renderIstioConfig(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const pieces = path.split('/');
  if (!path.startsWith('/apis/networking.istio.io/') || pieces.length !== 8) return undefined;
  return `${pieces[7]}.${pieces[5]}`;
}

function socketAddress(address: unknown): {address: string; port: number} {
  const s = obj(obj(address)?.socket_address);
  if (s) return {address: str(s.address) ?? '', port: num(s.port_value) ?? 0};
  const pipe = obj(obj(address)?.pipe);
  return {address: pipe ? `unix://${str(pipe.path) ?? ''}` : 'unknown', port: 0};
}

/** `/clusters?format=json` → every host of every cluster. */
export function parseClusterStatuses(json: unknown): EnvoyHost[] {
  const out: EnvoyHost[] = [];
  for (const c of arr(obj(json)?.cluster_statuses)) {
    const cluster = str(obj(c)?.name) ?? '';
    for (const h of arr(obj(c)?.host_statuses)) {
      const host = obj(h) ?? {};
      const health = obj(host.health_status) ?? {};
      const stats: Record<string, number> = {};
      for (const s of arr(host.stats)) {
        const name = str(obj(s)?.name);
        const value = num(obj(s)?.value) ?? 0;
        if (name) stats[name] = value;
      }
      out.push({cluster, ...socketAddress(host.address), stats, health: {eds: str(health.eds_health_status) ?? 'HEALTHY', outlier: health.failed_outlier_check === true, activeCheck: health.failed_active_health_check === true}});
    }
  }
  return out;
}

/** The entries of a config dump's repeated fields, from a `?resource=` answer (each entry typed by its element message) or a full dump. */
function dumpEntries(json: unknown, container: string, fields: readonly string[]): Json[] {
  const configs = arr(obj(json)?.configs).map(obj).filter((c): c is Json => c !== undefined);
  const direct = configs.filter((c) => (str(c['@type']) ?? '').includes(`${container}.`));
  if (direct.length) return direct;
  return configs.filter((c) => (str(c['@type']) ?? '').endsWith(container)).flatMap((c) => fields.flatMap((f) => arr(c[f]).map(obj).filter((x): x is Json => x !== undefined)));
}

export function parseClusters(json: unknown): EnvoyCluster[] {
  const entries = dumpEntries(json, 'ClustersConfigDump', ['dynamic_active_clusters', 'static_clusters']);
  const out: EnvoyCluster[] = [];
  for (const e of entries) {
    const c = obj(e.cluster);
    const name = str(c?.name);
    if (!c || !name) continue;
    const od = obj(c.outlier_detection);
    const type = str(c.type) ?? (obj(c.cluster_type) ? 'CUSTOM' : undefined);
    const dr = renderIstioConfig(str(obj(obj(obj(c.metadata)?.filter_metadata)?.istio)?.config));
    const panic = num(obj(obj(c.common_lb_config)?.healthy_panic_threshold)?.value);
    out.push({
      name, parts: parseClusterName(name), ...(type ? {type} : {}), ...(dr ? {destinationRule: dr} : {}),
      ...(od ? {outlier: {
        ...(num(od.consecutive_gateway_failure) !== undefined ? {consecutiveGatewayFailure: num(od.consecutive_gateway_failure)} : {}),
        ...(num(od.consecutive_5xx) !== undefined ? {consecutive5xx: num(od.consecutive_5xx)} : {}),
        ...(str(od.interval) ? {interval: str(od.interval)} : {}),
        ...(str(od.base_ejection_time) ? {baseEjectionTime: str(od.base_ejection_time)} : {}),
        ...(num(od.max_ejection_percent) !== undefined ? {maxEjectionPercent: num(od.max_ejection_percent)} : {}),
      }} : {}),
      ...(panic !== undefined ? {panicThreshold: panic} : {}),
    });
  }
  return out.sort((a, b) => (a.parts.fqdn ?? a.name).localeCompare(b.parts.fqdn ?? b.name) || (a.parts.subset ?? '').localeCompare(b.parts.subset ?? '') || (a.parts.port ?? 0) - (b.parts.port ?? 0) || (a.parts.direction ?? '').localeCompare(b.parts.direction ?? ''));
}

const HCM = 'envoy.filters.network.http_connection_manager';
const TCP_PROXY = 'envoy.filters.network.tcp_proxy';

export function parseListeners(json: unknown): EnvoyListener[] {
  const out: EnvoyListener[] = [];
  const entries = dumpEntries(json, 'ListenersConfigDump', ['dynamic_listeners', 'static_listeners']);
  for (const e of entries) {
    const l = obj(obj(e.active_state)?.listener) ?? obj(e.listener);
    const name = str(l?.name);
    if (!l || !name) continue;
    let http = 0;
    let tcp = 0;
    const destinations: string[] = [];
    for (const chain of [...arr(l.filter_chains), ...(l.default_filter_chain ? [l.default_filter_chain] : [])]) {
      for (const f of arr(obj(chain)?.filters)) {
        const fname = str(obj(f)?.name);
        const cfg = obj(obj(f)?.typed_config) ?? {};
        if (fname === HCM) {
          http++;
          const route = str(obj(cfg.rds)?.route_config_name) ?? str(obj(cfg.route_config)?.name);
          destinations.push(route ? `Route: ${route}` : 'inline routes');
        } else if (fname === TCP_PROXY) {
          const cluster = str(cfg.cluster);
          if (cluster !== 'BlackHoleCluster') tcp++;
          if (cluster) destinations.push(`Cluster: ${cluster}`);
        }
      }
    }
    const {address, port} = socketAddress(l.address);
    out.push({name, address, port, type: http && tcp ? 'HTTP+TCP' : http ? 'HTTP' : tcp ? 'TCP' : 'UNKNOWN', destination: [...new Set(destinations)].join(', ')});
  }
  return out.sort((a, b) => a.port - b.port || a.address.localeCompare(b.address) || a.type.localeCompare(b.type));
}

function describeMatch(match: Json | undefined): string {
  if (!match) return '/*';
  const path = str(match.prefix) !== undefined ? `${str(match.prefix)}*` : str(match.path) ?? (obj(match.safe_regex) ? `regex ${str(obj(match.safe_regex)?.regex)}` : str(match.path_separated_prefix) ? `${str(match.path_separated_prefix)}/*` : '/*');
  const headers = arr(match.headers).map((h) => {
    const hh = obj(h) ?? {};
    const exact = str(obj(hh.string_match)?.exact) ?? str(hh.exact_match);
    return `${str(hh.name)}${exact !== undefined ? `=${exact}` : ''}`;
  });
  return headers.length ? `${path} (${headers.join(', ')})` : path;
}

export function parseRoutes(json: unknown): EnvoyRoute[] {
  const out: EnvoyRoute[] = [];
  const entries = dumpEntries(json, 'RoutesConfigDump', ['dynamic_route_configs', 'static_route_configs']);
  for (const e of entries) {
    const rc = obj(e.route_config);
    if (!rc) continue;
    const routeConfig = str(rc.name) ?? '';
    for (const vh of arr(rc.virtual_hosts).map(obj)) {
      if (!vh) continue;
      for (const r of arr(vh.routes).map(obj)) {
        if (!r) continue;
        const action = obj(r.route);
        const weighted = arr(obj(action?.weighted_clusters)?.clusters).map(obj).filter((c): c is Json => c !== undefined);
        const total = weighted.reduce((a, c) => a + (num(c.weight) ?? 0), 0) || num(obj(action?.weighted_clusters)?.total_weight) || 0;
        const clusters = weighted.length
          ? weighted.map((c) => ({name: str(c.name) ?? '', weight: total > 0 ? ((num(c.weight) ?? 0) / total) * 100 : 0}))
          : str(action?.cluster) ? [{name: str(action?.cluster)!, weight: 100}] : [];
        const vs = renderIstioConfig(str(obj(obj(obj(r.metadata)?.filter_metadata)?.istio)?.config));
        const retries = num(obj(action?.retry_policy)?.num_retries);
        out.push({
          routeConfig, virtualHost: str(vh.name) ?? '', domains: arr(vh.domains).map(str).filter((d): d is string => d !== undefined),
          match: describeMatch(obj(r.match)), clusters, ...(vs ? {virtualService: vs} : {}), ...(str(r.name) ? {name: str(r.name)} : {}), ...(retries !== undefined ? {retries} : {}),
        });
      }
    }
  }
  return out;
}

/** `/stats` text: `name: value` lines (histograms' `P0(…)` summaries are skipped). */
export function parseStats(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const colon = line.lastIndexOf(': ');
    if (colon <= 0) continue;
    const value = Number(line.slice(colon + 2).trim());
    if (Number.isFinite(value)) out.set(line.slice(0, colon), value);
  }
  return out;
}

/** istioctl's rendering of a vhost's domains: the shortest non-numeric names, two at most. */
export function describeDomains(domains: readonly string[]): string {
  if (domains.length <= 1) return domains[0] ?? '';
  const unique = new Set(domains);
  const names = domains.filter((d) => !d.includes(':') || (d.split(':').length > 2 && d.endsWith(']')))
    .filter((d) => !(d !== d.replace(/\.svc\.cluster\.local$/, '') && unique.has(d.replace(/\.svc\.cluster\.local$/, ''))))
    .filter((d) => !(d !== d.replace(/\.svc$/, '') && unique.has(d.replace(/\.svc$/, ''))));
  return names.length > 2 ? `${names.slice(0, 2).join(', ')} + ${names.length - 2} more...` : names.join(', ');
}
