/**
 * The TUI's data side, created before React and Ink are loaded: the store and the engine. Started
 * right after the first frame is painted, so the cluster and the proxies are being read while Ink
 * (most of a second to import) loads — the waits overlap. No React here. `:ctx NAME` replaces the
 * engine with one reading that context; the store stays (its reducer forgot the old cluster).
 */
import type {Settings} from '../cli/settings.js';
import type {EngineHandle} from './App.js';
import {LiveEngine} from './engine.js';
import {initialState} from './state/reducer.js';
import {createStore} from './state/store.js';
import type {Store} from './state/store.js';
import type {TuiConfig} from './state/types.js';

export type Session = Readonly<{
  store: Store;
  /** The engine of the context on screen (a new one after each switch). */
  readonly engine: LiveEngine;
  /** Stop reading the current context and read `context` instead. */
  switchContext(context: string): void;
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
  const engineFor = (settings: Settings, fatalErrors: boolean) => new LiveEngine({
    settings,
    refreshSeconds: options.tui.refreshSeconds,
    ...(options.at ? {at: options.at} : {}),
    dispatch: store.dispatch,
    ...(fatalErrors ? {
      onFatal: (error: unknown) => {
        fatal = error;
        listener?.();
      },
    } : {}),
  });
  let engine = engineFor(options.settings, options.configErrorsAreFatal !== false);
  // The contexts `:ctx` offers, read from the files only (no credentials used), off the first frame's path.
  void import('../sources/kube/kubeconfig.js')
    .then(({kubeconfigContexts}) => store.dispatch({type: 'contexts', names: kubeconfigContexts(options.settings.cluster.kubeconfig !== undefined ? {kubeconfig: options.settings.cluster.kubeconfig} : {}).map((c) => c.name).sort()}))
    .catch(() => undefined);
  return {
    store,
    get engine() {
      return engine;
    },
    switchContext(context) {
      engine.stop();
      // A broken entry for the new context is its status line, not the end of the UI.
      engine = engineFor({...options.settings, cluster: {...options.settings.cluster, context}}, false);
      engine.start();
    },
    fatal: () => fatal,
    onFatal(l) {
      listener = l;
      if (fatal !== undefined) l();
    },
  };
}

/**
 * What the app drives (start, stop, refresh, verify, switch), always on the engine of the context
 * on screen: after `:ctx NAME` the session holds a new engine, and the handle follows it.
 */
export function engineHandle(session: Session): EngineHandle {
  return {
    start: () => session.engine.start(),
    stop: () => session.engine.stop(),
    refreshNow: () => session.engine.refreshNow(),
    switchContext: (context) => session.switchContext(context),
    // The pod drill-down's reads go to the engine of the context on screen.
    watchPods: (watches) => session.engine.watchPods(watches),
    get probe() {
      return session.engine;
    },
  };
}
