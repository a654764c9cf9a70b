/**
 * TUI figures for the bench, measured in a real terminal (tmux) with MESHDOCTOR_TUI_TIMINGS:
 * - the all-in-one `meshdoctor demo istio-shop` (its world starts in the same process);
 * - the TUI alone against a world served by `meshdoctor demo istio-shop --serve` (what an on-call
 *   engineer's `meshdoctor --kubeconfig …` does against a cluster);
 * and the re-render of the Services view with 2,000 workloads (src/tui/bench.ts), in a fresh
 * process as the TUI has one (not in the bench's own heap, grown by the 50k-pod runs).
 */
import {execFile, execFileSync, spawn} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';
import type {RerenderTiming} from '../src/tui/bench.js';
import {packageRoot} from '../src/package-info.js';
import type {Figure} from './stats.js';
import {figure} from './stats.js';

export type TuiFigures = {
  firstFrameMs?: Figure;
  firstDataFrameMs?: Figure;
  standaloneFirstFrameMs?: Figure;
  standaloneFirstDataFrameMs?: Figure;
  rerender2000Ms?: Figure;
  /** `demo istio-shop --serve`: process start → serving, as the demo prints it (the acceptance test only checks that it says so). */
  demoServeReadyMs?: Figure;
};

const BIN = join(packageRoot(), 'bin', 'meshdoctor.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** src/tui/bench.ts in a child process: the timings of 60 re-renders of N workloads. */
async function rerenderInFreshProcess(workloads: number): Promise<RerenderTiming> {
  const module = join(packageRoot(), 'dist', 'src', 'tui', 'bench.js');
  const script = `const {benchServicesRerender} = await import(${JSON.stringify(module)}); process.stdout.write(JSON.stringify(await benchServicesRerender(${workloads}, {iterations: 60})));`;
  const {stdout} = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {maxBuffer: 1 << 24});
  return JSON.parse(stdout) as RerenderTiming;
}

type Timing = {event: string; msSinceStart: number};

/** Run a command in a 120×40 tmux window until the TUI reports its first data frame; return the first timing of each event. */
async function timed(tmp: string, command: string): Promise<{first?: number; data?: number}> {
  const file = join(tmp, `timings-${Math.random().toString(36).slice(2)}.jsonl`);
  const socket = `md-bench-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {stdio: 'ignore'});
  tmux('new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', `MESHDOCTOR_TUI_TIMINGS=${file} ${command}`);
  try {
    const deadline = Date.now() + 20_000;
    let events: Timing[] = [];
    while (Date.now() < deadline) {
      await sleep(200);
      if (!existsSync(file)) continue;
      events = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Timing);
      if (events.some((e) => e.event === 'first-data-frame')) break;
    }
    tmux('send-keys', '-t', 'b', 'q');
    await sleep(1500);
    return {first: events.find((e) => e.event === 'first-frame')?.msSinceStart, data: events.find((e) => e.event === 'first-data-frame')?.msSinceStart};
  } finally {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(file, {force: true});
  }
}

export async function serveDemo(): Promise<{kubeconfig: string; readyMs: number; stop(): Promise<void>}> {
  const child = spawn(process.execPath, [BIN, 'demo', 'istio-shop', '--serve'], {stdio: ['ignore', 'pipe', 'inherit']});
  let out = '';
  const kubeconfig = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /kubeconfig: (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('close', () => reject(new Error(`demo --serve exited: ${out}`)));
  });
  return {
    kubeconfig,
    readyMs: Number(/\(ready in (\d+) ms\)/.exec(out)?.[1] ?? NaN),
    stop: () => new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.kill('SIGINT');
    }),
  };
}

export async function tuiFigures(tmp: string, runs = 3): Promise<TuiFigures> {
  try {
    execFileSync('tmux', ['-V'], {stdio: 'ignore'});
  } catch {
    process.stderr.write('bench: tmux not found; TUI start-up figures are not measured\n');
    const r = await rerenderInFreshProcess(2000);
    return {rerender2000Ms: figure(r.samples, 'ms')};
  }
  const demo: {first: number[]; data: number[]} = {first: [], data: []};
  for (let i = 0; i < runs; i++) {
    const t = await timed(tmp, `node ${BIN} demo istio-shop`);
    if (t.first !== undefined) demo.first.push(t.first);
    if (t.data !== undefined) demo.data.push(t.data);
  }
  const ready: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = await serveDemo();
    ready.push(s.readyMs);
    await s.stop();
  }
  const alone: {first: number[]; data: number[]} = {first: [], data: []};
  const served = await serveDemo();
  try {
    for (let i = 0; i < runs; i++) {
      const t = await timed(tmp, `node ${BIN} --kubeconfig ${served.kubeconfig} --metrics-source proxies`);
      if (t.first !== undefined) alone.first.push(t.first);
      if (t.data !== undefined) alone.data.push(t.data);
    }
  } finally {
    await served.stop();
  }
  const rerender = await rerenderInFreshProcess(2000);
  const fig = (samples: number[]) => (samples.length > 0 ? figure(samples, 'ms') : undefined);
  return {
    firstFrameMs: fig(demo.first),
    firstDataFrameMs: fig(demo.data),
    standaloneFirstFrameMs: fig(alone.first),
    standaloneFirstDataFrameMs: fig(alone.data),
    rerender2000Ms: figure(rerender.samples, 'ms'),
    demoServeReadyMs: fig(ready.filter((ms) => Number.isFinite(ms))),
  };
}
