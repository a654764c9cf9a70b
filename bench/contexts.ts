/**
 * Many clusters (issue 20): `meshdoctor check --all-contexts` over 10 contexts of 1,000 meshed pods
 * each, against the slowest of the same clusters checked alone (the target: within 2×), and
 * against checking them one after another. Each cluster is the demo's cluster basics and Istio
 * control plane (scenarios/_shared) with 100 injected workloads of 10 pods each (src/sim/traffic:
 * Deployments, ReplicaSets, pods with their proxy, Services, EndpointSlices), served by its own
 * fixture API server in this process; every run is given a Prometheus that answers with no traffic
 * (`--prometheus-url`), as a fleet's clusters have one — without it, each run would scrape 1,000
 * proxies per cluster, which measures the proxy source, not the number of clusters.
 *
 * `node dist/bench/contexts.js` runs it alone; `npm run bench` includes it.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {spawn} from 'node:child_process';
import {parse, stringify} from 'yaml';
import {CONTEXT_CONCURRENCY} from '../src/cli/contexts.js';
import type {KubeObject} from '../src/core/kube-types/index.js';
import {packageRoot} from '../src/package-info.js';
import {FixtureApiServer} from '../src/sim/api-server/index.js';
import {scenariosRoot} from '../src/sim/demo/catalog.js';
import {renderManifestTemplate} from '../src/sim/manifest-template.js';
import {istioCacerts} from '../src/sim/realistic/cluster.js';
import type {TrafficGraph} from '../src/sim/traffic/index.js';
import {simObjects, systemClock, TrafficSim} from '../src/sim/traffic/index.js';
import type {Figure} from './stats.js';
import {figure, fmt, round} from './stats.js';

const BIN = join(packageRoot(), 'bin', 'meshdoctor.js');

export type ContextsFigures = Readonly<{
  clusters: number;
  podsEach: number;
  concurrency: number;
  /** Each cluster checked alone (median of its runs), in context order. */
  singleMs: readonly number[];
  slowestSingleMs: number;
  /** The clusters one after another: what a loop over `check --context X` takes. */
  sumOfSinglesMs: number;
  allContextsMs: Figure;
  /** check --all-contexts / the slowest single cluster (the target: ≤ 2). */
  vsSlowest: number;
}>;

/** A Prometheus with no traffic: every query answers an empty result. */
function emptyPrometheus(): http.Server {
  return http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://prometheus').pathname;
    const data = path === '/api/v1/status/config' ? {yaml: 'global:\n  scrape_interval: 15s\n'}
      : path === '/api/v1/status/buildinfo' ? {version: '2.53.0'}
        : {resultType: path.startsWith('/api/v1/query_range') ? 'matrix' : 'vector', result: []};
    res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({status: 'success', data}));
  });
}

async function clusterObjects(pods: number, seed: number): Promise<KubeObject[]> {
  const shared = join(scenariosRoot(), '_shared');
  const text = [...['cluster.yaml', 'istio-control-plane.yaml'].map((f) => readFileSync(join(shared, f), 'utf8')), istioCacerts('Fleet')].join('\n---\n');
  const {objects: controlPlane} = await renderManifestTemplate(text);
  const perWorkload = 10;
  const workloads = Array.from({length: Math.ceil(pods / perWorkload)}, (_, i) => ({namespace: `team-${seed}-${i % 10}`, name: `svc-${i}`, replicas: perWorkload}));
  const graph: TrafficGraph = {mesh: 'istio', workloads, edges: workloads.slice(1).map((w, i) => ({from: `${workloads[i].namespace}/${workloads[i].name}`, to: `${w.namespace}/${w.name}`, rps: 1}))};
  return [...controlPlane, ...simObjects(new TrafficSim(graph, systemClock))];
}

function cliMs(args: readonly string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {stdio: ['ignore', 'ignore', 'pipe']});
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 || code === 1 ? resolve(performance.now() - started) : reject(new Error(`meshdoctor ${args.join(' ')} exited ${code}: ${stderr.trim()}`))));
  });
}

export async function contextsFigures(log: (line: string) => void, options: {clusters?: number; pods?: number; runs?: number} = {}): Promise<ContextsFigures> {
  const n = options.clusters ?? 10;
  const pods = options.pods ?? 1000;
  const runs = options.runs ?? 3;
  const tmp = mkdtempSync(join(tmpdir(), 'md-bench-contexts-'));
  const servers: FixtureApiServer[] = [];
  const prometheus = emptyPrometheus();
  try {
    await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
    const names = Array.from({length: n}, (_, i) => `fleet-${String(i).padStart(2, '0')}`);
    const docs: Record<string, unknown[]>[] = [];
    for (const [i, name] of names.entries()) {
      const server = new FixtureApiServer({objects: await clusterObjects(pods, i), maxPageSize: 500});
      await server.start();
      servers.push(server);
      docs.push(parse(server.kubeconfig({context: name})) as Record<string, unknown[]>);
    }
    // One kubeconfig with every cluster, as a platform team's has.
    const kubeconfig = join(tmp, 'fleet');
    writeFileSync(kubeconfig, stringify({apiVersion: 'v1', kind: 'Config', 'current-context': names[0], clusters: docs.flatMap((d) => d.clusters), users: docs.flatMap((d) => d.users), contexts: docs.flatMap((d) => d.contexts)}));
    const common = ['--kubeconfig', kubeconfig, '--prometheus-url', `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`, '-o', 'json', '--output-file', join(tmp, 'report.json')];
    const singleMs: number[] = [];
    for (const name of names) {
      const samples: number[] = [];
      for (let r = 0; r < runs; r++) samples.push(await cliMs(['check', '--context', name, ...common]));
      singleMs.push(figure(samples, 'ms').median);
    }
    const all: number[] = [];
    for (let r = 0; r < runs; r++) all.push(await cliMs(['check', '--all-contexts', ...common]));
    const allContextsMs = figure(all, 'ms');
    const slowestSingleMs = Math.max(...singleMs);
    const result: ContextsFigures = {
      clusters: n, podsEach: pods, concurrency: CONTEXT_CONCURRENCY,
      singleMs: singleMs.map(round), slowestSingleMs: round(slowestSingleMs), sumOfSinglesMs: round(singleMs.reduce((a, b) => a + b, 0)),
      allContextsMs, vsSlowest: round(allContextsMs.median / slowestSingleMs),
    };
    log(`  check --context NAME, each alone      slowest ${result.slowestSingleMs} ms; one after another ${result.sumOfSinglesMs} ms`);
    log(`  check --all-contexts (${CONTEXT_CONCURRENCY} at once)        ${fmt(allContextsMs)} = ${result.vsSlowest}× the slowest single cluster`);
    return result;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    prometheus.close();
    rmSync(tmp, {recursive: true, force: true});
  }
}

if (process.argv[1]?.endsWith('contexts.js')) {
  const n = Number(process.env.MESHDOCTOR_BENCH_CONTEXTS_N) || 10;
  const pods = Number(process.env.MESHDOCTOR_BENCH_CONTEXTS_PODS) || 1000;
  console.log(`check over ${n} contexts × ${pods} pods`);
  await contextsFigures((line) => console.log(line), {clusters: n, pods});
}
