/**
 * The routes that send traffic to a set of Services, with their weights: Istio VirtualService http,
 * tls and tcp rules (a destination's `weight`; a single destination without one takes 100), and
 * Gateway API routes' backendRefs (`weight`, default 1, shares relative to the rule's sum). What
 * `istioctl x describe` shows as "VirtualService … weight N%", for `describe`, findings' context and
 * runbooks (the exact JSON patch that shifts a failing destination's weight back). Pure.
 */
import type {ObjectReader} from '../core/check.js';
import type {Route, Service, VirtualService} from '../core/kube-types/index.js';
import {backendTarget, listRoutes} from './gateway-api/routes.js';
import {IstioHosts} from './istio/hosts.js';

export type RouteDestination = Readonly<{
  /** As written (`checkout-canary`, `reviews.shop.svc.cluster.local`, a backendRef's name). */
  host: string;
  /** `namespace/name` of the Kubernetes Service it resolves to, when it does. */
  service?: string;
  subset?: string;
  port?: number;
  /** The weight as written; undefined when the rule leaves it out. */
  weight?: number;
  /** Share of the rule's traffic in percent (0–100). */
  share: number;
  /** JSON pointer of the weight field (for a patch). */
  pointer: string;
}>;

export type RoutingRule = Readonly<{
  kind: string;
  apiVersion: string;
  /** kubectl resource name (`virtualservices.networking.istio.io`). */
  resource: string;
  namespace: string;
  name: string;
  /** `http[0]`, `rules[1]`… */
  rule: string;
  /** The rule's own name, when it has one (VirtualService `http[].name`). */
  ruleName?: string;
  /** Whether the rule only applies to matching requests (headers, paths…). */
  conditional: boolean;
  destinations: readonly RouteDestination[];
}>;

/** Shares in percent from weights; a lone destination without a weight takes everything. */
function shares(weights: readonly (number | undefined)[], defaultWeight: number): number[] {
  const resolved = weights.map((w) => w ?? (weights.length === 1 ? 100 : defaultWeight));
  const total = resolved.reduce((a, b) => a + b, 0);
  return resolved.map((w) => (total > 0 ? (w / total) * 100 : 0));
}

function virtualServiceRules(vs: VirtualService, hosts: IstioHosts): RoutingRule[] {
  const ns = vs.metadata.namespace ?? 'default';
  const out: RoutingRule[] = [];
  const base = {kind: 'VirtualService', apiVersion: vs.apiVersion, resource: 'virtualservices.networking.istio.io', namespace: ns, name: vs.metadata.name};
  for (const kind of ['http', 'tls', 'tcp'] as const) {
    (vs.spec[kind] ?? []).forEach((r, i) => {
      const route = r.route ?? [];
      if (route.length === 0) return;
      const s = shares(route.map((d) => d.weight), 0);
      const destinations = route.map((d, j): RouteDestination => {
        const svc = d.destination?.host ? hosts.serviceFor(d.destination.host, ns) : undefined;
        return {
          host: d.destination?.host ?? '',
          ...(svc ? {service: `${svc.metadata.namespace}/${svc.metadata.name}`} : {}),
          ...(d.destination?.subset ? {subset: d.destination.subset} : {}),
          ...(d.destination?.port?.number !== undefined ? {port: d.destination.port.number} : {}),
          ...(d.weight !== undefined ? {weight: d.weight} : {}),
          share: s[j],
          pointer: `/spec/${kind}/${i}/route/${j}/weight`,
        };
      });
      const name = (r as {name?: string}).name;
      out.push({...base, rule: `${kind}[${i}]`, ...(name ? {ruleName: name} : {}), conditional: (r.match ?? []).length > 0, destinations});
    });
  }
  return out;
}

function gatewayRoutingRules(route: Route, resource: string): RoutingRule[] {
  const ns = route.metadata.namespace ?? 'default';
  const out: RoutingRule[] = [];
  (route.spec.rules ?? []).forEach((rule, i) => {
    const refs = (rule.backendRefs ?? []).map((ref) => backendTarget(ref, ns));
    if (refs.length === 0) return;
    const s = shares(refs.map((r) => r.weight), 1);
    const destinations = refs.map((t, j): RouteDestination => ({
      host: t.name,
      ...(t.kind === 'Service' && t.group === '' ? {service: `${t.namespace}/${t.name}`} : {}),
      ...(t.port !== undefined ? {port: t.port} : {}),
      weight: t.weight,
      share: s[j],
      pointer: `/spec/rules/${i}/backendRefs/${j}/weight`,
    }));
    const matches = rule.matches ?? [];
    out.push({kind: route.kind, apiVersion: route.apiVersion, resource, namespace: ns, name: route.metadata.name, rule: `rules[${i}]`, conditional: matches.length > 0, destinations});
  });
  return out;
}

/**
 * Every route rule with a destination among `services` (`namespace/name`), VirtualServices first.
 * `clusterDomain` and `rootNamespace` resolve short Istio hosts the way istiod does.
 */
export function routesTo(objects: ObjectReader, services: ReadonlySet<string>, opts: Readonly<{clusterDomain: string; rootNamespace: string}>): RoutingRule[] {
  if (services.size === 0) return [];
  const hosts = new IstioHosts(objects, opts.clusterDomain, opts.rootNamespace, {serviceEntries: false, destinationRules: false});
  const rules: RoutingRule[] = [];
  for (const vs of objects.list('virtualservices.networking.istio.io')) rules.push(...virtualServiceRules(vs, hosts));
  for (const {key, route} of listRoutes(objects)) rules.push(...gatewayRoutingRules(route, key));
  return rules.filter((r) => r.destinations.some((d) => d.service !== undefined && services.has(d.service)));
}

/** Services in a namespace whose selector matches the labels (a workload's pod template, a pod). */
export function servicesSelectingLabels(objects: ObjectReader, namespace: string, labels: Readonly<Record<string, string>> | undefined): Service[] {
  if (!labels) return [];
  return objects.list('services', namespace).filter((s) => {
    const sel = s.spec?.selector;
    return sel !== undefined && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
  });
}

export type WeightShift = Readonly<{
  rule: RoutingRule;
  /** JSON patch (RFC 6902) setting the failing destinations' weights to 0 and the others' to their share of 100. */
  patch: readonly Readonly<{op: 'replace' | 'add'; path: string; value: number}>[];
  /** What the weights become, `destination → percent`. */
  after: readonly Readonly<{host: string; subset?: string; share: number}>[];
}>;

/**
 * Shifting a rule's traffic away from the failing Services: their weights become 0 and the other
 * destinations share 100 in their current proportions (equally when they had none). Undefined when
 * every destination of the rule is failing (nowhere to send the traffic).
 */
export function weightShift(rule: RoutingRule, failing: ReadonlySet<string>): WeightShift | undefined {
  const bad = (d: RouteDestination) => d.service !== undefined && failing.has(d.service);
  const keep = rule.destinations.filter((d) => !bad(d));
  if (keep.length === 0 || keep.length === rule.destinations.length) return undefined;
  const keptTotal = keep.reduce((a, d) => a + d.share, 0);
  const raw = keep.map((d) => (keptTotal > 0 ? (d.share / keptTotal) * 100 : 100 / keep.length));
  // Whole numbers that add up to exactly 100 (Istio requires it); the remainder goes to the largest.
  const whole = raw.map((v) => Math.floor(v));
  const rest = 100 - whole.reduce((a, b) => a + b, 0);
  const largest = raw.indexOf(Math.max(...raw));
  whole[largest] += rest;
  const next = new Map(keep.map((d, i) => [d, whole[i]]));
  const patch = rule.destinations.map((d) => ({op: (d.weight === undefined ? 'add' : 'replace') as 'add' | 'replace', path: d.pointer, value: next.get(d) ?? 0}));
  const after = rule.destinations.map((d) => ({host: d.host, ...(d.subset ? {subset: d.subset} : {}), share: next.get(d) ?? 0}));
  return {rule, patch, after};
}

/** `75% checkout-stable, 25% checkout-canary (subset v2)`. */
export function describeWeights(destinations: readonly Readonly<{host: string; subset?: string; share: number}>[]): string {
  return destinations.map((d) => `${Math.round(d.share * 10) / 10}% ${d.host}${d.subset ? ` (subset ${d.subset})` : ''}`).join(', ');
}

/** `VirtualService shop/checkout http[0] "canary-split"`. */
export function ruleLabel(rule: RoutingRule): string {
  return `${rule.kind} ${rule.namespace}/${rule.name} ${rule.rule}${rule.ruleName ? ` "${rule.ruleName}"` : ''}`;
}
