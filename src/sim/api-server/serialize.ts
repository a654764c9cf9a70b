/**
 * JSON for stored objects, served at whichever version was requested. Each object is stringified once
 * (without apiVersion/kind) and reused by every list, get and watch event; a list is the parts joined.
 */
import type {StoredObject} from './object-store.js';

export function objectJson(stored: StoredObject, apiVersion: string): string {
  if (stored.bodyJson === undefined) {
    const {apiVersion: _apiVersion, kind: _kind, ...rest} = stored.object;
    stored.bodyJson = JSON.stringify(rest);
  }
  const head = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(stored.object.kind)}`;
  return stored.bodyJson === '{}' ? `${head}}` : `${head},${stored.bodyJson.slice(1)}`;
}

export type ListMeta = Readonly<{resourceVersion: string; continue?: string; remainingItemCount?: number}>;

/** A `<Kind>List` as body parts: head, items, tail. */
export function listParts(kind: string, apiVersion: string, items: readonly StoredObject[], meta: ListMeta): string[] {
  const parts: string[] = [`{"kind":${JSON.stringify(`${kind}List`)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(meta)},"items":[`];
  items.forEach((item, i) => {
    parts.push(i === 0 ? objectJson(item, apiVersion) : `,${objectJson(item, apiVersion)}`);
  });
  parts.push(']}');
  return parts;
}

export function watchEventLine(type: string, stored: StoredObject, apiVersion: string): string {
  return `{"type":"${type}","object":${objectJson(stored, apiVersion)}}\n`;
}
