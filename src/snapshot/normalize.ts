/**
 * Objects enter the store through here: each is fitted to its kind's shape
 * (`core/kube-types/shapes.ts`), so no check meets a shape its types do not declare. Objects that
 * needed a repair are remembered with their problems (MD1006 reports them); objects that cannot
 * stand for their kind at all (no name, a DestinationRule without a host) are left out.
 *
 * The same raw object is often given to several snapshots in one run (mesh detection, providers,
 * the final one): results are cached by identity.
 */
import type {MalformedObject} from '../core/check.js';
import type {KubeObject} from '../core/kube-types/index.js';
import type {Normalized} from '../core/kube-types/shapes.js';
import {normalizeObject} from '../core/kube-types/shapes.js';
import {resourceTypeFor} from '../core/resources.js';
import type {Subject} from '../core/types.js';

const cache = new WeakMap<object, Normalized>();

function normalized(key: string, value: unknown): Normalized {
  if (typeof value !== 'object' || value === null) return normalizeObject(key, value);
  let hit = cache.get(value);
  if (!hit) cache.set(value, (hit = normalizeObject(key, value)));
  return hit;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The subject of an object as it was given, whatever its shape. */
function rawSubject(key: string, value: unknown): Subject {
  const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const meta = (typeof o.metadata === 'object' && o.metadata !== null ? o.metadata : {}) as Record<string, unknown>;
  const apiVersion = text(o.apiVersion) ?? '';
  const kind = text(o.kind) ?? key;
  const name = text(meta.name) ?? text(meta.generateName) ?? '(no name)';
  const namespace = text(meta.namespace);
  const namespaced = resourceTypeFor(apiVersion, kind)?.namespaced ?? namespace !== undefined;
  return namespaced && namespace ? {kind, apiVersion, namespace, name} : {kind, apiVersion, name};
}

export type NormalizedObjects = Readonly<{objects: Map<string, KubeObject[]>; malformed: MalformedObject[]}>;

export function normalizeObjects(raw: Readonly<Record<string, readonly unknown[]>>): NormalizedObjects {
  const objects = new Map<string, KubeObject[]>();
  const malformed: MalformedObject[] = [];
  for (const [key, list] of Object.entries(raw)) {
    const out: KubeObject[] = [];
    // A list that is not a list (a hand-edited snapshot file) holds no objects.
    for (const value of Array.isArray(list) ? list : []) {
      const n = normalized(key, value);
      if (n.object) out.push(n.object);
      if (n.problems.length > 0) malformed.push({key, subject: rawSubject(key, value), problems: n.problems, ignored: n.object === undefined});
    }
    objects.set(key, out);
  }
  return {objects, malformed};
}
