/**
 * `npm run bench`: the performance budgets of docs/design.md §8, measured at cluster scale on synthetic
 * clusters (1k, 10k, 50k pods; ~5 pods per service, ~2 mesh config objects per service). Prints a
 * table and writes bench/results.json. Not part of `npm test`: timing belongs here, not in tests.
 */
import {execFile, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {cpus, tmpdir, totalmem} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {allChecks} from '../checks/index.js';
import type {KubeObject} from '../src/core/index.js';
import {DEFAULT_OPTIONS, RESOURCE_TYPES, resourceTypeFor} from '../src/core/index.js';
import {runCheck} from '../src/core/runner.js';
import {GOLDEN_SIGNALS} from '../src/core/signals.js';
import {packageRoot} from '../src/package-info.js';
import {collectLive} from '../src/snapshot/collect.js';
import {encodeSnapshot} from '../src/snapshot/codec.js';
import {planFor} from '../src/snapshot/plan.js';
import type {RawCollection} from '../src/snapshot/snapshot.js';
import {emptyCollection, Snapshot} from '../src/snapshot/snapshot.js';
import {FixtureApiServer} from '../src/sim/api-server/index.js';
import {syntheticCluster} from '../src/sim/synthetic-cluster.js';
import {gatherSignals} from '../src/sources/metrics/gather.js';
import {createLiveKubeSource} from '../src/sources/kube/live.js';
import type {Figure} from './stats.js';
import {figure, fmt, repeat, round} from './stats.js';
import {formatApiRates, tuiApiRates} from './api-rates.js';
import {tuiFigures} from './tui.js';
import {contextsFigures} from './contexts.js';

const execFileP = promisify(execFile);
const ROOT = packageRoot();
const BIN = join(ROOT, 'bin', 'meshdoctor.js');
const SIZES = (process.env.MESHDOCTOR_BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
const tmp = mkdtempSync(join(tmpdir(), 'md-bench-'));

type SizeResult = {
  pods: number;
  objects: number;
  snapshotMB: number;
  jsonParseMs: Figure;
  snapshotBuildMs: Figure;
  checkRunMs: Figure;
  checkRunVsParse: number;
  checkCliPeakRssMB: Figure;
  checkCliWallMs: Figure;
  collectAllKindsMs: Figure;
  collectPodsMs: Figure;
  kubectlGetPodsMs: Figure;
  collectPodsVsKubectl: number;
};

function crds(): KubeObject[] {
  return RESOURCE_TYPES.filter((t) => !t.builtin && t.group === 'networking.istio.io').map((t) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {name: t.key},
    spec: {group: t.group, names: {kind: t.kind, plural: t.plural}, scope: 'Namespaced', versions: t.versions.map((v, i) => ({name: v, served: true, storage: i === 0}))},
  }));
}

function rawOf(objects: readonly KubeObject[]): RawCollection {
  const byKey: Record<string, KubeObject[]> = {};
  for (const o of objects) (byKey[resourceTypeFor(o.apiVersion, o.kind)!.key] ??= []).push(o);
  const availability = Object.fromEntries(RESOURCE_TYPES.map((t) => [t.key, {state: 'ok' as const}]));
  return emptyCollection({objects: byKey, availability, scope: {mode: 'all'}, context: 'bench'});
}

function runAllChecks(snap: Snapshot): number {
  const now = new Date(snap.takenAt);
  const started = performance.now();
  for (const c of allChecks) runCheck(c, snap, {now, options: DEFAULT_OPTIONS}, allChecks);
  return performance.now() - started;
}

async function cliRun(args: string[]): Promise<{ms: number; rssKiB: number; code: number | null}> {
  const rssFile = join(tmp, `rss-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', join(ROOT, 'bench', 'rss-hook.mjs'), BIN, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {...process.env, MESHDOCTOR_BENCH_RSS_FILE: rssFile},
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  const ms = performance.now() - started;
  const rssKiB = Number(readFileSync(rssFile, 'utf8'));
  rmSync(rssFile, {force: true});
  return {ms, rssKiB, code};
}

async function measureSize(pods: number): Promise<SizeResult> {
  const runs = pods >= 50_000 ? 3 : 5;
  const objects = syntheticCluster({pods, faultShare: 0.01});
  const raw = rawOf(objects);
  const json = encodeSnapshot(raw);
  const parse = await repeat(runs, () => {
    const t = performance.now();
    JSON.parse(json);
    return performance.now() - t;
  });
  const build: number[] = [];
  const check = await repeat(runs, () => {
    const parsed = JSON.parse(json) as RawCollection;
    const t = performance.now();
    const snap = new Snapshot(parsed);
    build.push(performance.now() - t);
    return runAllChecks(snap);
  });
  const file = join(tmp, `snapshot-${pods}.json`);
  writeFileSync(file, json);
  const cliMs: number[] = [];
  const cliRss: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await cliRun(['check', '--snapshot', file, '-o', 'json', '--output-file', join(tmp, 'out.json')]);
    if (r.code !== 0 && r.code !== 1) throw new Error(`check --snapshot exited ${r.code}`);
    cliMs.push(r.ms);
    cliRss.push(r.rssKiB / 1024);
  }

  const server = new FixtureApiServer({objects: [...objects, ...crds()], maxPageSize: 500, requestLogLimit: 1000});
  await server.start();
  const kubeconfig = join(tmp, `kubeconfig-${pods}`);
  server.writeKubeconfig(kubeconfig, {context: 'bench'});
  const plan = planFor(allChecks);
  const collectRuns = pods >= 50_000 ? 3 : 5;
  const collectAll = await repeat(collectRuns, async () => {
    const source = await createLiveKubeSource({kubeconfig});
    const t = performance.now();
    await collectLive({source, plan, scope: {mode: 'all'}});
    return performance.now() - t;
  });
  const podsType = RESOURCE_TYPES.find((t) => t.key === 'pods')!;
  const collectPods = await repeat(collectRuns, async () => {
    const source = await createLiveKubeSource({kubeconfig});
    const t = performance.now();
    await source.list(podsType, 'v1', {pageSize: 500});
    return performance.now() - t;
  });
  const kubectl = await repeat(collectRuns, async () => {
    const t = performance.now();
    await execFileP('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-A', '-o', 'json', '--chunk-size=500'], {maxBuffer: 1 << 30});
    return performance.now() - t;
  });
  await server.stop();

  const jsonParseMs = figure(parse, 'ms');
  const checkRunMs = figure(check, 'ms');
  const collectPodsMs = figure(collectPods, 'ms');
  const kubectlGetPodsMs = figure(kubectl, 'ms');
  return {
    pods,
    objects: objects.length,
    snapshotMB: round(json.length / 1e6),
    jsonParseMs,
    snapshotBuildMs: figure(build, 'ms'),
    checkRunMs,
    checkRunVsParse: round(checkRunMs.median / jsonParseMs.median),
    checkCliPeakRssMB: figure(cliRss, 'MB'),
    checkCliWallMs: figure(cliMs, 'ms'),
    collectAllKindsMs: figure(collectAll, 'ms'),
    collectPodsMs,
    kubectlGetPodsMs,
    collectPodsVsKubectl: round(collectPodsMs.median / kubectlGetPodsMs.median),
  };
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

async function main(): Promise<void> {
  const started = Date.now();
  const machine = {cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}`};
  console.log(`meshdoctor bench — ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`);
  const sizes: SizeResult[] = [];
  for (const pods of SIZES) {
    const r = await measureSize(pods);
    sizes.push(r);
    console.log(`\n${pods} pods (${r.objects} objects, snapshot ${r.snapshotMB} MB)`);
    console.log(`  JSON.parse of the snapshot   ${fmt(r.jsonParseMs)}`);
    console.log(`  snapshot build (indexes)     ${fmt(r.snapshotBuildMs)}`);
    console.log(`  check run, all ${allChecks.length} checks   ${fmt(r.checkRunMs)}  = ${r.checkRunVsParse}× JSON.parse`);
    console.log(`  check --snapshot (CLI)       ${fmt(r.checkCliWallMs)}, peak RSS ${fmt(r.checkCliPeakRssMB)}`);
    console.log(`  collect all kinds over HTTP  ${fmt(r.collectAllKindsMs)}`);
    console.log(`  collect pods over HTTP       ${fmt(r.collectPodsMs)}  vs kubectl get pods -A -o json ${fmt(r.kubectlGetPodsMs)} = ${r.collectPodsVsKubectl}×`);
  }
  const queries = {at10: await queriesPerRefresh(10), at2000: await queriesPerRefresh(2000)};
  console.log(`\nPrometheus queries per refresh: ${queries.at10} at 10 workloads, ${queries.at2000} at 2,000`);
  const help = await helpWallMs();
  console.log(`meshdoctor check --help        ${fmt(help)}`);
  const tui = await tuiFigures(tmp, 5);
  for (const [name, f] of Object.entries(tui)) console.log(`TUI ${name.padEnd(27)}${f ? fmt(f) : 'not measured'}`);
  const apiRates = await tuiApiRates();
  console.log('\nTUI API requests per second, steady state and with every watch failing');
  for (const line of formatApiRates(apiRates)) console.log(line);
  const faulted = apiRates.filter((r) => r.scenario !== 'steady state');
  console.log('\nmany clusters: check over 10 contexts × 1,000 pods');
  const contexts = process.env.MESHDOCTOR_BENCH_CONTEXTS === '0' ? undefined : await contextsFigures((line) => console.log(line));

  const at10k = sizes.find((s) => s.pods === 10_000);
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const budgets: Budget[] = [
    ...(at10k
      ? [
          {name: 'check run at 10k pods', value: at10k.checkRunMs.median, limit: 1000, unit: 'ms'},
          {name: 'check run / JSON.parse at 10k pods', value: at10k.checkRunVsParse, limit: 2, unit: '×'},
          {name: 'peak RSS of check --snapshot at 10k pods', value: at10k.checkCliPeakRssMB.median, limit: 400, unit: 'MB'},
          {name: 'pod collection / kubectl at 10k pods', value: at10k.collectPodsVsKubectl, limit: 1.5, unit: '×'},
        ]
      : []),
    ...(first && last && last !== first
      ? [{name: `check run growth ${first.pods}→${last.pods} pods, per pod (linear = 1)`, value: round((last.checkRunMs.median / last.pods) / (first.checkRunMs.median / first.pods)), limit: 2, unit: '×'}]
      : []),
    {name: 'queries per refresh at 2,000 workloads', value: queries.at2000, limit: Math.max(10, queries.at10), unit: 'queries'},
    {name: 'check --help wall time', value: help.median, limit: 250, unit: 'ms'},
    ...(tui.firstFrameMs ? [{name: 'TUI first frame (meshdoctor demo)', value: tui.firstFrameMs.median, limit: 500, unit: 'ms'}] : []),
    ...(tui.firstDataFrameMs ? [{name: 'TUI first data frame (meshdoctor demo, world in the same process)', value: tui.firstDataFrameMs.median, limit: 1500, unit: 'ms'}] : []),
    ...(tui.standaloneFirstFrameMs ? [{name: 'TUI first frame (against demo --serve)', value: tui.standaloneFirstFrameMs.median, limit: 500, unit: 'ms'}] : []),
    ...(tui.standaloneFirstDataFrameMs ? [{name: 'TUI first data frame (against demo --serve)', value: tui.standaloneFirstDataFrameMs.median, limit: 1500, unit: 'ms'}] : []),
    ...(tui.demoServeReadyMs ? [{name: 'demo istio-shop --serve ready', value: tui.demoServeReadyMs.median, limit: 2000, unit: 'ms'}] : []),
    ...(tui.rerender2000Ms ? [{name: 'TUI re-render, 2,000 workloads', value: tui.rerender2000Ms.median, limit: 30, unit: 'ms'}] : []),
    ...(contexts ? [{name: `issue 20: check --all-contexts, ${contexts.clusters} × ${contexts.podsEach} pods / the slowest cluster alone`, value: contexts.vsSlowest, limit: 2, unit: '×'}] : []),
    // client-go's default client-side limit (k8s.io/client-go/rest/config.go: 5 QPS, bursts of 10 — one burst over the 30 s window adds 0.33/s).
    ...(faulted.length ? [{name: 'TUI lists + watches per second, worst watch fault', value: round(Math.max(...faulted.map((r) => r.watchPerSecond + r.listPerSecond))), limit: 5.5, unit: 'req/s'}] : []),
  ];
  console.log('\nbudgets');
  for (const b of budgets) console.log(`  ${b.value <= b.limit ? 'ok  ' : 'MISS'} ${b.name}: ${b.value} ${b.unit} (budget ${b.limit} ${b.unit})`);
  const results = {generatedAt: new Date().toISOString(), machine, checks: allChecks.length, sizes, queriesPerRefresh: queries, checkHelpMs: help, tui, apiRates, contexts, budgets: budgets.map((b) => ({...b, ok: b.value <= b.limit})), durationSeconds: round((Date.now() - started) / 1000)};
  writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote bench/results.json in ${results.durationSeconds}s`);
  rmSync(tmp, {recursive: true, force: true});
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
