/**
 * The TUI's data side, created before React and Ink are loaded: the store and the engine. Started
 * right after the first frame is painted, so the cluster and the proxies are being read while Ink
 * (most of a second to import) loads — the waits overlap. No React here.
 */
import type {Settings} from '../cli/settings.js';
import {LiveEngine} from './engine.js';
import {initialState} from './state/reducer.js';
import {createStore} from './state/store.js';
import type {Store} from './state/store.js';
import type {TuiConfig} from './state/types.js';

export type Session = Readonly<{
  store: Store;
  engine: LiveEngine;
  /** A fatal problem the engine met (bad kubeconfig): the UI closes and the command exits 2. */
  fatal(): unknown;
  onFatal(listener: () => void): void;
}>;

export type SessionOptions = Readonly<{
  settings: Settings;
  tui: TuiConfig;
  at?: Date;
  size: Readonly<{columns: number; rows: number}>;
  /** Default true: a bad kubeconfig ends the UI (exit 2). The runbook walkthrough works without a cluster. */
  configErrorsAreFatal?: boolean;
}>;

export function createSession(options: SessionOptions): Session {
  const store = createStore(initialState(options.tui, options.size, Date.now()));
  let fatal: unknown;
  let listener: (() => void) | undefined;
  const engine = new LiveEngine({
    settings: options.settings,
    refreshSeconds: options.tui.refreshSeconds,
    ...(options.at ? {at: options.at} : {}),
    dispatch: store.dispatch,
    ...(options.configErrorsAreFatal === false ? {} : {
      onFatal: (error: unknown) => {
        fatal = error;
        listener?.();
      },
    }),
  });
  return {
    store,
    engine,
    fatal: () => fatal,
    onFatal(l) {
      listener = l;
      if (fatal !== undefined) l();
    },
  };
}
