/** Small helpers shared by the per-mesh detectors. */
import type {ObjectReader} from '../core/check.js';
import type {Deployment, KubeObject, Pod} from '../core/kube-types/index.js';
import type {MeshName} from '../core/types.js';
import {proxyContainer} from './markers.js';

export function containerImage(obj: Deployment | Pod | KubeObject, container: string): string | undefined {
  const spec = (obj as Deployment).spec?.template?.spec ?? (obj as Pod).spec;
  return spec?.containers?.find((c) => c.name === container)?.image;
}

/** Pods running the mesh's proxy, in a stable order. */
export function podsWithProxy(objects: ObjectReader, mesh: MeshName): Pod[] {
  return objects.list('pods').filter((p) => proxyContainer(p, mesh) !== undefined);
}

export function hasAnyObject(objects: ObjectReader, keys: readonly Parameters<ObjectReader['list']>[0][]): boolean {
  return keys.some((k) => objects.availability(k).state === 'ok' && objects.list(k).length > 0);
}

/** The most common value, first-seen on ties (a control plane's namespace, etc.). */
export function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount) [best, bestCount] = [v, c];
  return best;
}
