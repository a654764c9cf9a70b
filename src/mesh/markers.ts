/**
 * Mesh membership facts shared by detection, scope and checks (docs/rules.md D2, D3):
 * which containers are proxies, which init containers a mesh injects, and which namespace
 * labels/annotations enrol a namespace.
 */
import type {Container, KubeObject, Namespace, Pod} from '../core/kube-types/index.js';
import type {MeshName} from '../core/types.js';

export const PROXY_CONTAINERS: Readonly<Record<MeshName, readonly string[]>> = {
  istio: ['istio-proxy'],
  linkerd: ['linkerd-proxy'],
  consul: ['consul-dataplane', 'envoy-sidecar'],
  osm: ['envoy'],
};

export const INIT_CONTAINERS: Readonly<Record<MeshName, readonly string[]>> = {
  istio: ['istio-init', 'istio-validation'],
  linkerd: ['linkerd-init', 'linkerd-network-validator'],
  consul: ['consul-connect-inject-init'],
  osm: ['osm-init'],
};

const MESH_ORDER: readonly MeshName[] = ['istio', 'linkerd', 'consul', 'osm'];

/** The mesh's proxy container of a pod, including native sidecars (initContainers with restartPolicy Always). */
export function proxyContainer(pod: Pod, mesh: MeshName): Container | undefined {
  const names = PROXY_CONTAINERS[mesh];
  // OSM's proxy is called plain `envoy`: only count it on pods OSM labelled.
  if (mesh === 'osm' && pod.metadata.labels?.['osm-proxy-uuid'] === undefined) return undefined;
  const main = pod.spec.containers.find((c) => names.includes(c.name));
  if (main) return main;
  return pod.spec.initContainers?.find((c) => names.includes(c.name) && c.restartPolicy === 'Always');
}

/** Meshes whose proxy runs in this pod (usually zero or one). */
export function proxyMeshes(pod: Pod): MeshName[] {
  return MESH_ORDER.filter((m) => proxyContainer(pod, m) !== undefined);
}

export function initContainer(pod: Pod, mesh: MeshName): Container | undefined {
  return pod.spec.initContainers?.find((c) => INIT_CONTAINERS[mesh].includes(c.name));
}

/** D2: meshes a namespace is enrolled in by its labels/annotations (Consul has no namespace marker). */
export function namespaceMarkers(ns: KubeObject): MeshName[] {
  const labels = ns.metadata.labels ?? {};
  const annotations = ns.metadata.annotations ?? {};
  const meshes: MeshName[] = [];
  const istioInjection = labels['istio-injection'];
  if (istioInjection === 'enabled' || (labels['istio.io/rev'] !== undefined && istioInjection !== 'disabled') || labels['istio.io/dataplane-mode'] === 'ambient') {
    meshes.push('istio');
  }
  const l5d = annotations['linkerd.io/inject'];
  if (l5d === 'enabled' || l5d === 'ingress') meshes.push('linkerd');
  if (labels['openservicemesh.io/monitored-by'] !== undefined) meshes.push('osm');
  return meshes;
}

/**
 * Meshes a pod (or pod template) asks to be injected into by its own annotations/labels — the
 * per-pod opt-ins (Consul is opt-in per pod only).
 */
export function podInjectionRequests(pod: Pod): MeshName[] {
  const labels = pod.metadata.labels ?? {};
  const annotations = pod.metadata.annotations ?? {};
  const meshes: MeshName[] = [];
  if (labels['sidecar.istio.io/inject'] === 'true' || annotations['sidecar.istio.io/inject'] === 'true' || labels['istio.io/rev'] !== undefined) meshes.push('istio');
  const l5d = annotations['linkerd.io/inject'];
  if (l5d === 'enabled' || l5d === 'ingress') meshes.push('linkerd');
  if (annotations['consul.hashicorp.com/connect-inject'] === 'true') meshes.push('consul');
  return meshes;
}

export function isNamespace(obj: KubeObject): obj is Namespace {
  return obj.kind === 'Namespace';
}
