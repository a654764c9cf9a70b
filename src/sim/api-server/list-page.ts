/**
 * One page of a list: objects in etcd order after the continue token's key, filtered, at most `limit`.
 * The continue token is opaque to clients (base64 JSON of the list's resourceVersion and last key).
 */
import type {ObjectStore, StoredObject} from './object-store.js';
import type {ObjectPredicate} from './selectors.js';

export class ContinueTokenError extends Error {}

type Token = {rv: number; start: string};

export function encodeContinue(token: Token): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function decodeContinue(text: string): Token {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (typeof token?.rv === 'number' && typeof token?.start === 'string') return token;
  } catch {
    // fall through
  }
  throw new ContinueTokenError('continue key is not valid');
}

export type PageRequest = Readonly<{
  groupKind: string;
  namespace?: string;
  predicate?: ObjectPredicate;
  limit?: number;
  continueToken?: string;
}>;

export type Page = Readonly<{items: StoredObject[]; resourceVersion: number; continue?: string; remainingItemCount?: number}>;

function firstAfter(keys: readonly string[], start: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function listPage(store: ObjectStore, request: PageRequest): Page {
  const token = request.continueToken ? decodeContinue(request.continueToken) : undefined;
  // Later pages report the first page's resourceVersion, as a real server's consistent pagination does.
  const resourceVersion = token?.rv ?? store.resourceVersion;
  const keys = store.sortedKeys(request.groupKind, request.namespace);
  const limit = request.limit && request.limit > 0 ? request.limit : Infinity;
  const items: StoredObject[] = [];
  let i = token ? firstAfter(keys, token.start) : 0;
  for (; i < keys.length && items.length < limit; i++) {
    const stored = store.byKey(request.groupKind, keys[i])!;
    if (!request.predicate || request.predicate(stored.object)) items.push(stored);
  }
  if (i >= keys.length) return {items, resourceVersion};
  return {
    items,
    resourceVersion,
    continue: encodeContinue({rv: resourceVersion, start: keys[i - 1]}),
    // Upstream omits the count when a selector makes it unknowable.
    ...(request.predicate ? {} : {remainingItemCount: keys.length - i}),
  };
}
