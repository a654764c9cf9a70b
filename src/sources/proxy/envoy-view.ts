/**
 * A sidecar's own view, read from its Envoy admin endpoint with GETs of read-only paths only
 * (ENVOY_READ_PATHS; never /quitquitquit, /healthcheck/fail, /reset_counters, /drain_listeners,
 * /logging or anything else that changes state): clusters and their outlier/panic settings,
 * endpoints with health and outlier ejection, listeners, routes with weights, and stats for the
 * upstreams asked about. Parsing is src/mesh/envoy/admin.ts.
 */
import type {EnvoyCluster, EnvoyHost, EnvoyListener, EnvoyRoute} from '../../mesh/envoy/admin.js';
import {parseClusters, parseClusterStatuses, parseListeners, parseRoutes, parseStats} from '../../mesh/envoy/admin.js';

export type EnvoyPart = 'clusters' | 'endpoints' | 'listeners' | 'routes' | 'stats';

/** Every admin path meshdoctor reads (a test holds the readers to this list). */
export const ENVOY_READ_PATHS: Readonly<Record<EnvoyPart, string>> = {
  clusters: '/config_dump?resource=dynamic_active_clusters',
  endpoints: '/clusters?format=json',
  listeners: '/config_dump?resource=dynamic_listeners',
  routes: '/config_dump?resource=dynamic_route_configs',
  stats: '/stats',
};

/** Admin ports of the Envoy-based sidecars (Istio and OSM bind it to the pod's loopback; Consul's is 19000). */
export const ENVOY_ADMIN_PORTS: Readonly<Record<string, number>> = {istio: 15000, osm: 15000, consul: 19000};

export type EnvoyView = Readonly<{
  clusters?: readonly EnvoyCluster[];
  endpoints?: readonly EnvoyHost[];
  listeners?: readonly EnvoyListener[];
  routes?: readonly EnvoyRoute[];
  stats?: ReadonlyMap<string, number>;
  /** Parts that could not be read, with the reason. */
  errors: readonly Readonly<{part: EnvoyPart; reason: string}>[];
}>;

/** Stats of the clusters whose names contain one of `hosts` (e.g. the failing upstream's FQDN). */
export function statsPath(hosts: readonly string[]): string {
  if (hosts.length === 0) return ENVOY_READ_PATHS.stats;
  const escaped = hosts.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `${ENVOY_READ_PATHS.stats}?filter=${encodeURIComponent(`^cluster\\.[^.]*\\|[0-9]*\\|[^|]*\\|(${escaped.join('|')})\\.`)}`;
}

export async function readEnvoyView(get: (path: string) => Promise<string>, parts: readonly EnvoyPart[], options: Readonly<{statsFor?: readonly string[]}> = {}): Promise<EnvoyView> {
  const errors: {part: EnvoyPart; reason: string}[] = [];
  const view: {-readonly [K in keyof EnvoyView]?: EnvoyView[K]} = {};
  await Promise.all(parts.map(async (part) => {
    try {
      const text = await get(part === 'stats' ? statsPath(options.statsFor ?? []) : ENVOY_READ_PATHS[part]);
      if (part === 'stats') {
        view.stats = parseStats(text);
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error('the admin endpoint did not answer JSON');
      }
      if (part === 'clusters') view.clusters = parseClusters(json);
      else if (part === 'endpoints') view.endpoints = parseClusterStatuses(json);
      else if (part === 'listeners') view.listeners = parseListeners(json);
      else view.routes = parseRoutes(json);
    } catch (error) {
      errors.push({part, reason: (error as Error).message});
    }
  }));
  return {...view, errors};
}
