/**
 * The TUI over time: run it in a real terminal (tmux, 120×40) at `--refresh 1s` against a target for
 * a while, and read the `steady` samples it writes (src/tui/timings.ts): resident memory, Ink's render
 * time and the event-loop delay. Memory growth compares the median RSS of the first and the last
 * sixth of the run after a warm-up (the catalog loaded, the first full collection and watches in),
 * so a single garbage-collection peak does not decide it.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import type {SteadySample} from '../src/tui/timings.js';
import {BIN} from './cli-run.js';
import type {Figure} from './stats.js';
import {figure, round} from './stats.js';

export type SoakFigures = Readonly<{
  target: string;
  seconds: number;
  warmupSeconds: number;
  samples: number;
  /** Median RSS of the first and last sixth after the warm-up, and the growth between them. */
  rssStartMB: number;
  rssEndMB: number;
  rssGrowthPct: number;
  rssMaxMB: number;
  heapEndMB: number;
  renderMsMax: Figure;
  renderMsMean: Figure;
  loopDelayP99Ms: Figure;
  framesPerSecond: number;
  /** Start-up of this run: the first frame and the first frame with golden metrics (ms from process start). */
  firstFrameMs?: number;
  firstDataFrameMs?: number;
}>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[s.length >> 1] : (s[(s.length >> 1) - 1] + s[s.length >> 1]) / 2;
}

/** Run `args` (meshdoctor's TUI flags) for `seconds` and reduce its steady samples. */
export async function soakTui(tmp: string, target: string, args: readonly string[], seconds: number, log: (line: string) => void): Promise<SoakFigures> {
  const file = join(tmp, `soak-${Math.random().toString(36).slice(2)}.jsonl`);
  const socket = `md-soak-${process.pid}`;
  const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...a], {stdio: 'ignore'});
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const everyMs = Math.max(1000, Math.min(10_000, Math.round((seconds * 1000) / 120)));
  tmux('new-session', '-d', '-s', 's', '-x', '120', '-y', '40',
    `MESHDOCTOR_TUI_TIMINGS=${file} MESHDOCTOR_TUI_TIMINGS_EVERY_MS=${everyMs} exec ${process.execPath} ${BIN} ${quoted}`);
  const started = Date.now();
  try {
    let lastLog = 0;
    while (Date.now() - started < seconds * 1000) {
      await sleep(Math.min(5000, seconds * 1000 - (Date.now() - started) + 10));
      if (Date.now() - lastLog > 60_000) {
        lastLog = Date.now();
        const last = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').pop() : undefined;
        log(`    ${target}: ${Math.round((Date.now() - started) / 1000)} s${last ? `, ${last}` : ''}`);
      }
    }
    tmux('send-keys', '-t', 's', 'q');
    await sleep(1500);
  } finally {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  }
  const events = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as {event: string; msSinceStart: number}) : [];
  const samples = events.filter((e): e is SteadySample => e.event === 'steady');
  const firstFrameMs = events.find((e) => e.event === 'first-frame')?.msSinceStart;
  const firstDataFrameMs = events.find((e) => e.event === 'first-data-frame')?.msSinceStart;
  rmSync(file, {force: true});
  if (samples.length < 6) throw new Error(`TUI soak against ${target}: only ${samples.length} samples (did it start?)`);
  const warmupMs = Math.max(60_000, seconds * 1000 * 0.1);
  const steady = samples.filter((s) => s.msSinceStart >= warmupMs);
  const use = steady.length >= 6 ? steady : samples.slice(Math.floor(samples.length / 3));
  const sixth = Math.max(1, Math.floor(use.length / 6));
  const start = median(use.slice(0, sixth).map((s) => s.rssMB));
  const end = median(use.slice(-sixth).map((s) => s.rssMB));
  const spanS = (use[use.length - 1].msSinceStart - use[0].msSinceStart) / 1000 || 1;
  return {
    target,
    seconds,
    warmupSeconds: round(warmupMs / 1000),
    samples: use.length,
    rssStartMB: round(start),
    rssEndMB: round(end),
    rssGrowthPct: round(((end - start) / start) * 100),
    rssMaxMB: round(Math.max(...use.map((s) => s.rssMB))),
    heapEndMB: round(median(use.slice(-sixth).map((s) => s.heapMB))),
    renderMsMax: figure(use.map((s) => s.renderMsMax), 'ms'),
    renderMsMean: figure(use.map((s) => s.renderMsMean), 'ms'),
    loopDelayP99Ms: figure(use.map((s) => s.loopDelayP99Ms), 'ms'),
    framesPerSecond: round(use.reduce((n, s) => n + s.frames, 0) / spanS),
    ...(firstFrameMs !== undefined ? {firstFrameMs} : {}),
    ...(firstDataFrameMs !== undefined ? {firstDataFrameMs} : {}),
  };
}
