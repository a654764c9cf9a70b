/**
 * Whether "X does not exist" can be said about a referenced object. A kind that could not be read
 * says nothing; in a manifest-only run, Namespaces and ServiceAccounts are usually created
 * elsewhere (by the platform, a Helm chart, `kubectl create ns`), so their absence from the files
 * proves nothing either. Every namespace has a `default` ServiceAccount.
 */
import type {ObjectReader} from '../core/check.js';
import type {ResourceKey} from '../core/resources.js';
import type {RunMode} from '../core/types.js';

const CREATED_OUTSIDE_REPOS: ReadonlySet<string> = new Set(['namespaces', 'serviceaccounts']);

/** Whether a missing object of this kind is a fact (the kind was read, and the run can hold it). */
export function absenceIsKnown(objects: ObjectReader, mode: RunMode, kind: ResourceKey): boolean {
  if (objects.availability(kind).state !== 'ok') return false;
  return !(mode === 'manifests' && CREATED_OUTSIDE_REPOS.has(kind));
}

/** A ServiceAccount exists (every namespace has `default`). */
export function serviceAccountExists(objects: ObjectReader, namespace: string, name: string): boolean {
  return name === 'default' || objects.get('serviceaccounts', namespace, name) !== undefined;
}

/** A Namespace exists. */
export function namespaceExists(objects: ObjectReader, name: string): boolean {
  return objects.get('namespaces', undefined, name) !== undefined;
}
