/**
 * `metadata.managedFields` as the API server records them: one entry per manager and operation,
 * each with a FieldsV1 set naming every field that manager set. On a real object they are often the
 * largest part of the metadata (a Pod's spec entry names every container field), which is why
 * meshdoctor drops them as objects arrive (src/snapshot/clean.ts) — and why generated objects must
 * carry them for the bytes on the wire to be real.
 *
 * FieldsV1 (k8s.io/apimachinery pkg/apis/meta/v1 `FieldsV1`, structured-merge-diff's set encoding):
 * `f:<name>` for a field, `k:{...}` for an element of a list merged by key (containers by name,
 * ports by containerPort and protocol, conditions by type), `v:<value>` for sets of scalars,
 * `.` for "this map or element itself". Atomic lists (args, command) are a leaf `{}`.
 */

export type ManagedFieldsEntry = Readonly<{
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}>;

/** Fields kept atomic by the upstream schemas (replaced whole on update). */
const ATOMIC = new Set(['args', 'command', 'finalizers', 'addresses', 'hostIPs', 'topologyKeys', 'containerStatuses', 'initContainerStatuses']);

/** The merge key of a list element, as upstream's `patchMergeKey` / `listMapKeys` declare it. */
function elementKey(item: Record<string, unknown>): string | undefined {
  if (typeof item.containerPort === 'number') return JSON.stringify({containerPort: item.containerPort, protocol: item.protocol ?? 'TCP'});
  if (typeof item.port === 'number' && 'protocol' in item) return JSON.stringify({port: item.port, protocol: item.protocol});
  if (typeof item.mountPath === 'string') return JSON.stringify({mountPath: item.mountPath});
  if (typeof item.type === 'string' && 'status' in item) return JSON.stringify({type: item.type});
  if (typeof item.uid === 'string') return JSON.stringify({uid: item.uid});
  if (typeof item.name === 'string') return JSON.stringify({name: item.name});
  if (typeof item.ip === 'string') return JSON.stringify({ip: item.ip});
  if (typeof item.key === 'string') return JSON.stringify({key: item.key, operator: item.operator, effect: item.effect});
  return undefined;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The FieldsV1 set of `value`; `map` marks a field whose keys are data (labels, annotations, data). */
export function fieldsOf(value: Record<string, unknown>, dataMap = false): Record<string, unknown> {
  const out: Record<string, unknown> = dataMap ? {'.': {}} : {};
  for (const [name, v] of Object.entries(value)) {
    const key = `f:${name}`;
    if (ATOMIC.has(name) || (!isMap(v) && !Array.isArray(v))) {
      out[key] = {};
    } else if (Array.isArray(v)) {
      const items: Record<string, unknown> = {};
      let keyed = true;
      for (const item of v) {
        const k = isMap(item) ? elementKey(item) : undefined;
        if (k === undefined) {
          keyed = false;
          break;
        }
        items[`k:${k}`] = fieldsOf(item, true);
      }
      out[key] = keyed && v.length > 0 ? {'.': {}, ...items} : {};
    } else {
      out[key] = fieldsOf(v, name === 'labels' || name === 'annotations' || name === 'matchLabels' || name === 'selector' || name === 'limits' || name === 'requests' || name === 'data');
    }
  }
  return out;
}

export function managedEntry(manager: string, apiVersion: string, time: string, fields: Record<string, unknown>, subresource?: string): ManagedFieldsEntry {
  return {manager, operation: 'Update', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: fields, ...(subresource ? {subresource} : {})};
}
