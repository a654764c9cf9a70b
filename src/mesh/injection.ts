/**
 * Which meshes should have injected a proxy into a pod (docs/checks.md MD3002 rules), from namespace
 * and pod labels/annotations. Pure: callers pass the pod's Namespace.
 */
import type {KubeObject, Pod} from '../core/kube-types/index.js';
import type {MeshName} from '../core/types.js';

const NEVER_INJECTED = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/** The Istio revision a pod would be injected by: pod label, else namespace label; `default` for istio-injection=enabled. */
export function istioRevisionFor(pod: Pod, ns: KubeObject | undefined): string | undefined {
  const podRev = pod.metadata.labels?.['istio.io/rev'];
  if (podRev) return podRev;
  const labels = ns?.metadata.labels ?? {};
  if (labels['istio.io/rev'] && labels['istio-injection'] !== 'disabled') return labels['istio.io/rev'];
  if (labels['istio-injection'] === 'enabled') return 'default';
  return undefined;
}

function istioTargets(pod: Pod, ns: KubeObject | undefined): boolean {
  const podLabels = pod.metadata.labels ?? {};
  const podAnnotations = pod.metadata.annotations ?? {};
  if (podLabels['sidecar.istio.io/inject'] === 'false' || podAnnotations['sidecar.istio.io/inject'] === 'false') return false;
  if (podLabels['sidecar.istio.io/inject'] === 'true' || podLabels['istio.io/rev']) return true;
  const labels = ns?.metadata.labels ?? {};
  if (labels['istio-injection'] === 'disabled') return false;
  return labels['istio-injection'] === 'enabled' || labels['istio.io/rev'] !== undefined;
}

function linkerdTargets(pod: Pod, ns: KubeObject | undefined): boolean {
  const own = pod.metadata.annotations?.['linkerd.io/inject'];
  if (own === 'disabled') return false;
  const value = own ?? ns?.metadata.annotations?.['linkerd.io/inject'];
  return value === 'enabled' || value === 'ingress';
}

function consulTargets(pod: Pod): boolean {
  return pod.metadata.annotations?.['consul.hashicorp.com/connect-inject'] === 'true';
}

function osmTargets(pod: Pod, ns: KubeObject | undefined): boolean {
  if (pod.metadata.annotations?.['openservicemesh.io/sidecar-injection'] === 'disabled') return false;
  const monitored = ns?.metadata.labels?.['openservicemesh.io/monitored-by'] !== undefined;
  return monitored && ns?.metadata.annotations?.['openservicemesh.io/sidecar-injection'] === 'enabled';
}

/** Meshes (among `meshes`) that target this pod for sidecar injection. */
export function injectionTargets(pod: Pod, ns: KubeObject | undefined, meshes: readonly MeshName[]): MeshName[] {
  if (NEVER_INJECTED.has(pod.metadata.namespace ?? '')) return [];
  const out: MeshName[] = [];
  for (const mesh of meshes) {
    const targeted =
      mesh === 'istio' ? istioTargets(pod, ns) : mesh === 'linkerd' ? linkerdTargets(pod, ns) : mesh === 'consul' ? consulTargets(pod) : osmTargets(pod, ns);
    if (targeted) out.push(mesh);
  }
  return out;
}
