/**
 * Istio Gateway (networking.istio.io) knowledge: which pods a Gateway selects, how server hosts
 * (`[<ns>/]<host>`) bind VirtualService hosts, and where `credentialName` Secrets must live.
 */
import type {ObjectReader} from '../../core/check.js';
import type {GatewayServer, IstioGateway, Pod} from '../../core/kube-types/index.js';
import {hostMatches} from './hosts.js';

/** istiod env `PILOT_SCOPE_GATEWAY_TO_NAMESPACE=true` restricts Gateway selectors to the Gateway's namespace. */
export function gatewaySelectorScopedToNamespace(objects: ObjectReader): boolean {
  for (const d of objects.select('deployments.apps', undefined, {app: 'istiod'})) {
    for (const c of d.spec.template.spec.containers) {
      if (c.env?.some((e) => e.name === 'PILOT_SCOPE_GATEWAY_TO_NAMESPACE' && (e.value ?? '').toLowerCase() === 'true')) return true;
    }
  }
  return false;
}

/** Pods a Gateway selects (any namespace, or only its own when scoped); empty selector → none. */
export function gatewayPods(objects: ObjectReader, gw: IstioGateway, scopedToNamespace: boolean): readonly Pod[] {
  const selector = gw.spec.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  return objects.select('pods', scopedToNamespace ? gw.metadata.namespace : undefined, selector);
}

/** `ns/host` → [ns, host]; a bare host has no namespace part. */
export function splitServerHost(entry: string): [string | undefined, string] {
  const slash = entry.indexOf('/');
  return slash === -1 ? [undefined, entry] : [entry.slice(0, slash), entry.slice(slash + 1)];
}

/**
 * Whether a server host entry binds a VirtualService host: the namespace part must be absent, `*`,
 * the VirtualService's namespace, or `.` with the VirtualService in the Gateway's namespace; the host
 * part matches exactly or by wildcard on either side.
 */
export function serverHostBinds(entry: string, gatewayNamespace: string, vsNamespace: string, vsHost: string): boolean {
  const [ns, host] = splitServerHost(entry);
  if (ns !== undefined && ns !== '*' && ns !== vsNamespace && !(ns === '.' && vsNamespace === gatewayNamespace)) return false;
  return hostMatches(host, vsHost);
}

export function serverBindsHost(server: GatewayServer, gatewayNamespace: string, vsNamespace: string, vsHost: string): boolean {
  return (server.hosts ?? []).some((h) => serverHostBinds(h, gatewayNamespace, vsNamespace, vsHost));
}

/** Two server host entries overlap (namespace parts ignored): one matches the other. */
export function serverHostsOverlap(a: string, b: string): boolean {
  return hostMatches(splitServerHost(a)[1], splitServerHost(b)[1]);
}

/** A plain `credentialName` (not `kubernetes-gateway://…` or `ns/name`, which meshdoctor does not resolve). */
export function plainCredentialName(name: string | undefined): string | undefined {
  if (!name || name.includes('/') || name.includes(':')) return undefined;
  return name;
}

export type CredentialRef = Readonly<{namespace: string; name: string}>;

/**
 * Secrets the TLS servers of Istio Gateways read: `credentialName` (and `<name>-cacert` for MUTUAL),
 * in every namespace where the Gateway's pods run. The collector fetches exactly these by name (D10).
 */
export function gatewayCredentialRefs(objects: ObjectReader): CredentialRef[] {
  const scoped = gatewaySelectorScopedToNamespace(objects);
  const refs = new Map<string, CredentialRef>();
  for (const gw of objects.list('gateways.networking.istio.io')) {
    const namespaces = new Set(gatewayPods(objects, gw, scoped).map((p) => p.metadata.namespace ?? 'default'));
    for (const server of gw.spec.servers ?? []) {
      const name = plainCredentialName(server.tls?.credentialName);
      if (!name) continue;
      for (const namespace of namespaces) {
        refs.set(`${namespace}/${name}`, {namespace, name});
        if ((server.tls?.mode ?? '').toUpperCase() === 'MUTUAL') refs.set(`${namespace}/${name}-cacert`, {namespace, name: `${name}-cacert`});
      }
    }
  }
  return [...refs.values()];
}

/**
 * A gateway proxy pod: its istio-proxy container runs as a `router` (istioctl-installed gateways), it
 * asks for the `gateway` injection template (the gateway Helm chart, `inject.istio.io/templates`), or
 * it carries the conventional `istio: …gateway` label (`istio: ingressgateway`).
 */
export function isIstioGatewayPod(pod: Pod): boolean {
  if ((pod.metadata.annotations?.['inject.istio.io/templates'] ?? '').split(',').includes('gateway')) return true;
  if (pod.metadata.labels?.istio?.endsWith('gateway')) return true;
  return pod.spec.containers.some((c) => c.name === 'istio-proxy' && (c.args ?? []).includes('router'));
}
