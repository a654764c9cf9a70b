/**
 * Objects are trimmed as they arrive: `managedFields` (often the largest part of an object) and the
 * `last-applied-configuration` annotation go, after the newest managedFields time has been kept for
 * the "what changed" timeline; Secrets are redacted (D10). `annotations:` with nothing under it (what
 * Helm renders for an empty map, e.g. istio-ingressgateway's Service) is null, not a map.
 */
import type {KubeObject} from '../core/kube-types/index.js';
import {redactSecret} from './secrets.js';

type ManagedField = {time?: string};

export type Cleaned = Readonly<{object: KubeObject; lastChanged?: string}>;

export function cleanObject(obj: KubeObject): Cleaned {
  const meta = obj.metadata as KubeObject['metadata'] & {managedFields?: ManagedField[]};
  let lastChanged: string | undefined;
  for (const f of meta.managedFields ?? []) {
    if (f.time && (lastChanged === undefined || f.time > lastChanged)) lastChanged = f.time;
  }
  let object = obj;
  const annotations = meta.annotations;
  const hasLastApplied = annotations != null && 'kubectl.kubernetes.io/last-applied-configuration' in annotations;
  if (meta.managedFields !== undefined || hasLastApplied) {
    const {managedFields: _mf, ...rest} = meta;
    let nextAnnotations = annotations;
    if (hasLastApplied) {
      const {['kubectl.kubernetes.io/last-applied-configuration']: _la, ...others} = annotations!;
      nextAnnotations = others;
    }
    object = {...obj, metadata: nextAnnotations === undefined ? rest : {...rest, annotations: nextAnnotations}};
  }
  if (object.kind === 'Secret' && (object.apiVersion === 'v1')) object = redactSecret(object);
  return lastChanged ? {object, lastChanged} : {object};
}
