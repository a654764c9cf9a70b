/**
 * Istio detection (docs/rules.md D1): istiod Deployments (`app=istiod`) give the control-plane
 * namespace, revisions (`istio.io/rev`) and versions (image tag of `discovery`). Injector webhooks
 * that use `clientConfig.url` mean an external (managed) control plane; ztunnel or ambient
 * namespaces mean ambient mode.
 */
import type {ObjectReader} from '../../core/check.js';
import type {RunMode} from '../../core/types.js';
import type {MeshInfo, MeshRevision} from '../../core/types.js';
import {imageTag, parseSemverTag} from '../../core/versions.js';
import {containerImage, hasAnyObject, podsWithProxy} from '../detect-util.js';

export const ISTIO_DEFAULT_NAMESPACE = 'istio-system';

/** Webhook names Istio's injector uses, e.g. `rev.namespace.sidecar-injector.istio.io`. */
export function isIstioInjectorWebhook(name: string): boolean {
  return name.endsWith('sidecar-injector.istio.io');
}

export function istiodRevision(labels: Readonly<Record<string, string>> | undefined): string {
  return labels?.['istio.io/rev'] || 'default';
}

export function detectIstio(objects: ObjectReader, mode: RunMode): MeshInfo | undefined {
  const istiods = objects.select('deployments.apps', undefined, {app: 'istiod'});
  const revisions: MeshRevision[] = istiods.map((d) => ({
    name: istiodRevision(d.metadata.labels),
    version: parseSemverTag(imageTag(containerImage(d, 'discovery')))?.text,
    namespace: d.metadata.namespace ?? ISTIO_DEFAULT_NAMESPACE,
    deployment: d.metadata.name,
  }));
  revisions.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));

  const externalWebhook = objects
    .list('mutatingwebhookconfigurations.admissionregistration.k8s.io')
    .some((mwc) => (mwc.webhooks ?? []).some((w) => isIstioInjectorWebhook(w.name) && w.clientConfig.url !== undefined && w.clientConfig.service === undefined));
  const proxies = podsWithProxy(objects, 'istio');
  const ztunnel = objects.list('daemonsets.apps').some((d) => d.metadata.name === 'ztunnel' || d.metadata.labels?.app === 'ztunnel');
  const ambientNamespaces = objects.list('namespaces').some((n) => n.metadata.labels?.['istio.io/dataplane-mode'] === 'ambient');
  const configObjects = mode !== 'live' && hasAnyObject(objects, [
    'virtualservices.networking.istio.io', 'destinationrules.networking.istio.io', 'gateways.networking.istio.io',
    'serviceentries.networking.istio.io', 'peerauthentications.security.istio.io', 'authorizationpolicies.security.istio.io',
    'sidecars.networking.istio.io', 'envoyfilters.networking.istio.io',
  ]);

  // A manifest repo may hold only the workloads: an injection label on a namespace or pod template says "Istio".
  const injectionMarkers = mode !== 'live' && (
    objects.list('namespaces').some((n) => n.metadata.labels?.['istio-injection'] === 'enabled' || n.metadata.labels?.['istio.io/rev'] !== undefined) ||
    objects.list('pods').some((p) => p.metadata.labels?.['sidecar.istio.io/inject'] === 'true' || p.metadata.labels?.['istio.io/rev'] !== undefined)
  );

  if (revisions.length === 0 && !externalWebhook && proxies.length === 0 && !ztunnel && !ambientNamespaces && !configObjects && !injectionMarkers) return undefined;

  const namespace = revisions[0]?.namespace ?? proxies.find((p) => p.metadata.labels?.app === 'istio-ingressgateway')?.metadata.namespace ?? ISTIO_DEFAULT_NAMESPACE;
  let controlPlane: MeshInfo['controlPlane'];
  if (revisions.length > 0) controlPlane = 'in-cluster';
  else if (externalWebhook) controlPlane = 'external';
  else if (mode === 'manifests') controlPlane = 'unknown';
  else controlPlane = 'absent';

  const meshConfig = objects.get('configmaps', namespace, 'istio')?.data?.mesh;
  const rootNamespace = meshConfig ? /^rootNamespace:\s*["']?([a-z0-9-]+)/m.exec(meshConfig)?.[1] : undefined;

  return {
    name: 'istio',
    version: revisions[0]?.version,
    namespace,
    revisions,
    controlPlane,
    ambient: ztunnel || ambientNamespaces,
    rootNamespace: rootNamespace ?? namespace,
  };
}
