/**
 * The interactive app: the store's state rendered by <Screen>, keys through the pure keymap, and
 * the effects keys ask for — quit, refresh now, copy a command (OSC 52), run a verify step, read
 * another context. The
 * engine (sources) starts after the first frame is on screen and stops on unmount.
 */
import {useApp, useStdout} from './ink.js';
import React, {useCallback, useEffect, useRef, useSyncExternalStore} from 'react';
import {useKeys} from './hooks/useKeys.js';
import {useTerminalSize} from './hooks/useTerminalSize.js';
import type {PodWatch} from './state/pod.js';
import {podWatches, watchesKey} from './state/pod.js';
import type {Store} from './state/store.js';
import type {Effect} from './state/types.js';
import type {LiveProbe} from './verify.js';
import {liveVerifyRunner} from './verify.js';
import {Screen} from './views/Screen.js';

/** What the app needs from the sources (src/tui/engine.ts; a fake in tests). */
export type EngineHandle = Readonly<{
  start(): void;
  stop(): void;
  refreshNow(): void;
  /** `:ctx NAME`: stop reading the current context and read this one (no restart). */
  switchContext?(context: string): void;
  /** Verify steps run against it; without one they report that nothing is connected. */
  probe?: LiveProbe;
  /** Read these pods' logs and proxy views (the pod drill-down); absent: nothing is read. */
  watchPods?(watches: readonly PodWatch[]): void;
}>;

export type Props = Readonly<{
  store: Store;
  /** Started after the first frame; stopped on unmount. */
  engine?: EngineHandle;
  /** Raw bytes for the terminal (OSC 52); default: stdout. */
  writeRaw?: (data: string) => void;
  /** Called once, after the first frame that shows data. */
  onData?: () => void;
  /** Clears the screen before a resize re-render (alternate screen). */
  clearScreen?: () => void;
  /** The clock (tests pass a fake). */
  clock?: () => number;
  /** Tick interval for ages and the clock (ms). */
  tickMs?: number;
}>;

/** OSC 52: ask the terminal to put text on the clipboard. */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

export function App({store, engine, writeRaw, onData, clearScreen, clock = Date.now, tickMs = 1000}: Props): React.ReactElement {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const {exit} = useApp();
  const {stdout} = useStdout();
  const reported = useRef(false);
  useTerminalSize(store, stdout, clearScreen);

  const onEffect = useCallback((e: Effect) => {
    switch (e.kind) {
      case 'quit':
        exit();
        return;
      case 'refresh':
        engine?.refreshNow();
        return;
      case 'switch-context':
        if (engine?.switchContext) engine.switchContext(e.context);
        else store.dispatch({type: 'flash', text: 'not connected to a cluster: no context to switch', level: 'warn', at: clock()});
        return;
      case 'copy':
        (writeRaw ?? ((d: string) => stdout.write(d)))(osc52(e.text));
        store.dispatch({type: 'flash', text: `copied ${e.what} to the clipboard (OSC 52)`, at: clock()});
        return;
      case 'verify': {
        const done = (result: {status: 'pass' | 'fail' | 'error'; value: string; at: string}) =>
          store.dispatch({type: 'walkthrough', key: e.key, action: {type: 'verify-result', stepId: e.stepId, index: e.index, result}});
        if (!engine?.probe) {
          done({status: 'error', value: 'not connected to a cluster', at: new Date(clock()).toISOString()});
          return;
        }
        void liveVerifyRunner(engine.probe, e.target).run(e.spec).then(done);
        return;
      }
    }
  }, [engine, exit, writeRaw, stdout, store, clock]);
  useKeys(store, onEffect);

  useEffect(() => {
    engine?.start();
    return () => engine?.stop();
  }, [engine]);

  // The pods on screen (a pod view, the callers of a workload's failing edges) are read while they are.
  const watches = podWatches(state);
  const watchKey = watchesKey(watches);
  useEffect(() => {
    engine?.watchPods?.(watches);
  }, [engine, watchKey]);

  useEffect(() => {
    const timer = setInterval(() => store.dispatch({type: 'tick', now: clock()}), tickMs);
    return () => clearInterval(timer);
  }, [store, clock, tickMs]);

  useEffect(() => {
    if (state.quitting) exit();
  }, [state.quitting, exit]);

  useEffect(() => {
    if (!reported.current && state.data.golden.length > 0) {
      reported.current = true;
      onData?.();
    }
  }, [state.data.golden, onData]);

  return <Screen state={state} />;
}
