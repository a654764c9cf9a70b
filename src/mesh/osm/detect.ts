/** OSM detection (docs/rules.md D1): Deployment `app=osm-controller`; the mesh name is its `--mesh-name` argument. */
import type {ObjectReader} from '../../core/check.js';
import type {MeshInfo, RunMode} from '../../core/types.js';
import {imageTag, parseSemverTag} from '../../core/versions.js';
import {hasAnyObject, podsWithProxy} from '../detect-util.js';

export const OSM_DEFAULT_NAMESPACE = 'osm-system';

export function osmMeshName(args: readonly string[] | undefined): string {
  for (const [i, a] of (args ?? []).entries()) {
    if (a.startsWith('--mesh-name=')) return a.slice('--mesh-name='.length);
    if (a === '--mesh-name' && args![i + 1]) return args![i + 1];
  }
  return 'osm';
}

export function detectOsm(objects: ObjectReader, mode: RunMode): MeshInfo | undefined {
  const controller = objects.select('deployments.apps', undefined, {app: 'osm-controller'})[0];
  const proxies = podsWithProxy(objects, 'osm');
  const configObjects = mode !== 'live' && hasAnyObject(objects, ['meshconfigs.config.openservicemesh.io', 'traffictargets.access.smi-spec.io']);
  // A manifest repo may hold only enrolled namespaces (label openservicemesh.io/monitored-by).
  const monitoredNamespaces = mode !== 'live' && objects.list('namespaces').some((n) => n.metadata.labels?.['openservicemesh.io/monitored-by'] !== undefined);
  if (!controller && proxies.length === 0 && !configObjects && !monitoredNamespaces) return undefined;
  const container = controller?.spec.template.spec.containers.find((c) => c.name === 'osm-controller') ?? controller?.spec.template.spec.containers[0];
  const version = parseSemverTag(imageTag(container?.image))?.text;
  const namespace = controller?.metadata.namespace ?? OSM_DEFAULT_NAMESPACE;
  return {
    name: 'osm',
    version,
    namespace,
    revisions: version ? [{name: 'default', version, namespace}] : [],
    controlPlane: controller ? 'in-cluster' : mode === 'manifests' ? 'unknown' : 'absent',
    notes: [`mesh name ${osmMeshName(container?.args)}`],
  };
}
