/**
 * The configuration istiod would push to one sidecar of a simulated world (no Sidecar resource, so
 * every Service of the mesh is visible): outbound clusters per Service port and DestinationRule
 * subset (`outbound|<port>|<subset>|<fqdn>`, istio/istio pilot/pkg/model ParseSubsetKey), their
 * endpoints from the EndpointSlices (a subset keeps the pods its labels match), the DestinationRule's
 * outlier detection as istiod translates it (pilot/pkg/networking/core/cluster_traffic_policy.go:
 * `minHealthPercent` becomes the healthy panic threshold), inbound clusters per container port, the
 * listeners (`virtualOutbound` 15001, `virtualInbound` 15006, `0.0.0.0_<port>` per HTTP port with a
 * route configuration named after the port, `<vip>_<port>` per TCP Service), and the route
 * configurations: one virtual host per HTTP Service (`<fqdn>:<port>`), its routes from the
 * VirtualServices for that host (weights, retries, the `istio.config` metadata naming the
 * VirtualService, as in istioctl/pkg/writer/envoy/configdump/testdata/routes) or a default route,
 * plus `allow_any` to PassthroughCluster. Pure; the admin endpoint (envoy-admin.ts) renders it.
 */
import type {DestinationRule, EndpointSlice, KubeObject, Pod, Service, VirtualService} from '../../core/kube-types/index.js';
import {matchesLabels} from '../../core/selectors.js';

export type OutlierConfig = Readonly<{consecutiveGatewayErrors?: number; consecutive5xxErrors?: number; intervalSeconds: number; baseEjectionSeconds: number; maxEjectionPercent?: number; minHealthPercent?: number}>;

export type SimEndpoint = Readonly<{ip: string; port: number; pod?: string; namespace: string; ready: boolean}>;

export type SimCluster = Readonly<{
  name: string;
  type: 'EDS' | 'ORIGINAL_DST' | 'STATIC';
  direction: 'outbound' | 'inbound' | 'other';
  /** `namespace/name` of the Service (outbound). */
  service?: string;
  host?: string;
  port?: number;
  subset?: string;
  /** `namespace/name` of the DestinationRule that shaped it. */
  destinationRule?: string;
  outlier?: OutlierConfig;
  endpoints: readonly SimEndpoint[];
  /** Static clusters: the address they point at. */
  staticAddress?: string;
}>;

export type SimRoute = Readonly<{
  name?: string;
  match: Readonly<{prefix?: string; headers?: readonly Readonly<{name: string; exact: string}>[]}>;
  /** One cluster, or weighted clusters. */
  clusters: readonly Readonly<{name: string; weight: number}>[];
  retries: Readonly<{numRetries: number; retryOn: string}>;
  /** `namespace/name` of the VirtualService this route came from. */
  virtualService?: string;
}>;

export type SimVirtualHost = Readonly<{name: string; domains: readonly string[]; routes: readonly SimRoute[]; passthrough?: boolean}>;
export type SimRouteConfig = Readonly<{name: string; virtualHosts: readonly SimVirtualHost[]}>;
export type SimListener = Readonly<{name: string; address: string; port: number; kind: 'HTTP' | 'TCP'; routeConfig?: string; cluster?: string}>;

export type SidecarConfig = Readonly<{clusters: readonly SimCluster[]; listeners: readonly SimListener[]; routes: readonly SimRouteConfig[]}>;

/** Istio's default retry policy for a route without one (istio/istio pilot/pkg/networking/core/route/retry). */
export const DEFAULT_RETRIES = {numRetries: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes'} as const;

const DOMAIN = 'cluster.local';

function fqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.${DOMAIN}`;
}

/** Durations as DestinationRules write them (`10s`, `1m`, `500ms`). */
function seconds(value: unknown, fallback: number): number {
  const m = typeof value === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim()) : null;
  if (!m) return fallback;
  return Number(m[1]) * {ms: 0.001, s: 1, m: 60, h: 3600}[m[2] as 'ms' | 's' | 'm' | 'h'];
}

function outlierOf(dr: DestinationRule | undefined): OutlierConfig | undefined {
  const o = dr?.spec.trafficPolicy?.outlierDetection as Record<string, unknown> | undefined;
  if (!o) return undefined;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return {
    ...(num(o.consecutiveGatewayErrors) !== undefined ? {consecutiveGatewayErrors: num(o.consecutiveGatewayErrors)} : {}),
    ...(num(o.consecutive5xxErrors) !== undefined ? {consecutive5xxErrors: num(o.consecutive5xxErrors)} : {}),
    // Envoy's defaults (interval 10 s, base ejection time 30 s) when the rule leaves them out.
    intervalSeconds: seconds(o.interval, 10),
    baseEjectionSeconds: seconds(o.baseEjectionTime, 30),
    ...(num(o.maxEjectionPercent) !== undefined ? {maxEjectionPercent: num(o.maxEjectionPercent)} : {}),
    ...(num(o.minHealthPercent) !== undefined ? {minHealthPercent: num(o.minHealthPercent)} : {}),
  };
}

function hostOf(host: string, namespace: string): string {
  return host.includes('.') ? host : fqdn(host, namespace);
}

/** The sidecar configuration of one pod in a world of objects. */
export function sidecarConfig(objects: readonly KubeObject[], pod: Pod): SidecarConfig {
  const services = objects.filter((o): o is Service => o.kind === 'Service');
  const slices = objects.filter((o): o is EndpointSlice => o.kind === 'EndpointSlice');
  const pods = new Map(objects.filter((o) => o.kind === 'Pod').map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p as Pod]));
  const drs = objects.filter((o): o is DestinationRule => o.kind === 'DestinationRule');
  // VirtualServices bound to the mesh (no gateways, or `mesh` among them) apply to sidecars.
  const vss = objects.filter((o): o is VirtualService => o.kind === 'VirtualService').filter((v) => (v.spec.gateways ?? ['mesh']).includes('mesh'));
  const clusters: SimCluster[] = [];
  const routesByPort = new Map<number, SimVirtualHost[]>();
  const listeners: SimListener[] = [
    {name: 'virtualOutbound', address: '0.0.0.0', port: 15001, kind: 'TCP', cluster: 'PassthroughCluster'},
    {name: 'virtualInbound', address: '0.0.0.0', port: 15006, kind: 'TCP', cluster: 'InboundPassthroughCluster'},
  ];
  for (const svc of [...services].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`))) {
    const ns = svc.metadata.namespace ?? 'default';
    const host = fqdn(svc.metadata.name, ns);
    const dr = drs.find((d) => hostOf(d.spec.host, d.metadata.namespace ?? 'default') === host);
    const eps = slices.filter((s) => s.metadata.namespace === ns && s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name);
    for (const sp of svc.spec.ports ?? []) {
      const endpoints: SimEndpoint[] = [];
      for (const slice of eps) {
        const port = (slice.ports ?? []).find((p) => p.name === (sp.name ?? '') || (slice.ports ?? []).length === 1)?.port ?? (typeof sp.targetPort === 'number' ? sp.targetPort : sp.port);
        for (const e of slice.endpoints ?? []) {
          for (const ip of e.addresses) endpoints.push({ip, port, namespace: ns, ready: e.conditions?.ready !== false, ...(e.targetRef?.name ? {pod: e.targetRef.name} : {})});
        }
      }
      const base = {type: 'EDS' as const, direction: 'outbound' as const, service: `${ns}/${svc.metadata.name}`, host, port: sp.port,
        ...(dr ? {destinationRule: `${dr.metadata.namespace}/${dr.metadata.name}`} : {}), ...(outlierOf(dr) ? {outlier: outlierOf(dr)!} : {})};
      clusters.push({...base, name: `outbound|${sp.port}||${host}`, endpoints});
      for (const subset of dr?.spec.subsets ?? []) {
        const keep = endpoints.filter((e) => e.pod && matchesLabels(pods.get(`${ns}/${e.pod}`)?.metadata.labels, subset.labels));
        clusters.push({...base, name: `outbound|${sp.port}|${subset.name}|${host}`, subset: subset.name, endpoints: keep});
      }
      const tcp = sp.name === 'tcp' || (sp.name ?? '').startsWith('tcp-') || sp.appProtocol === 'tcp';
      if (tcp) {
        if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') listeners.push({name: `${svc.spec.clusterIP}_${sp.port}`, address: svc.spec.clusterIP, port: sp.port, kind: 'TCP', cluster: `outbound|${sp.port}||${host}`});
        continue;
      }
      const domains = [host, `${svc.metadata.name}.${ns}.svc`, `${svc.metadata.name}.${ns}`, ...(ns === pod.metadata.namespace ? [svc.metadata.name] : []), ...(svc.spec.clusterIP && svc.spec.clusterIP !== 'None' ? [svc.spec.clusterIP] : [])];
      const vs = vss.find((v) => (v.spec.hosts ?? []).some((h) => hostOf(h, v.metadata.namespace ?? 'default') === host));
      const routes = vs ? virtualServiceRoutes(vs, sp.port) : [{name: 'default', match: {prefix: '/'}, clusters: [{name: `outbound|${sp.port}||${host}`, weight: 100}], retries: DEFAULT_RETRIES}];
      const list = routesByPort.get(sp.port) ?? [];
      list.push({name: `${host}:${sp.port}`, domains, routes});
      routesByPort.set(sp.port, list);
    }
  }
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (c.name === 'istio-proxy') continue;
      clusters.push({name: `inbound|${p.containerPort}||`, type: 'ORIGINAL_DST', direction: 'inbound', port: p.containerPort, endpoints: []});
    }
  }
  clusters.push(
    {name: 'BlackHoleCluster', type: 'STATIC', direction: 'other', endpoints: []},
    {name: 'PassthroughCluster', type: 'ORIGINAL_DST', direction: 'other', endpoints: []},
    {name: 'InboundPassthroughCluster', type: 'ORIGINAL_DST', direction: 'other', endpoints: []},
    {name: 'prometheus_stats', type: 'STATIC', direction: 'other', endpoints: [], staticAddress: '127.0.0.1:15000'},
    {name: 'agent', type: 'STATIC', direction: 'other', endpoints: [], staticAddress: '127.0.0.1:15020'},
  );
  const routes: SimRouteConfig[] = [];
  for (const [port, vhosts] of [...routesByPort].sort((a, b) => a[0] - b[0])) {
    listeners.push({name: `0.0.0.0_${port}`, address: '0.0.0.0', port, kind: 'HTTP', routeConfig: String(port)});
    routes.push({name: String(port), virtualHosts: [...vhosts, {name: 'allow_any', domains: ['*'], passthrough: true, routes: [{name: 'allow_any', match: {prefix: '/'}, clusters: [{name: 'PassthroughCluster', weight: 100}], retries: DEFAULT_RETRIES}]}]});
  }
  return {clusters, listeners, routes};
}

function virtualServiceRoutes(vs: VirtualService, port: number): SimRoute[] {
  const ns = vs.metadata.namespace ?? 'default';
  return (vs.spec.http ?? []).map((r, i) => {
    const dests = r.route ?? [];
    const clusters = dests.map((d) => ({
      name: `outbound|${d.destination.port?.number ?? port}|${d.destination.subset ?? ''}|${hostOf(d.destination.host, ns)}`,
      weight: d.weight ?? (dests.length === 1 ? 100 : 0),
    }));
    const headers = (r.match ?? []).flatMap((m) => Object.entries((m as {headers?: Record<string, {exact?: string}>}).headers ?? {}).filter(([, v]) => v.exact !== undefined).map(([name, v]) => ({name, exact: v.exact!})));
    const retries = (r as {retries?: {attempts?: number; retryOn?: string}}).retries;
    return {
      ...(r.name ? {name: r.name} : {name: `${vs.metadata.name}.${ns}.${i}`}),
      match: {prefix: '/', ...(headers.length ? {headers} : {})},
      clusters,
      retries: retries ? {numRetries: retries.attempts ?? DEFAULT_RETRIES.numRetries, retryOn: retries.retryOn ?? DEFAULT_RETRIES.retryOn} : DEFAULT_RETRIES,
      virtualService: `${ns}/${vs.metadata.name}`,
    };
  });
}
