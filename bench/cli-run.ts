/** One real CLI run in a child process, timed, with its peak RSS (rss-hook.mjs writes it at exit). */
import {spawn} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {packageRoot} from '../src/package-info.js';

const ROOT = packageRoot();
export const BIN = join(ROOT, 'bin', 'meshdoctor.js');

export type CliRun = Readonly<{ms: number; rssMB: number; code: number | null; stderr: string}>;

export async function cliRun(args: readonly string[]): Promise<CliRun> {
  const rssFile = join(tmpdir(), `md-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  let stderr = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', join(ROOT, 'bench', 'rss-hook.mjs'), BIN, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {...process.env, MESHDOCTOR_BENCH_RSS_FILE: rssFile},
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', resolve);
  });
  const ms = performance.now() - started;
  let rssKiB = NaN;
  try {
    rssKiB = Number(readFileSync(rssFile, 'utf8'));
  } catch {
    // killed before exit (out of memory): no figure
  }
  rmSync(rssFile, {force: true});
  return {ms, rssMB: rssKiB / 1024, code, stderr};
}

/** What a command measured: its runs, or why it could not finish (out of memory at 50k pods, say). */
export type Measured = Readonly<{runs: readonly CliRun[]}> | Readonly<{failed: string}>;

/** Runs that must end with one of `codes` (a check finding planted faults exits 1); the first that does not ends the series. */
export async function cliRuns(runs: number, args: readonly string[], codes: readonly number[] = [0]): Promise<Measured> {
  const out: CliRun[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await cliRun(args);
    if (r.code === null || !codes.includes(r.code)) {
      const oom = /heap out of memory|Allocation failed/.test(r.stderr);
      return {failed: oom ? `out of memory after ${Math.round(r.ms)} ms (peak RSS ${Math.round(r.rssMB)} MB)` : `exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`};
    }
    out.push(r);
  }
  return {runs: out};
}
