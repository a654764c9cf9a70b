/**
 * Linkerd detection (docs/rules.md D1): ConfigMap `linkerd-config` or pods/Deployments labelled
 * `linkerd.io/control-plane-component`; the viz extension is the namespace labelled
 * `linkerd.io/extension=viz`.
 */
import type {ObjectReader} from '../../core/check.js';
import type {MeshInfo, RunMode} from '../../core/types.js';
import {imageTag, parseLinkerdTag} from '../../core/versions.js';
import {containerImage, hasAnyObject, mostCommon, podsWithProxy} from '../detect-util.js';

export const LINKERD_DEFAULT_NAMESPACE = 'linkerd';
export const CONTROL_PLANE_COMPONENT = 'linkerd.io/control-plane-component';

export function detectLinkerd(objects: ObjectReader, mode: RunMode): MeshInfo | undefined {
  const cpDeployments = objects.list('deployments.apps').filter((d) => d.metadata.labels?.[CONTROL_PLANE_COMPONENT] !== undefined);
  const cpPods = objects.list('pods').filter((p) => p.metadata.labels?.[CONTROL_PLANE_COMPONENT] !== undefined);
  const config = objects.list('configmaps').find((c) => c.metadata.name === 'linkerd-config');
  const proxies = podsWithProxy(objects, 'linkerd');
  const configObjects = mode !== 'live' && hasAnyObject(objects, [
    'servers.policy.linkerd.io', 'serviceprofiles.linkerd.io', 'authorizationpolicies.policy.linkerd.io',
    'meshtlsauthentications.policy.linkerd.io', 'httproutes.policy.linkerd.io',
  ]);
  // A manifest repo may hold only the workloads: an injection annotation on a namespace or pod template says "Linkerd".
  const injectionMarkers = mode !== 'live' && (
    objects.list('namespaces').some((n) => ['enabled', 'ingress'].includes(n.metadata.annotations?.['linkerd.io/inject'] ?? '')) ||
    objects.list('pods').some((p) => ['enabled', 'ingress'].includes(p.metadata.annotations?.['linkerd.io/inject'] ?? ''))
  );
  if (cpDeployments.length === 0 && cpPods.length === 0 && !config && proxies.length === 0 && !configObjects && !injectionMarkers) return undefined;

  const namespace =
    mostCommon([...cpDeployments, ...cpPods].map((o) => o.metadata.namespace ?? '')) ||
    config?.metadata.namespace ||
    proxies.map((p) => p.metadata.labels?.['linkerd.io/control-plane-ns']).find((ns) => ns) ||
    LINKERD_DEFAULT_NAMESPACE;
  const destination = cpDeployments.find((d) => d.metadata.labels?.[CONTROL_PLANE_COMPONENT] === 'destination');
  const version = parseLinkerdTag(imageTag(destination && containerImage(destination, 'destination')))?.text;
  const viz = objects.list('namespaces').find((n) => n.metadata.labels?.['linkerd.io/extension'] === 'viz');

  let controlPlane: MeshInfo['controlPlane'];
  if (cpDeployments.length > 0 || cpPods.length > 0 || config) controlPlane = 'in-cluster';
  else if (mode === 'manifests') controlPlane = 'unknown';
  else controlPlane = 'absent';

  const extensions: Record<string, string> = {};
  if (viz) extensions.viz = viz.metadata.name;
  // Other extensions announce themselves the same way (smi, multicluster, jaeger…); first namespace per name wins.
  for (const ns of objects.list('namespaces')) {
    const ext = ns.metadata.labels?.['linkerd.io/extension'];
    if (ext && !(ext in extensions)) extensions[ext] = ns.metadata.name;
  }
  // The CNI plugin (linkerd-cni DaemonSet, its namespace labelled linkerd.io/cni-resource) is part of the install.
  const cni = objects.list('daemonsets.apps').find((d) => d.metadata.name === 'linkerd-cni')?.metadata.namespace ??
    objects.list('namespaces').find((n) => n.metadata.labels?.['linkerd.io/cni-resource'] === 'true')?.metadata.name;
  if (cni && !('cni' in extensions)) extensions.cni = cni;
  return {
    name: 'linkerd',
    version,
    namespace,
    revisions: version ? [{name: 'default', version, namespace}] : [],
    controlPlane,
    extensions,
  };
}
