/**
 * Inbound HTTP routes of a Linkerd Server and how a request matches them, as the policy controller
 * builds them (policy-controller/k8s/index/src/inbound/index.rs in linkerd/linkerd2): an HTTPRoute
 * of either group (gateway.networking.k8s.io, policy.linkerd.io) whose parentRefs name the Server
 * is attached unless its status says the Server did not accept it. When a Server has routes, the
 * proxy serves only those — the default route and the synthesized route for the pod's kubelet
 * probes (`default_inbound_http_routes`) exist only for Servers without routes — and a request
 * that matches no route is answered 404. Match semantics follow the Gateway API: a rule without
 * matches (or a match without a path) matches every path under `/`.
 */
import type {ObjectReader} from '../../core/check.js';
import type {LinkerdServer, Route} from '../../core/kube-types/index.js';
import {currentCondition, normGroup, parentTarget} from '../gateway-api/routes.js';
import {POLICY_GROUP} from './policy.js';

export const INBOUND_ROUTE_KINDS = ['httproutes.policy.linkerd.io', 'httproutes.gateway.networking.k8s.io'] as const;

function serverKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function rejectedBy(route: Route, namespace: string, name: string): boolean {
  const parents = Array.isArray(route.status?.parents) ? route.status.parents : [];
  return parents.some((p) => {
    if (!p?.parentRef || typeof p.parentRef.name !== 'string') return false;
    const t = parentTarget(p.parentRef, route.metadata.namespace ?? 'default');
    if (t.kind !== 'Server' || t.group !== POLICY_GROUP || t.namespace !== namespace || t.name !== name) return false;
    const conditions = Array.isArray(p.conditions) ? p.conditions.filter((c: unknown) => c !== null && typeof c === 'object') : undefined;
    return currentCondition(conditions, 'Accepted', route.metadata.generation)?.status === 'False';
  });
}

/** Every Server-parented HTTPRoute, indexed by `namespace/server` (one pass over the routes). */
export function inboundRoutesByServer(objects: ObjectReader): Map<string, Route[]> {
  const index = new Map<string, Route[]>();
  for (const kind of INBOUND_ROUTE_KINDS) {
    for (const route of objects.list(kind)) {
      const ns = route.metadata.namespace ?? 'default';
      const refs = Array.isArray(route.spec?.parentRefs) ? route.spec.parentRefs : [];
      const seen = new Set<string>();
      for (const ref of refs) {
        if (!ref || typeof ref.name !== 'string' || ref.kind !== 'Server' || normGroup(ref.group) !== POLICY_GROUP) continue;
        const target = ref.namespace ?? ns;
        const key = serverKey(target, ref.name);
        if (seen.has(key) || rejectedBy(route, target, ref.name)) continue;
        seen.add(key);
        const list = index.get(key);
        if (list) list.push(route);
        else index.set(key, [route]);
      }
    }
  }
  return index;
}

export function routesOf(index: Map<string, Route[]>, server: LinkerdServer): readonly Route[] {
  return index.get(serverKey(server.metadata.namespace ?? 'default', server.metadata.name)) ?? [];
}

export type Request = Readonly<{method: string; path: string; headers: readonly Readonly<{name: string; value: string}>[]}>;

function pathMatches(match: unknown, path: string): boolean {
  const p = (match as {path?: {type?: unknown; value?: unknown}} | null)?.path;
  if (!p || typeof p !== 'object') return true;
  const value = typeof p.value === 'string' ? p.value : '/';
  const type = typeof p.type === 'string' ? p.type : 'PathPrefix';
  if (type === 'Exact') return path === value;
  if (type === 'RegularExpression') {
    try {
      return new RegExp(`^(?:${value})$`).test(path);
    } catch {
      return true; // an expression JavaScript cannot read: do not claim it misses
    }
  }
  // PathPrefix matches whole path segments; a trailing slash on the prefix is ignored.
  const prefix = value.endsWith('/') ? value.slice(0, -1) : value;
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}

function headersMatch(match: unknown, request: Request): boolean {
  const headers = (match as {headers?: unknown} | null)?.headers;
  if (!Array.isArray(headers)) return true;
  return headers.every((h: {name?: unknown; value?: unknown; type?: unknown} | null) => {
    if (!h || typeof h.name !== 'string') return true;
    if (h.type === 'RegularExpression') return true; // not judged
    const name = h.name.toLowerCase();
    return request.headers.some((r) => r.name.toLowerCase() === name && r.value === h.value);
  });
}

/** Whether some rule of the route matches the request (hostnames and query parameters are not judged). */
export function routeMatches(route: Route, request: Request): boolean {
  const rules = Array.isArray(route.spec?.rules) ? route.spec.rules : [];
  if (rules.length === 0) return true;
  return rules.some((rule) => {
    const matches: readonly unknown[] = Array.isArray(rule?.matches) ? rule.matches : [];
    if (matches.length === 0) return true;
    return matches.some((m: unknown) => {
      const method = (m as {method?: unknown} | null)?.method;
      if (typeof method === 'string' && method.toUpperCase() !== request.method) return false;
      return pathMatches(m, request.path) && headersMatch(m, request);
    });
  });
}
