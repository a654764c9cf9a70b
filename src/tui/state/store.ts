/**
 * A tiny store around the reducer: actions apply synchronously (so keys that arrive in one chunk —
 * a paste, `tmux send-keys ':checks'` — each see the state the previous one left), and subscribers
 * (React, through useSyncExternalStore) are told once per microtask, however many actions came.
 */
import {reduce} from './reducer.js';
import type {Action, TuiState} from './types.js';

export type Store = Readonly<{
  getState(): TuiState;
  dispatch(action: Action): void;
  subscribe(listener: () => void): () => void;
}>;

export function createStore(initial: TuiState, reducer: (s: TuiState, a: Action) => TuiState = reduce): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  let scheduled = false;
  const notify = () => {
    scheduled = false;
    for (const l of [...listeners]) l();
  };
  return {
    getState: () => state,
    dispatch(action) {
      const next = reducer(state, action);
      if (next === state) return;
      state = next;
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(notify);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
