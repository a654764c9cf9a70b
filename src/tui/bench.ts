/**
 * For `npm run bench` (docs/design.md §8: "a refresh with 2,000 workloads re-renders in under 30 ms"):
 * mount the TUI's Screen on an off-screen stdout of a fixed size, then time re-renders, each with a
 * fresh refresh of N synthetic workloads (new golden metrics, one more history point). What is timed
 * is what a refresh costs in the TUI: derive the rows (filter, sort, judge), reconcile, lay out and
 * produce the frame. Ink renders synchronously here (debug mode: no frame throttle).
 */
import {EventEmitter} from 'node:events';
import {syntheticRefresh, syntheticState} from './synthetic.js';

export type RerenderTiming = Readonly<{
  workloads: number;
  columns: number;
  rows: number;
  /** The first render (mount), ms. */
  mountMs: number;
  /** Each timed re-render, ms. */
  samples: readonly number[];
  medianMs: number;
  p95Ms: number;
  /** Median time to fold the refresh into the state (reducer: golden metrics, history), ms. */
  reduceMedianMs: number;
  /** Lines in the last frame (never more than rows − 1). */
  frameLines: number;
}>;

class OffscreenStdout extends EventEmitter {
  isTTY = true;
  frame = '';
  constructor(readonly columns: number, readonly rows: number) {
    super();
  }
  write(data: string): boolean {
    this.frame = data;
    return true;
  }
}

class IdleStdin extends EventEmitter {
  isTTY = false;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): null {
    return null;
  }
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export async function benchServicesRerender(workloads = 2000, options: Readonly<{columns?: number; rows?: number; iterations?: number; warmup?: number}> = {}): Promise<RerenderTiming> {
  const columns = options.columns ?? 120;
  const rows = options.rows ?? 40;
  const iterations = options.iterations ?? 30;
  const warmup = options.warmup ?? 5;
  // As the TUI runs: React's production build (it is only this if React was not loaded before).
  process.env.NODE_ENV ??= 'production';
  const [{render}, React, {Screen}] = await Promise.all([import('./ink.js'), import('react'), import('./views/Screen.js')]);
  const stdout = new OffscreenStdout(columns, rows);
  let state = syntheticState(workloads, {columns, rows});
  const started = performance.now();
  const instance = render(React.createElement(Screen, {state}), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: new IdleStdin() as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const mountMs = performance.now() - started;
  const samples: number[] = [];
  const reduces: number[] = [];
  let lastFrame = '';
  try {
    for (let i = 0; i < warmup + iterations; i++) {
      const r0 = performance.now();
      state = syntheticRefresh(state, 100 + i);
      if (i >= warmup) reduces.push(performance.now() - r0);
      const t0 = performance.now();
      instance.rerender(React.createElement(Screen, {state}));
      const ms = performance.now() - t0;
      if (i >= warmup) samples.push(ms);
      lastFrame = stdout.frame;
    }
  } finally {
    instance.unmount();
    instance.cleanup();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {workloads, columns, rows, mountMs, samples, medianMs: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95), reduceMedianMs: quantile([...reduces].sort((a, b) => a - b), 0.5), frameLines: lastFrame.replace(/\n$/, '').split('\n').length};
}
