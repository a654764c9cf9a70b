/**
 * `MESHDOCTOR_TUI_TIMINGS=<file>`: the TUI appends one JSON line per milestone —
 * `{"event": "first-frame" | "first-data-frame", "msSinceStart": n}` — measured from process start
 * (`performance.timeOrigin`), for `npm run bench`. Each event is written once. No file, no cost.
 */
import {appendFileSync} from 'node:fs';

export type TimingEvent = 'first-frame' | 'first-data-frame';

export type Timings = Readonly<{mark(event: TimingEvent): void}>;

export function createTimings(env: NodeJS.ProcessEnv = process.env): Timings {
  const file = env.MESHDOCTOR_TUI_TIMINGS;
  const seen = new Set<TimingEvent>();
  return {
    mark(event) {
      if (!file || seen.has(event)) return;
      seen.add(event);
      try {
        appendFileSync(file, `${JSON.stringify({event, msSinceStart: Math.round(performance.now() * 10) / 10})}\n`);
      } catch {
        // Timings are best effort: never break the UI over them.
      }
    },
  };
}
