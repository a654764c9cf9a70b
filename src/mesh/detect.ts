/** All meshes found in a set of objects; several may coexist. `--mesh` narrows to one. */
import type {ObjectReader} from '../core/check.js';
import type {MeshInfo, MeshName, RunMode} from '../core/types.js';
import {detectConsul} from './consul/detect.js';
import {detectIstio} from './istio/detect.js';
import {detectLinkerd} from './linkerd/detect.js';
import {detectOsm} from './osm/detect.js';

const DETECTORS: Readonly<Record<MeshName, (objects: ObjectReader, mode: RunMode) => MeshInfo | undefined>> = {
  istio: detectIstio,
  linkerd: detectLinkerd,
  consul: detectConsul,
  osm: detectOsm,
};

export const DEFAULT_NAMESPACE: Readonly<Record<MeshName, string>> = {istio: 'istio-system', linkerd: 'linkerd', consul: 'consul', osm: 'osm-system'};

export function detectMeshes(objects: ObjectReader, mode: RunMode, only?: MeshName): MeshInfo[] {
  const names = only ? [only] : (Object.keys(DETECTORS) as MeshName[]);
  const found: MeshInfo[] = [];
  for (const name of names) {
    const info = DETECTORS[name](objects, mode);
    if (info) found.push(info);
    else if (only) {
      // `--mesh X` on a cluster where X left no trace: still evaluate X's checks, with an unknown control plane.
      found.push({name, namespace: DEFAULT_NAMESPACE[name], revisions: [], controlPlane: mode === 'manifests' ? 'unknown' : 'absent'});
    }
  }
  return found;
}
