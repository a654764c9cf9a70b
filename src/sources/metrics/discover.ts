/**
 * Finding the in-cluster Prometheus of the detected mesh when no `--prometheus-url` is given, and
 * reaching it through the API server's service proxy (GET
 * `/api/v1/namespaces/<ns>/services/<name>:<port>/proxy/api/v1/…`). Candidates, in order:
 * linkerd-viz's `viz.linkerd.io/external-prometheus` annotation (an in-cluster Service URL is turned
 * into the service proxy; any other URL is used directly), the Istio addon `prometheus` in the
 * control-plane namespace, linkerd-viz `prometheus` in the viz namespace, kube-prometheus
 * `prometheus-k8s` / `prometheus-operated`. Each candidate costs one GET of a Service by name.
 */
import type {KubeObject, Service} from '../../core/kube-types/index.js';
import type {MeshInfo} from '../../core/types.js';
import {redactUserinfo} from '../../core/sanitize.js';
import type {KubeHttp} from './kube-http.js';
import {serviceProxyPath} from './kube-http.js';
import type {PrometheusTarget} from './prometheus.js';

export type Candidate = Readonly<{namespace: string; name: string; why: string}>;

export type DiscoveryInput = Readonly<{meshes: readonly MeshInfo[]; namespaces: readonly KubeObject[]; pods: readonly KubeObject[]}>;

/** `http://prometheus.monitoring.svc.cluster.local:9090` → the Service it names (namespace, name, port). */
export function inClusterService(url: string): {namespace: string; name: string; port: string} | undefined {
  try {
    const u = new URL(url);
    const m = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.[a-z0-9.-]+)?)?$/.exec(u.hostname);
    if (!m || (!m[3] && u.hostname.split('.').length !== 2)) return undefined;
    return {name: m[1], namespace: m[2], port: u.port || (u.protocol === 'https:' ? '443' : '80')};
  } catch {
    return undefined;
  }
}

/** The annotation linkerd-viz uses for an external Prometheus, if a namespace carries it. */
export function externalPrometheus(namespaces: readonly KubeObject[]): string | undefined {
  for (const ns of namespaces) {
    const url = ns.metadata.annotations?.['viz.linkerd.io/external-prometheus'];
    if (url) return url;
  }
  return undefined;
}

export function candidates(input: DiscoveryInput): Candidate[] {
  const out: Candidate[] = [];
  const add = (namespace: string | undefined, name: string, why: string) => {
    if (namespace && !out.some((c) => c.namespace === namespace && c.name === name)) out.push({namespace, name, why});
  };
  for (const mesh of input.meshes) {
    if (mesh.name === 'istio') add(mesh.namespace, 'prometheus', 'Istio addon');
    if (mesh.name === 'linkerd') add(mesh.extensions?.viz, 'prometheus', 'linkerd-viz');
    if (mesh.name === 'osm') add(mesh.namespace, 'osm-prometheus', 'OSM addon');
    if (mesh.name === 'consul') add(mesh.namespace, 'prometheus', 'Consul demo Prometheus');
  }
  // kube-prometheus / prometheus-operator: the operator labels its pods; fall back to `monitoring`.
  const operatorNamespaces = new Set<string>();
  for (const pod of input.pods) {
    const labels = pod.metadata.labels ?? {};
    if (labels['app.kubernetes.io/name'] === 'prometheus' && pod.metadata.namespace) operatorNamespaces.add(pod.metadata.namespace);
  }
  for (const ns of [...operatorNamespaces, 'monitoring']) {
    add(ns, 'prometheus-k8s', 'kube-prometheus');
    add(ns, 'prometheus-operated', 'prometheus-operator');
  }
  for (const ns of operatorNamespaces) add(ns, 'prometheus', 'Prometheus pods');
  return out;
}

function webPort(service: Service): number | string | undefined {
  const ports = service.spec?.ports ?? [];
  const named = ports.find((p) => p.name === 'web' || p.name === 'http' || p.name === 'http-web' || p.name === 'admin-http');
  return (named ?? ports.find((p) => p.port === 9090) ?? ports[0])?.port;
}

export type Discovery = Readonly<{target?: PrometheusTarget; tried: readonly string[]}>;

function viaApiServer(http: KubeHttp, namespace: string, name: string, port: number | string, why: string): PrometheusTarget {
  return {
    url: http.server.replace(/\/$/, '') + serviceProxyPath(namespace, name, port),
    description: `service ${namespace}/${name} (${why}) via the API server`,
    authorize: () => http.auth(),
  };
}

export async function discoverPrometheus(http: KubeHttp, input: DiscoveryInput, timeoutMs: number): Promise<Discovery> {
  const tried: string[] = [];
  const external = externalPrometheus(input.namespaces);
  if (external) {
    const svc = inClusterService(external);
    if (svc) return {target: viaApiServer(http, svc.namespace, svc.name, svc.port, 'viz.linkerd.io/external-prometheus'), tried};
    return {target: {url: external, description: `${redactUserinfo(external)} (viz.linkerd.io/external-prometheus)`}, tried};
  }
  for (const c of candidates(input)) {
    tried.push(`${c.namespace}/${c.name}`);
    const res = await http.get(`/api/v1/namespaces/${encodeURIComponent(c.namespace)}/services/${encodeURIComponent(c.name)}`, {timeoutMs, accept: 'application/json'});
    if (res.status === 404 || res.status === 403) continue;
    if (res.status !== 200) continue;
    let service: Service;
    try {
      service = JSON.parse(res.body.toString('utf8')) as Service;
    } catch {
      continue;
    }
    const port = webPort(service);
    if (port === undefined) continue;
    return {target: viaApiServer(http, c.namespace, c.name, port, c.why), tried};
  }
  return {tried};
}
