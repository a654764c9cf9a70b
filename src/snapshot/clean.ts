/**
 * Objects are trimmed as they arrive: `managedFields` (often the largest part of an object) and the
 * `last-applied-configuration` annotation go, after the newest managedFields time has been kept for
 * the "what changed" timeline; Secrets are redacted (D10). Objects are not fitted to their shapes
 * yet (the snapshot does that): `annotations:` with nothing under it (what Helm renders for an empty
 * map, e.g. istio-ingressgateway's Service) is null, and any field may be of any type.
 */
import type {KubeObject} from '../core/kube-types/index.js';
import {redactSecret} from './secrets.js';

type ManagedField = {time?: unknown};

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

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
  const annotations = isRecord(meta.annotations) ? meta.annotations : undefined;
  const hasLastApplied = annotations !== undefined && LAST_APPLIED in annotations;
  if (meta.managedFields !== undefined || hasLastApplied) {
    const {managedFields: _mf, ...rest} = meta;
    let next: Record<string, unknown> = rest;
    if (hasLastApplied) {
      const {[LAST_APPLIED]: _la, ...others} = annotations!;
      next = {...rest, annotations: others};
    }
    object = {...obj, metadata: next as KubeObject['metadata']};
  }
  if (object.kind === 'Secret' && object.apiVersion === 'v1') object = redactSecret(object);
  return lastChanged ? {object, lastChanged} : {object};
}

function isRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
