/**
 * Gateway API routes and their references (gateway.networking.k8s.io; Linkerd's policy.linkerd.io
 * HTTPRoute has the same shape). Defaults from the spec: a parentRef is a Gateway
 * (group gateway.networking.k8s.io) unless it says otherwise; a backendRef is a core Service; both
 * default to the route's namespace. A reference into another namespace needs a ReferenceGrant there.
 */
import type {ObjectReader} from '../../core/check.js';
import type {BackendRef, Condition, ParentReference, Route} from '../../core/kube-types/index.js';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export const LINKERD_POLICY_GROUP = 'policy.linkerd.io';

export const ROUTE_KINDS = [
  'httproutes.gateway.networking.k8s.io',
  'grpcroutes.gateway.networking.k8s.io',
  'tcproutes.gateway.networking.k8s.io',
  'tlsroutes.gateway.networking.k8s.io',
  'httproutes.policy.linkerd.io',
] as const;

export type RouteKind = (typeof ROUTE_KINDS)[number];

/** `core` and the empty string both name the core API group. */
export function normGroup(group: string | undefined): string {
  return !group || group === 'core' ? '' : group;
}

export function routeGroup(route: Route): string {
  const slash = route.apiVersion.indexOf('/');
  return slash === -1 ? '' : route.apiVersion.slice(0, slash);
}

export type ParentTarget = Readonly<{group: string; kind: string; namespace: string; name: string; sectionName?: string; port?: number}>;
export type BackendTarget = Readonly<{group: string; kind: string; namespace: string; name: string; port?: number; weight: number}>;

export function parentTarget(ref: ParentReference, routeNamespace: string): ParentTarget {
  return {
    group: ref.group === undefined ? GATEWAY_GROUP : normGroup(ref.group),
    kind: ref.kind ?? 'Gateway',
    namespace: ref.namespace ?? routeNamespace,
    name: ref.name,
    ...(ref.sectionName !== undefined ? {sectionName: ref.sectionName} : {}),
    ...(ref.port !== undefined ? {port: ref.port} : {}),
  };
}

export function backendTarget(ref: BackendRef, routeNamespace: string): BackendTarget {
  return {
    group: normGroup(ref.group),
    kind: ref.kind ?? 'Service',
    namespace: ref.namespace ?? routeNamespace,
    name: ref.name,
    ...(ref.port !== undefined ? {port: ref.port} : {}),
    weight: ref.weight ?? 1,
  };
}

export function sameParent(a: ParentTarget, b: ParentTarget): boolean {
  return a.group === b.group && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name && a.sectionName === b.sectionName && a.port === b.port;
}

export type BackendUse = Readonly<{target: BackendTarget; where: string; mirror: boolean}>;

/** Every backend a route names: rule backendRefs, and requestMirror filters on rules and on backends. */
export function backendUses(route: Route): BackendUse[] {
  const ns = route.metadata.namespace ?? 'default';
  const out: BackendUse[] = [];
  (route.spec.rules ?? []).forEach((rule, i) => {
    (rule.backendRefs ?? []).forEach((ref, j) => {
      out.push({target: backendTarget(ref, ns), where: `rules[${i}].backendRefs[${j}]`, mirror: false});
      (ref.filters ?? []).forEach((f, k) => {
        if (f.requestMirror?.backendRef) out.push({target: backendTarget(f.requestMirror.backendRef, ns), where: `rules[${i}].backendRefs[${j}].filters[${k}].requestMirror`, mirror: true});
      });
    });
    (rule.filters ?? []).forEach((f, k) => {
      if (f.requestMirror?.backendRef) out.push({target: backendTarget(f.requestMirror.backendRef, ns), where: `rules[${i}].filters[${k}].requestMirror`, mirror: true});
    });
  });
  return out;
}

/** Routes of every kind, with the key they were listed under. */
export function listRoutes(objects: ObjectReader): {key: RouteKind; route: Route}[] {
  const out: {key: RouteKind; route: Route}[] = [];
  for (const key of ROUTE_KINDS) for (const route of objects.list(key)) out.push({key, route});
  return out;
}

/**
 * Whether a ReferenceGrant in the target namespace lets `from` (a route's group/kind/namespace)
 * refer to `to` (group/kind, optionally one name). Same-namespace references need none.
 */
export function referenceGranted(
  objects: ObjectReader,
  from: Readonly<{group: string; kind: string; namespace: string}>,
  to: Readonly<{group: string; kind: string; namespace: string; name: string}>,
): boolean {
  if (from.namespace === to.namespace) return true;
  return objects.list('referencegrants.gateway.networking.k8s.io', to.namespace).some(
    (g) =>
      (g.spec.from ?? []).some((f) => normGroup(f.group) === normGroup(from.group) && f.kind === from.kind && f.namespace === from.namespace) &&
      (g.spec.to ?? []).some((t) => normGroup(t.group) === normGroup(to.group) && t.kind === to.kind && (t.name === undefined || t.name === '' || t.name === to.name)),
  );
}

/** A condition that describes the current generation (stale conditions from an older spec are ignored). */
export function currentCondition(conditions: readonly Condition[] | undefined, type: string, generation: number | undefined): Condition | undefined {
  const c = conditions?.find((x) => x.type === type);
  if (!c) return undefined;
  if (c.observedGeneration !== undefined && generation !== undefined && c.observedGeneration < generation) return undefined;
  return c;
}

/** `Kind ns/name` of a reference, for messages. */
export function refText(t: Readonly<{kind: string; namespace: string; name: string; port?: number}>): string {
  return `${t.kind} ${t.namespace}/${t.name}${t.port !== undefined ? `:${t.port}` : ''}`;
}
