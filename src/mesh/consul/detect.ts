/** Consul detection (docs/rules.md D1): the connect-injector Deployment or the server StatefulSet (`app=consul`). */
import type {ObjectReader} from '../../core/check.js';
import type {MeshInfo, RunMode} from '../../core/types.js';
import {imageTag, parseSemverTag} from '../../core/versions.js';
import {hasAnyObject, podsWithProxy} from '../detect-util.js';

export function detectConsul(objects: ObjectReader, mode: RunMode): MeshInfo | undefined {
  const injector = objects.select('deployments.apps', undefined, {app: 'consul', component: 'connect-injector'})[0];
  const server = objects.select('statefulsets.apps', undefined, {app: 'consul', component: 'server'})[0];
  const proxies = podsWithProxy(objects, 'consul');
  const configObjects = mode !== 'live' && hasAnyObject(objects, [
    'servicedefaults.consul.hashicorp.com', 'serviceintentions.consul.hashicorp.com', 'servicerouters.consul.hashicorp.com',
    'servicesplitters.consul.hashicorp.com', 'serviceresolvers.consul.hashicorp.com',
  ]);
  // A manifest repo may hold only workloads that opt in (pod template annotation connect-inject: "true").
  const optedIn = mode !== 'live' && objects.list('pods').some((p) => p.metadata.annotations?.['consul.hashicorp.com/connect-inject'] === 'true');
  if (!injector && !server && proxies.length === 0 && !configObjects && !optedIn) return undefined;
  const namespace = injector?.metadata.namespace ?? server?.metadata.namespace ?? 'consul';
  const serverImage = server?.spec.template.spec.containers.find((c) => c.name === 'consul')?.image;
  const version = parseSemverTag(imageTag(serverImage))?.text;
  return {
    name: 'consul',
    version,
    namespace,
    revisions: version ? [{name: 'default', version, namespace}] : [],
    controlPlane: injector || server ? 'in-cluster' : mode === 'manifests' ? 'unknown' : 'absent',
  };
}
