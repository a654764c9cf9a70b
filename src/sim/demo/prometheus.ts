/**
 * A real Prometheus for `meshdoctor demo --prometheus`: the world's metric history is backfilled with
 * `promtool tsdb create-blocks-from openmetrics` (so rates and the 15-minute no-traffic window exist
 * from the first query), then `prometheus` starts on a free loopback port and keeps scraping the
 * simulated proxies through a plain exporter, one static target per pod carrying the mesh's standard
 * target labels. Everything lives in the demo's temporary directory; `stop()` ends the child process
 * (SIGTERM, then SIGKILL) and `stopNow()` kills it synchronously on process exit.
 */
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {createWriteStream, existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import {createServer, type AddressInfo} from 'node:net';
import {delimiter, join} from 'node:path';
import {promisify} from 'node:util';
import {stringify} from 'yaml';
import {DEMO_JOB, exporterPath, podMetricsText, scrapedPods, targetLabels, writeHistory} from './metrics.js';
import type {World} from './world.js';

export class PrometheusStartError extends Error {}

/** An executable on PATH, or undefined. */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export type PrometheusBinaries = Readonly<{prometheus: string; promtool: string}>;

/** Both binaries, or a one-line error naming what is missing. */
export function prometheusBinaries(): PrometheusBinaries | {missing: string} {
  const prometheus = findExecutable('prometheus');
  const promtool = findExecutable('promtool');
  if (prometheus && promtool) return {prometheus, promtool};
  const missing = [prometheus ? '' : 'prometheus', promtool ? '' : 'promtool'].filter(Boolean).join(' and ');
  return {missing};
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const {port} = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The plain exporter Prometheus scrapes: `GET /pods/<ns>/<pod>` = that pod's proxy metrics now. */
async function startExporter(world: World): Promise<{port: number; close(): Promise<void>}> {
  const server = http.createServer((req, res) => {
    const m = /^\/pods\/([^/]+)\/([^/?]+)/.exec(req.url ?? '');
    const body = m && req.method === 'GET' ? podMetricsText(world, decodeURIComponent(m[1]), decodeURIComponent(m[2])) : undefined;
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, {'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(body)}).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function prometheusConfig(world: World, exporterPort: number, scrapeSeconds: number): string {
  const targets = scrapedPods(world).map((pod) => ({
    targets: [`127.0.0.1:${exporterPort}`],
    labels: {...targetLabels(pod), __metrics_path__: exporterPath(pod)},
  }));
  return stringify({
    global: {scrape_interval: `${scrapeSeconds}s`, evaluation_interval: `${scrapeSeconds}s`, scrape_timeout: `${Math.min(10, scrapeSeconds)}s`},
    scrape_configs: [{job_name: DEMO_JOB, honor_labels: false, static_configs: targets}],
  });
}

export type RunningPrometheus = Readonly<{url: string; stop(): Promise<void>; stopNow(): void}>;

export type PrometheusOptions = Readonly<{
  binaries: PrometheusBinaries;
  /** Where the history, config, data and log go (the demo's temporary directory). */
  dir: string;
  /** Give up waiting for readiness after this long. */
  readyTimeoutMs?: number;
  now?: () => number;
}>;

const run = promisify(execFile);

/** How far past now the backfill reaches (longer than Prometheus takes to start). */
const LEAD_SECONDS = 45;

export async function startPrometheus(world: World, options: PrometheusOptions): Promise<RunningPrometheus> {
  const {binaries, dir} = options;
  const now = options.now ?? Date.now;
  const {scrapeIntervalSeconds: step, backfillSeconds} = world.scenario.clock;
  const exporter = await startExporter(world);
  let child: ChildProcess | undefined;
  const stopNow = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const stop = async () => {
    const c = child;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await exporter.close();
  };
  try {
    mkdirSync(join(dir, 'prometheus'), {recursive: true});
    const history = join(dir, 'prometheus', 'history.om');
    const data = join(dir, 'prometheus', 'data');
    // Samples on the scrape grid up to a little past now: the simulator knows what the proxies will
    // say, so the history stays continuous while Prometheus starts (it drops live samples older than
    // the backfilled ones), and the live scrapes then continue the same series.
    const to = Math.floor((now() + LEAD_SECONDS * 1000) / (step * 1000)) * step * 1000;
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(history);
      out.on('error', reject);
      writeHistory(world, {fromMs: to - backfillSeconds * 1000, toMs: to, stepSeconds: step}, (chunk) => out.write(chunk));
      out.end(resolve);
    });
    try {
      await run(binaries.promtool, ['tsdb', 'create-blocks-from', 'openmetrics', history, data], {maxBuffer: 16 * 1024 * 1024});
    } catch (error) {
      const detail = ((error as {stderr?: string}).stderr ?? (error as Error).message).trim().split('\n').pop();
      throw new PrometheusStartError(`promtool could not backfill the demo's history: ${detail}`);
    }
    const config = join(dir, 'prometheus', 'prometheus.yml');
    writeFileSync(config, prometheusConfig(world, exporter.port, step));
    const port = await freePort();
    const log = join(dir, 'prometheus', 'prometheus.log');
    const fd = openSync(log, 'w');
    child = spawn(binaries.prometheus, [
      `--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1d', '--log.level=warn',
    ], {stdio: ['ignore', fd, fd]});
    closeSync(fd);
    const url = `http://127.0.0.1:${port}`;
    const deadline = now() + (options.readyTimeoutMs ?? 30_000);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const last = readFileSync(log, 'utf8').trim().split('\n').pop() ?? '';
        throw new PrometheusStartError(`prometheus exited during start-up${last ? `: ${last.slice(0, 300)}` : ''}`);
      }
      try {
        const res = await fetch(`${url}/-/ready`, {signal: AbortSignal.timeout(1000)});
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (now() > deadline) throw new PrometheusStartError(`prometheus did not become ready on ${url} within ${Math.round((options.readyTimeoutMs ?? 30_000) / 1000)}s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {url, stop, stopNow};
  } catch (error) {
    stopNow();
    await exporter.close();
    throw error;
  }
}
