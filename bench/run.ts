/**
 * `npm run bench`: the performance budgets of docs/design.md §8 and the targets of issue 20, measured on
 * realistic clusters (src/sim/realistic: injected Istio and Linkerd pods shaped like upstream's
 * injection output, with their controllers, Services and mesh configuration, managedFields
 * included) of 1k, 10k and 50k pods. Prints a table and writes bench/results.json. Not part of
 * `npm test`: timing belongs here, not in tests. The machine is often shared: every figure is a
 * median with its range, and the load average is recorded next to it.
 */
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {cpus, loadavg, tmpdir, totalmem} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {allChecks} from '../checks/index.js';
import {GOLDEN_SIGNALS} from '../src/core/signals.js';
import {packageRoot} from '../src/package-info.js';
import {gatherSignals} from '../src/sources/metrics/gather.js';
import {BIN} from './cli-run.js';
import type {ClusterFigures, ClusterSpec, CommandFigures} from './cluster-figures.js';
import {measureCluster} from './cluster-figures.js';
import type {Figure} from './stats.js';
import {figure, fmt, repeat, round} from './stats.js';
import {formatApiRates, tuiApiRates} from './api-rates.js';
import {contextsFigures} from './contexts.js';
import {serveDemo, tuiFigures} from './tui.js';
import type {SoakFigures} from './tui-soak.js';
import {soakTui} from './tui-soak.js';
import {startClusterServer} from './cluster-server.js';

const execFileP = promisify(execFile);
const ROOT = packageRoot();
/** `mesh:pods` list; default Istio at 1k, 10k and 50k pods and Linkerd at 10k. */
const CLUSTERS: ClusterSpec[] = (process.env.MESHDOCTOR_BENCH_CLUSTERS ?? 'istio:1000,istio:10000,istio:50000,linkerd:10000').split(',').map((s) => {
  const [mesh, pods] = s.split(':');
  return {mesh: mesh as ClusterSpec['mesh'], pods: Number(pods)};
});
const tmp = mkdtempSync(join(tmpdir(), 'md-bench-'));
const loads: number[] = [];
const sampleLoad = () => loads.push(loadavg()[0]);

function runsFor(pods: number): number {
  const forced = Number(process.env.MESHDOCTOR_BENCH_RUNS);
  if (forced > 0) return forced;
  return pods >= 50_000 ? 1 : pods >= 10_000 ? 3 : 5;
}

/** Queries one metrics refresh sends, against a Prometheus stub that answers with one series per workload. */
async function queriesPerRefresh(workloads: number): Promise<number> {
  let count = 0;
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/api/v1/status/config') return res.end(JSON.stringify({status: 'success', data: {yaml: 'global:\n  scrape_interval: 15s\n'}}));
    count++;
    const query = u.searchParams.get('query') ?? '';
    const probes = [...query.matchAll(/"probe", "([^"]+)"/g)].map((m) => m[1]);
    const result = probes.length > 0
      ? probes.map((p) => ({metric: {probe: p}, value: [0, '1']}))
      : Array.from({length: workloads}, (_, i) => ({metric: {destination_workload_namespace: 'shop', destination_workload: `wl-${i}`, namespace: 'shop', deployment: `wl-${i}`, response_code: '200', classification: 'success'}, value: [0, '10']}));
    res.end(JSON.stringify({status: 'success', data: {resultType: 'vector', result}}));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await gatherSignals({source: 'prometheus', prometheusUrl: url, meshes: ['istio', 'linkerd'], wanted: new Set(GOLDEN_SIGNALS), windowSeconds: 60, noTrafficSeconds: 900, timeoutMs: 5000, sampleSeconds: 5});
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
  return count;
}

async function helpWallMs(): Promise<Figure> {
  const samples = await repeat(10, async () => {
    const t = performance.now();
    await execFileP(process.execPath, [BIN, 'check', '--help']);
    return performance.now() - t;
  });
  return figure(samples, 'ms');
}

type Budget = Readonly<{name: string; value: number; limit: number; unit: string}>;

/** `MESHDOCTOR_BENCH_SOAK_SECONDS` (default 180) of the TUI at --refresh 1s: against the demo, and against the Istio 10k cluster with a pod replaced every second. */
async function soaks(): Promise<SoakFigures[]> {
  const seconds = Number(process.env.MESHDOCTOR_BENCH_SOAK_SECONDS) || 180;
  const out: SoakFigures[] = [];
  console.log(`\nTUI soak, ${seconds} s per target`);
  const demo = await serveDemo();
  try {
    out.push(await soakTui(tmp, 'demo istio-shop', ['--kubeconfig', demo.kubeconfig, '--metrics-source', 'proxies', '--refresh', '1s'], seconds, (l) => console.log(l)));
  } finally {
    await demo.stop();
  }
  const cluster = await startClusterServer({mesh: 'istio', pods: 10_000});
  try {
    await cluster.churn(1);
    out.push(await soakTui(tmp, 'istio 10k pods, 1 pod replaced a second', ['--kubeconfig', cluster.kubeconfig, '--refresh', '1s'], seconds, (l) => console.log(l)));
  } finally {
    await cluster.stop();
  }
  return out;
}

const label = (c: ClusterSpec) => `${c.mesh} ${c.pods / 1000}k`;

function command(c: CommandFigures): string {
  return 'failed' in c ? `did not finish: ${c.failed}` : `${fmt(c.wallMs)}, peak RSS ${fmt(c.peakRssMB)}`;
}

/** A command's median; Infinity when it did not finish (a budget it cannot meet). */
function median(c: CommandFigures, of: 'wallMs' | 'peakRssMB'): number {
  return 'failed' in c ? Infinity : c[of].median;
}

async function main(): Promise<void> {
  const started = Date.now();
  const machine = {cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}`};
  console.log(`meshdoctor bench — ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${loadavg()[0].toFixed(1)}`);
  const timer = setInterval(sampleLoad, 5000);
  sampleLoad();
  const clusters: ClusterFigures[] = [];
  for (const spec of CLUSTERS) {
    console.log(`\n${label(spec)} pods`);
    const r = await measureCluster(spec, tmp, runsFor(spec.pods), (line) => console.log(line));
    clusters.push(r);
    console.log(`  objects ${r.objects}; a pod is ${r.podKB} KB as served, ${r.podKBKubectl} KB as kubectl prints it (no managedFields)`);
    console.log(`  bytes on the wire (one collection)   ${r.wireMB} MB in ${r.requests} requests`);
    console.log(`  collection over HTTP (in-process)    ${fmt(r.collectMs)}${r.kubectlMs ? `  vs kubectl get (same kinds) ${fmt(r.kubectlMs)} = ${r.collectVsKubectl}×` : ''}`);
    console.log(`  snapshot save (CLI)                  ${command(r.snapshotSave)}; file ${r.snapshotMB} MB`);
    if (r.snapshotSaveFull) console.log(`  snapshot save --full (CLI, once)      ${command(r.snapshotSaveFull)}; file ${r.snapshotFullMB} MB`);
    console.log(`  check, live (CLI)                    ${command(r.checkLive)}`);
    console.log(`  check --snapshot (CLI)               ${command(r.checkSnapshot)}`);
    if (r.jsonParseMs && r.snapshotBuildMs && r.checkRunMs) {
      console.log(`  JSON.parse of the snapshot           ${fmt(r.jsonParseMs)}`);
      console.log(`  snapshot build (indexes)             ${fmt(r.snapshotBuildMs)}`);
      console.log(`  check run, all ${allChecks.length} checks           ${fmt(r.checkRunMs)}  = ${r.checkRunVsParse}× JSON.parse`);
    }
  }
  const queries = {at10: await queriesPerRefresh(10), at2000: await queriesPerRefresh(2000)};
  console.log(`\nPrometheus queries per refresh: ${queries.at10} at 10 workloads, ${queries.at2000} at 2,000`);
  const help = await helpWallMs();
  console.log(`meshdoctor check --help        ${fmt(help)}`);
  const tui = process.env.MESHDOCTOR_BENCH_TUI === '0' ? {} : await tuiFigures(tmp, 5);
  for (const [name, f] of Object.entries(tui)) console.log(`TUI ${name.padEnd(27)}${f ? fmt(f) : 'not measured'}`);
  const apiRates = process.env.MESHDOCTOR_BENCH_TUI === '0' ? [] : await tuiApiRates();
  if (apiRates.length) {
    console.log('\nTUI API requests per second, steady state and with every watch failing');
    for (const line of formatApiRates(apiRates)) console.log(line);
  }
  const faulted = apiRates.filter((r) => r.scenario !== 'steady state');
  const soak = process.env.MESHDOCTOR_BENCH_TUI === '0' ? [] : await soaks();
  for (const s of soak) {
    console.log(`TUI at --refresh 1s against ${s.target} for ${s.seconds} s (after ${s.warmupSeconds} s warm-up): RSS ${s.rssStartMB} → ${s.rssEndMB} MB (${s.rssGrowthPct} %, max ${s.rssMaxMB} MB), ` +
      `Ink render max ${fmt(s.renderMsMax)}, event-loop delay p99 ${fmt(s.loopDelayP99Ms)}, ${s.framesPerSecond} frames/s` +
      (s.firstDataFrameMs !== undefined ? `; first frame ${s.firstFrameMs} ms, first data frame ${s.firstDataFrameMs} ms` : ''));
  }
  console.log('\nmany clusters: check over 10 contexts × 1,000 pods');
  const contexts = process.env.MESHDOCTOR_BENCH_CONTEXTS === '0' ? undefined : await contextsFigures((line) => console.log(line));
  clearInterval(timer);

  const soak10k = soak.find((s) => s.target.startsWith('istio 10k'));
  const at = (mesh: string, pods: number) => clusters.find((c) => c.mesh === mesh && c.pods === pods);
  const i10k = at('istio', 10_000);
  const first = clusters.find((c) => c.mesh === 'istio');
  const last = [...clusters].reverse().find((c) => c.mesh === 'istio');
  const largest = clusters.filter((c) => c.pods >= 50_000);
  const budgets: Budget[] = [
    ...(i10k
      ? [
          {name: 'issue 20: snapshot save peak RSS, Istio 10k pods', value: median(i10k.snapshotSave, 'peakRssMB'), limit: 250, unit: 'MB'},
          {name: 'issue 20: check --snapshot wall time, Istio 10k pods', value: median(i10k.checkSnapshot, 'wallMs'), limit: 1500, unit: 'ms'},
          {name: 'issue 20: check --snapshot peak RSS, Istio 10k pods', value: median(i10k.checkSnapshot, 'peakRssMB'), limit: 200, unit: 'MB'},
          ...(i10k.collectVsKubectl !== undefined ? [{name: 'issue 20: collection / kubectl get of the same kinds, Istio 10k pods', value: i10k.collectVsKubectl, limit: 1, unit: '×'}] : []),
          ...(i10k.checkRunMs && i10k.checkRunVsParse !== undefined
            ? [{name: 'check run at Istio 10k pods', value: i10k.checkRunMs.median, limit: 1000, unit: 'ms'}, {name: 'check run / JSON.parse at Istio 10k pods', value: i10k.checkRunVsParse, limit: 2, unit: '×'}]
            : []),
        ]
      : []),
    ...largest.flatMap((c) => [
      {name: `issue 20: snapshot save peak RSS, ${label(c)}`, value: median(c.snapshotSave, 'peakRssMB'), limit: 1024, unit: 'MB'},
      {name: `issue 20: check (live) peak RSS, ${label(c)}`, value: median(c.checkLive, 'peakRssMB'), limit: 1024, unit: 'MB'},
      {name: `issue 20: check --snapshot peak RSS, ${label(c)}`, value: median(c.checkSnapshot, 'peakRssMB'), limit: 1024, unit: 'MB'},
    ]),
    ...(first?.checkRunMs && last?.checkRunMs && last !== first
      ? [{name: `check run growth ${first.pods}→${last.pods} pods, per pod (linear = 1)`, value: round((last.checkRunMs.median / last.pods) / (first.checkRunMs.median / first.pods)), limit: 2, unit: '×'}]
      : []),
    {name: 'queries per refresh at 2,000 workloads', value: queries.at2000, limit: Math.max(10, queries.at10), unit: 'queries'},
    {name: 'check --help wall time', value: help.median, limit: 250, unit: 'ms'},
    ...(tui.firstFrameMs ? [{name: 'TUI first frame (meshdoctor demo)', value: tui.firstFrameMs.median, limit: 500, unit: 'ms'}] : []),
    ...(tui.firstDataFrameMs ? [{name: 'TUI first data frame (meshdoctor demo, world in the same process)', value: tui.firstDataFrameMs.median, limit: 1500, unit: 'ms'}] : []),
    ...(tui.standaloneFirstFrameMs ? [{name: 'TUI first frame (against demo --serve)', value: tui.standaloneFirstFrameMs.median, limit: 500, unit: 'ms'}] : []),
    ...(tui.standaloneFirstDataFrameMs ? [{name: 'TUI first data frame (against demo --serve)', value: tui.standaloneFirstDataFrameMs.median, limit: 1500, unit: 'ms'}] : []),
    ...(tui.demoServeReadyMs ? [{name: 'demo istio-shop --serve ready', value: tui.demoServeReadyMs.median, limit: 2000, unit: 'ms'}] : []),
    ...(tui.rerender2000Ms ? [{name: 'TUI re-render, 2,000 workloads (= Istio 10k pods)', value: tui.rerender2000Ms.median, limit: 30, unit: 'ms'}] : []),
    ...(contexts ? [{name: `issue 20: check --all-contexts, ${contexts.clusters} × ${contexts.podsEach} pods / the slowest cluster alone`, value: contexts.vsSlowest, limit: 2, unit: '×'}] : []),
    // client-go's default client-side limit (k8s.io/client-go/rest/config.go: 5 QPS, bursts of 10 — one burst over the 30 s window adds 0.33/s).
    ...(faulted.length ? [{name: 'TUI lists + watches per second, worst watch fault', value: round(Math.max(...faulted.map((r) => r.watchPerSecond + r.listPerSecond))), limit: 5.5, unit: 'req/s'}] : []),
    ...(soak10k
      ? [
          {name: `issue 20: TUI RSS growth over ${soak10k.seconds} s at --refresh 1s, Istio 10k pods`, value: soak10k.rssGrowthPct, limit: 5, unit: '%'},
          {name: 'issue 20: TUI Ink render (longest per sample, median), Istio 10k pods', value: soak10k.renderMsMax.median, limit: 30, unit: 'ms'},
        ]
      : []),
  ];
  console.log('\nbudgets');
  for (const b of budgets) console.log(`  ${b.value <= b.limit ? 'ok  ' : 'MISS'} ${b.name}: ${b.value} ${b.unit} (budget ${b.limit} ${b.unit})`);
  const load = figure(loads, 'load');
  console.log(`\nload average (1 min) during the run: ${fmt(load)}`);
  const results = {generatedAt: new Date().toISOString(), machine, loadAverage: load, checks: allChecks.length, clusters, queriesPerRefresh: queries, checkHelpMs: help, tui, apiRates, contexts, soak, budgets: budgets.map((b) => ({...b, ok: b.value <= b.limit})), durationSeconds: round((Date.now() - started) / 1000)};
  writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote bench/results.json in ${results.durationSeconds}s`);
  rmSync(tmp, {recursive: true, force: true});
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
