/** Build snapshots from inline objects (changesets-style builder for the pure core). */
import {parseAllDocuments} from 'yaml';
import type {Availability, KubeObject} from '../../src/core/index.js';
import {RESOURCE_TYPES, resourceTypeFor} from '../../src/core/index.js';
import type {RawCollection} from '../../src/snapshot/snapshot.js';
import {emptyCollection, Snapshot} from '../../src/snapshot/snapshot.js';

export function yamlObjects(text: string): KubeObject[] {
  return parseAllDocuments(text).map((d) => (Array.isArray(d) ? d : d).toJS() as KubeObject).filter(Boolean);
}

export function rawOf(objects: readonly KubeObject[], extra: Partial<RawCollection> = {}): RawCollection {
  const byKey: Record<string, KubeObject[]> = {};
  for (const o of objects) {
    const t = resourceTypeFor(o.apiVersion, o.kind);
    if (!t) throw new Error(`unknown kind ${o.apiVersion} ${o.kind}`);
    (byKey[t.key] ??= []).push(o);
  }
  const availability: Record<string, Availability> = {};
  for (const t of RESOURCE_TYPES) availability[t.key] = {state: 'ok'};
  return emptyCollection({objects: byKey, availability, ...extra, ...(extra.availability ? {availability: {...availability, ...extra.availability}} : {})});
}

export function snapshotOf(objects: readonly KubeObject[] | string, extra: Partial<RawCollection> = {}): Snapshot {
  return new Snapshot(rawOf(typeof objects === 'string' ? yamlObjects(objects) : objects, extra));
}
