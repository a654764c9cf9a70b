/**
 * A real Prometheus for integration tests: backfill a TSDB from the traffic simulator with
 * `promtool tsdb create-blocks-from openmetrics`, then start `prometheus` on a free loopback port
 * over it. Without the binaries the tests skip locally and fail under CI (docs/design.md §7).
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync, createWriteStream} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {TrafficSim} from '../../src/sim/traffic/index.js';
import {writeOpenMetrics} from '../../src/sim/traffic/index.js';

function which(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, bin))) return join(dir, bin);
  return undefined;
}

export const PROMETHEUS_BIN = which('prometheus');
export const PROMTOOL_BIN = which('promtool');

/** The tests never skip: a missing binary fails them, with the install hint (CI installs it, see .ci/run). */
export function requirePrometheus(): void {
  if (PROMETHEUS_BIN && PROMTOOL_BIN) return;
  throw new Error(`prometheus and promtool are needed${process.env.CI ? ' in CI' : ''}: apt-get install -y prometheus`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as {port: number}).port;
      srv.close(() => resolve(port));
    });
  });
}

export type RealPrometheus = Readonly<{url: string; dir: string; stop(): Promise<void>}>;

/** Backfill [fromMs, toMs] every `stepSeconds` and serve it; scrape_interval in the config = stepSeconds. */
export async function startPrometheus(sim: TrafficSim, range: {fromMs: number; toMs: number; stepSeconds: number}): Promise<RealPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'md-prom-'));
  const input = join(dir, 'history.om');
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(input);
    out.on('error', reject);
    writeOpenMetrics(sim, range, (chunk) => out.write(chunk));
    out.end(resolve);
  });
  execFileSync(PROMTOOL_BIN!, ['tsdb', 'create-blocks-from', 'openmetrics', input, join(dir, 'data')], {stdio: 'pipe'});
  writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: ${range.stepSeconds}s\n  evaluation_interval: ${range.stepSeconds}s\n`);
  const port = await freePort();
  const child: ChildProcess = spawn(PROMETHEUS_BIN!, [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=100y', '--log.level=warn',
  ], {stdio: 'ignore'});
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`prometheus did not become ready on ${url}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, {recursive: true, force: true});
    },
  };
}
