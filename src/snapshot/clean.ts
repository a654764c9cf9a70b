/**
 * Objects are trimmed as they arrive: `managedFields` (often the largest part of an object) and
 * annotations that copy the whole object (`last-applied-configuration`, kapp's original…) go, after
 * the newest managedFields time has been kept for the "what changed" timeline; Secrets are redacted
 * (D10); parts nested deeper than MAX_NESTING are cut, so nothing downstream can overflow the stack.
 * Objects are not fitted to their shapes yet (the snapshot does that): `annotations:` with nothing
 * under it (what Helm renders for an empty map, e.g. istio-ingressgateway's Service) is null, and any
 * field may be of any type.
 */
import type {KubeObject} from '../core/kube-types/index.js';
import {pruneDeep} from '../core/sanitize.js';
import {redactSecret, withoutEmbeddedObjects} from './secrets.js';

type ManagedField = {time?: unknown};

export type Cleaned = Readonly<{object: KubeObject; lastChanged?: string}>;

export function cleanObject(obj: KubeObject): Cleaned {
  // Objects are not yet fitted to their shapes here (the snapshot does that): read defensively.
  const meta = (isRecord(obj.metadata) ? obj.metadata : {}) as KubeObject['metadata'] & {managedFields?: unknown};
  let lastChanged: string | undefined;
  for (const f of Array.isArray(meta.managedFields) ? (meta.managedFields as unknown[]) : []) {
    const time = isRecord(f) ? (f as ManagedField).time : undefined;
    if (typeof time === 'string' && (lastChanged === undefined || time > lastChanged)) lastChanged = time;
  }
  let object = obj;
  const isSecret = object.kind === 'Secret' && object.apiVersion === 'v1';
  const stripped = isSecret ? undefined : withoutEmbeddedObjects(isRecord(meta.annotations) ? meta.annotations : undefined, false);
  if (meta.managedFields !== undefined || stripped) {
    const {managedFields: _mf, ...rest} = meta;
    object = {...obj, metadata: (stripped ? {...rest, annotations: stripped.annotations} : rest) as KubeObject['metadata']};
  }
  if (isSecret) object = redactSecret(object);
  return lastChanged ? {object: pruneDeep(object), lastChanged} : {object: pruneDeep(object)};
}

function isRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
