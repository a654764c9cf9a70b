/**
 * A watch: newline-delimited JSON events on a chunked response. Without a resourceVersion (or "0") it
 * starts with ADDED for every matching object; with one it replays the history after it (410 in an
 * ERROR event when the history no longer reaches back). Objects entering or leaving a selector arrive
 * as ADDED / DELETED, as upstream sends them.
 */
import type {ServerResponse} from 'node:http';
import type {ObjectStore, StoreEvent, StoredObject} from './object-store.js';
import type {ObjectPredicate} from './selectors.js';
import {watchEventLine} from './serialize.js';
import {statusObject} from './status.js';

export type WatchRequest = Readonly<{
  res: ServerResponse;
  store: ObjectStore;
  groupKind: string;
  apiVersion: string;
  namespace?: string;
  predicate: ObjectPredicate;
  resourceVersion?: string;
  timeoutSeconds?: number;
}>;

/** Starts streaming; returns a function that ends the stream. Response headers must already be written. */
export function streamWatch(w: WatchRequest): () => void {
  const {res, store} = w;
  const selected = (stored: StoredObject | undefined): boolean =>
    stored !== undefined && (w.namespace === undefined || stored.namespace === w.namespace) && w.predicate(stored.object);
  const send = (type: string, stored: StoredObject): void => {
    res.write(watchEventLine(type, stored, w.apiVersion));
  };
  const onEvent = (event: StoreEvent): void => {
    const was = event.type !== 'ADDED' && selected(event.previous);
    const is = selected(event.current);
    if (event.type === 'DELETED') {
      if (was) send('DELETED', event.current);
    } else if (was && is) send('MODIFIED', event.current);
    else if (is) send('ADDED', event.current);
    else if (was) send('DELETED', event.current);
  };

  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe = (): void => {};
  const end = (): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    if (timer) clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  res.on('close', end);

  const since = w.resourceVersion && w.resourceVersion !== '0' ? Number(w.resourceVersion) : undefined;
  if (since === undefined) {
    for (const key of store.sortedKeys(w.groupKind, w.namespace)) {
      const stored = store.byKey(w.groupKind, key)!;
      if (w.predicate(stored.object)) send('ADDED', stored);
    }
  } else {
    const events = Number.isFinite(since) ? store.eventsSince(since) : 'expired';
    if (events === 'expired') {
      const status = statusObject(410, `too old resource version: ${w.resourceVersion} (${store.resourceVersion})`);
      res.write(`${JSON.stringify({type: 'ERROR', object: status})}\n`);
      end();
      return end;
    }
    for (const event of events) if (event.current.groupKind === w.groupKind) onEvent(event);
  }
  // Subscribed in the same tick as the replay: no event can fall between the two.
  unsubscribe = store.subscribe(w.groupKind, onEvent);
  if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) timer = setTimeout(end, w.timeoutSeconds * 1000);
  return end;
}
