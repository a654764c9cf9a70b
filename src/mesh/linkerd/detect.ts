/**
 * Linkerd detection (CHECKS.md D1): ConfigMap `linkerd-config` or pods/Deployments labelled
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
  if (cpDeployments.length === 0 && cpPods.length === 0 && !config && proxies.length === 0 && !configObjects) return undefined;

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
  return {
    name: 'linkerd',
    version,
    namespace,
    revisions: version ? [{name: 'default', version, namespace}] : [],
    controlPlane,
    extensions,
  };
}
