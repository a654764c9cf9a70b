/**
 * `MESHDOCTOR_TUI_TIMINGS=<file>`: the TUI appends one JSON line per milestone —
 * `{"event": "first-frame" | "first-data-frame", "msSinceStart": n}` — measured from process start
 * (`performance.timeOrigin`), for `npm run bench`. Each event is written once. No file, no cost.
 *
 * For the bench's long runs it also writes, at most once every `sampleMs` (default 10 s), a
 * `steady` line: frames drawn since the last one and Ink's longest and mean render time, the
 * process's resident and heap memory, and the event-loop delay (p99, max) — how long a key press
 * could have waited.
 */
import {appendFileSync} from 'node:fs';
import {monitorEventLoopDelay, type IntervalHistogram} from 'node:perf_hooks';

export type TimingEvent = 'first-frame' | 'first-data-frame';

export type Timings = Readonly<{
  mark(event: TimingEvent): void;
  /** A frame Ink drew, with the time its render took. */
  frame(renderMs: number): void;
}>;

export type SteadySample = Readonly<{
  event: 'steady';
  msSinceStart: number;
  frames: number;
  renderMsMax: number;
  renderMsMean: number;
  rssMB: number;
  heapMB: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}>;

const round = (n: number) => Math.round(n * 10) / 10;

/** `clock`: milliseconds since process start (tests pass their own). */
export function createTimings(env: NodeJS.ProcessEnv = process.env, clock: () => number = () => performance.now()): Timings {
  const file = env.MESHDOCTOR_TUI_TIMINGS;
  const seen = new Set<TimingEvent>();
  const write = (line: object): void => {
    try {
      appendFileSync(file!, `${JSON.stringify(line)}\n`);
    } catch {
      // Timings are best effort: never break the UI over them.
    }
  };
  const sampleMs = Number(env.MESHDOCTOR_TUI_TIMINGS_EVERY_MS) || 10_000;
  let loop: IntervalHistogram | undefined;
  let frames = 0;
  let renderMax = 0;
  let renderSum = 0;
  let lastSample = clock();
  return {
    mark(event) {
      if (!file || seen.has(event)) return;
      seen.add(event);
      write({event, msSinceStart: round(clock())});
    },
    frame(renderMs) {
      if (!file) return;
      if (!loop) {
        loop = monitorEventLoopDelay({resolution: 10});
        loop.enable();
      }
      frames++;
      renderMax = Math.max(renderMax, renderMs);
      renderSum += renderMs;
      const now = clock();
      if (now - lastSample < sampleMs) return;
      const memory = process.memoryUsage();
      const sample: SteadySample = {
        event: 'steady', msSinceStart: round(now), frames, renderMsMax: round(renderMax), renderMsMean: round(renderSum / frames),
        rssMB: round(memory.rss / 2 ** 20), heapMB: round(memory.heapUsed / 2 ** 20),
        loopDelayP99Ms: round(loop.percentile(99) / 1e6), loopDelayMaxMs: round(loop.max / 1e6),
      };
      write(sample);
      loop.reset();
      frames = 0;
      renderMax = 0;
      renderSum = 0;
      lastSample = now;
    },
  };
}
