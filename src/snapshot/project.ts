/**
 * Keep only what checks read (issue 20). Every object meshdoctor collects is cleaned (clean.ts) and
 * then reduced to the fields its kind's shape declares (`projectObject`, core/kube-types/shapes.ts:
 * the same declarations the tolerant layer fits objects to, so what a check may read is declared
 * once). An injected pod of 11 KB keeps about a third; kinds without a shape are kept whole.
 * `test/checks/projection.test.ts` runs the whole catalog on full and on projected objects of every
 * fixture and demo scenario and requires identical results: a check that starts reading a field no
 * shape declares fails it, and the fix is to declare the field (in the type and the shape).
 */
import type {KubeObject} from '../core/kube-types/index.js';
import {projectObject} from '../core/kube-types/shapes.js';
import type {ObjectDetail, RawCollection} from './snapshot.js';

/** The object of resource `key` as a collection keeps it. */
export function keptObject(key: string, object: KubeObject, detail: ObjectDetail): KubeObject {
  return detail === 'full' ? object : (projectObject(key, object) as KubeObject);
}

/** A collection (a snapshot file of whole objects, say) with its objects projected. */
export function projectCollection(raw: RawCollection): RawCollection {
  if (raw.objectDetail === 'checks') return raw;
  const objects: Record<string, KubeObject[]> = {};
  for (const [key, list] of Object.entries(raw.objects)) objects[key] = Array.isArray(list) ? list.map((o) => keptObject(key, o, 'checks')) : (list as KubeObject[]);
  return {...raw, objects, objectDetail: 'checks'};
}
