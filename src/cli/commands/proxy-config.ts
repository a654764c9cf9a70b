/**
 * `meshdoctor proxy-config POD [clusters|endpoints|listeners|routes]`: what a pod's Envoy sidecar
 * knows, read from its admin endpoint with GETs only (through a port-forward, else the API server's
 * pod proxy): the columns of `istioctl proxy-config`, plus what an incident needs — endpoints with
 * their request and connect-failure counts, routes with their weights. `--fqdn` narrows to one
 * upstream; `-o json` prints the parsed view. Exit 2 for a bad argument or an unknown pod or a pod
 * without an Envoy sidecar; 3 when the cluster or the admin endpoint cannot be reached.
 */
import type {EnvoyCluster, EnvoyHost, EnvoyListener, EnvoyRoute} from '../../mesh/envoy/admin.js';
import {describeDomains} from '../../mesh/envoy/admin.js';
import type {EnvoyPart} from '../../sources/proxy/envoy-view.js';
import {ENVOY_ADMIN_PORTS, readEnvoyView} from '../../sources/proxy/envoy-view.js';
import {sanitizeStrings, toSafeJson} from '../../core/sanitize.js';
import {ExitCode, ExitError} from '../exit-codes.js';
import type {GlobalFlags} from '../options.js';
import {choiceFlag} from '../options.js';
import {oneContext} from '../contexts.js';
import {DEFAULT_REQUEST_TIMEOUT_SECONDS, loadSettings} from '../settings.js';
import {textTable} from '../table.js';
import {resolvePod} from './pod-target.js';

export type ProxyConfigFlags = GlobalFlags & {output?: string; fqdn?: string};

const KINDS = ['clusters', 'endpoints', 'listeners', 'routes'] as const;
type Kind = (typeof KINDS)[number];

function matches(fqdn: string | undefined, ...names: (string | undefined)[]): boolean {
  return !fqdn || names.some((n) => n?.includes(fqdn));
}

export function clustersTable(clusters: readonly EnvoyCluster[]): string {
  return textTable(['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE', 'OUTLIER DETECTION'], clusters.map((c) => [
    c.parts.fqdn ?? c.name, c.parts.port !== undefined ? String(c.parts.port) : '-', c.parts.subset ?? '-', c.parts.direction ?? '-', c.type ?? '-', c.destinationRule ?? '',
    c.outlier ? `${c.outlier.consecutiveGatewayFailure !== undefined ? `${c.outlier.consecutiveGatewayFailure} gateway errors` : `${c.outlier.consecutive5xx ?? '?'} 5xx`}; panic below ${c.panicThreshold ?? 50}%` : '-',
  ]));
}

export function endpointsTable(hosts: readonly EnvoyHost[]): string {
  const sorted = [...hosts].sort((a, b) => a.address.localeCompare(b.address) || a.port - b.port || a.cluster.localeCompare(b.cluster));
  return textTable(['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'REQUESTS', 'ERRORS', 'CONNECT FAILURES', 'CLUSTER'], sorted.map((h) => [
    h.port ? `${h.address}:${h.port}` : h.address, h.health.eds, h.health.outlier ? 'FAILED' : 'OK',
    String(h.stats.rq_total ?? 0), String(h.stats.rq_error ?? 0), String(h.stats.cx_connect_fail ?? 0), h.cluster,
  ]));
}

export function listenersTable(listeners: readonly EnvoyListener[]): string {
  return textTable(['ADDRESSES', 'PORT', 'TYPE', 'DESTINATION'], listeners.map((l) => [l.address, String(l.port), l.type, l.destination]));
}

export function routesTable(routes: readonly EnvoyRoute[]): string {
  return textTable(['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE', 'DESTINATION'], routes.map((r) => [
    r.routeConfig, r.virtualHost, describeDomains(r.domains), r.match, r.virtualService ?? '',
    r.clusters.map((c) => (r.clusters.length > 1 ? `${Math.round(c.weight * 10) / 10}% ${c.name}` : c.name)).join(', '),
  ]));
}

const PART: Readonly<Record<Kind, EnvoyPart>> = {clusters: 'clusters', endpoints: 'endpoints', listeners: 'listeners', routes: 'routes'};

export async function runProxyConfigCommand(podArg: string, kindArg: string | undefined, flags: ProxyConfigFlags): Promise<number> {
  const kind = choiceFlag<Kind>('proxy-config', kindArg ?? 'clusters', KINDS);
  const output = choiceFlag('-o', flags.output ?? 'table', ['table', 'json'] as const);
  const {cluster} = await loadSettings(flags);
  oneContext(cluster, 'proxy-config');
  const timeoutMs = cluster.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_SECONDS * 1000;
  const target = await resolvePod(podArg, flags.namespace, cluster);
  const port = target.mesh ? ENVOY_ADMIN_PORTS[target.mesh] : undefined;
  if (!port) {
    throw new ExitError(ExitCode.usage, `pod ${target.namespace}/${target.name} has ${target.mesh ? `a ${target.mesh} proxy, which is not Envoy` : 'no mesh proxy'}: proxy-config reads Envoy sidecars (Istio, Consul, OSM)${target.mesh === 'linkerd' ? '; for Linkerd see `meshdoctor logs` and the TUI\'s pod view (proxy metrics)' : ''}`);
  }
  const [{getFromPod, portForwardReader, podProxyReader}, {createPortForwardClient}, {createKubeHttp}] = await Promise.all([
    import('../../sources/proxy/pod-port.js'), import('../../sources/kube/port-forward.js'), import('../../sources/metrics/kube-http.js'),
  ]);
  const readers = [
    portForwardReader(() => createPortForwardClient(cluster)),
    podProxyReader(() => createKubeHttp(cluster)),
  ];
  const view = await readEnvoyView((path) => getFromPod(readers, {namespace: target.namespace, pod: target.name, port}, path, timeoutMs), [PART[kind]]);
  if (view.errors.length) throw new ExitError(ExitCode.unavailable, `${target.namespace}/${target.name}: cannot read the Envoy admin endpoint: ${view.errors[0].reason}`);
  const fqdn = flags.fqdn;
  const items = kind === 'clusters' ? (view.clusters ?? []).filter((c) => matches(fqdn, c.name))
    : kind === 'endpoints' ? (view.endpoints ?? []).filter((h) => matches(fqdn, h.cluster))
    : kind === 'listeners' ? (view.listeners ?? []).filter((l) => matches(fqdn, l.name, l.destination))
    : (view.routes ?? []).filter((r) => matches(fqdn, r.virtualHost, ...r.domains, ...r.clusters.map((c) => c.name)));
  if (output === 'json') {
    process.stdout.write(toSafeJson(sanitizeStrings({schemaVersion: 1, context: target.context, namespace: target.namespace, pod: target.name, mesh: target.mesh, kind, items})));
    return ExitCode.ok;
  }
  const table = kind === 'clusters' ? clustersTable(items as EnvoyCluster[]) : kind === 'endpoints' ? endpointsTable(items as EnvoyHost[]) : kind === 'listeners' ? listenersTable(items as EnvoyListener[]) : routesTable(items as EnvoyRoute[]);
  process.stdout.write(table);
  return ExitCode.ok;
}
