/**
 * API requests per second of the TUI's engine: in steady state, and with every watch failing in
 * each way issue 18 found (forbidden, an ERROR event with 410, a line that is not JSON, 429 with
 * Retry-After: 10). A fixture API server serves the simulated shop (proxies answering metrics) and a
 * CRD for every kind meshdoctor reads, so the engine watches every kind, as against a real mesh;
 * the engine runs in this process, the server counts what it receives. After a warm-up (the first
 * collection and the first burst of watches), requests are counted over a window and split by
 * what they are: watches, lists, pod proxy (metrics scrapes), other (discovery, gets).
 *
 * `node dist/bench/api-rates.js` runs it alone; `npm run bench` includes it.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {defaultConfig} from '../src/cli/config.js';
import {resolveSettings} from '../src/cli/settings.js';
import type {KubeObject} from '../src/core/index.js';
import {RESOURCE_TYPES} from '../src/core/index.js';
import type {Fault, RequestLogEntry} from '../src/sim/api-server/index.js';
import {FixtureApiServer} from '../src/sim/api-server/index.js';
import {registerSimProxies, simObjects, systemClock, TrafficSim} from '../src/sim/traffic/index.js';
import {LiveEngine} from '../src/tui/engine.js';
import {initialState} from '../src/tui/state/reducer.js';
import {createStore} from '../src/tui/state/store.js';
import {round} from './stats.js';

const WARM_MS = Number(process.env.MESHDOCTOR_BENCH_API_WARM_MS ?? 15_000);
const WINDOW_MS = Number(process.env.MESHDOCTOR_BENCH_API_WINDOW_MS ?? 30_000);
const WATCH = /[?&]watch=(true|1)/;
const ERROR_410 = `${JSON.stringify({type: 'ERROR', object: {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version', reason: 'Expired', code: 410}})}\n`;

export const API_SCENARIOS: readonly Readonly<{name: string; faults: readonly Fault[]}>[] = [
  {name: 'steady state', faults: []},
  {name: 'watch forbidden (403)', faults: [{match: WATCH, status: 403}]},
  {name: 'watch ERROR event 410', faults: [{match: WATCH, body: ERROR_410}]},
  {name: 'watch line not JSON', faults: [{match: WATCH, body: 'not JSON\n'}]},
  {name: 'watch 429, Retry-After: 10', faults: [{match: WATCH, status: 429, retryAfter: 10}]},
];

export type ApiRate = {scenario: string; kindsWatched: number; totalPerSecond: number; watchPerSecond: number; listPerSecond: number; proxyPerSecond: number; otherPerSecond: number; degraded: string | null};

/** The shop graph as a cluster, plus a CRD for every kind meshdoctor reads (so each is served and watched). */
function world(): {sim: TrafficSim; objects: KubeObject[]} {
  const sim = new TrafficSim({
    start: '-1h', mesh: 'istio',
    workloads: [{namespace: 'shop', name: 'frontend', replicas: 2}, {namespace: 'shop', name: 'cart', replicas: 2}, {namespace: 'shop', name: 'payments', replicas: 2}],
    edges: [{from: 'external', to: 'shop/frontend', rps: 50}, {from: 'shop/frontend', to: 'shop/cart', rps: 40}, {from: 'shop/cart', to: 'shop/payments', rps: 20}],
  }, systemClock);
  const crds = RESOURCE_TYPES.filter((t) => !t.builtin).map((t) => ({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {name: t.key},
    spec: {group: t.group, names: {kind: t.kind, plural: t.plural}, scope: t.namespaced ? 'Namespaced' : 'Cluster', versions: t.versions.map((v, i) => ({name: v, served: true, storage: i === 0}))},
  }) as KubeObject);
  return {sim, objects: [...simObjects(sim), ...crds]};
}

const isWatch = (r: RequestLogEntry) => r.query.watch === 'true' || r.query.watch === '1';
const isProxy = (r: RequestLogEntry) => /\/proxy(\/|$)/.test(r.path);
const isList = (r: RequestLogEntry) => !isWatch(r) && !isProxy(r) && /\/(api\/v1|apis\/[^/]+\/[^/]+)\/(namespaces\/[^/]+\/)?[a-z]+$/.test(r.path);

async function measure(name: string, faults: readonly Fault[], dir: string): Promise<ApiRate> {
  const {sim, objects} = world();
  const api = new FixtureApiServer({objects, faults});
  registerSimProxies(api, sim);
  await api.start();
  const kubeconfig = join(dir, `kubeconfig-${name.replace(/\W+/g, '-')}`);
  api.writeKubeconfig(kubeconfig);
  const config = defaultConfig();
  const store = createStore(initialState({refreshSeconds: 2, options: config.options, scope: 'meshed namespaces'}, {columns: 120, rows: 40}, Date.now()));
  const engine = new LiveEngine({settings: resolveSettings({kubeconfig, metricsSource: 'proxies'}, config), refreshSeconds: 2, dispatch: store.dispatch});
  try {
    engine.start();
    const deadline = Date.now() + 120_000;
    while (!api.requests.some(isWatch) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, WARM_MS));
    const from = Date.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const to = Date.now();
    const seen = api.requests.filter((r) => r.at >= from && r.at < to);
    const perSecond = (n: number) => round(n / ((to - from) / 1000));
    const watches = seen.filter(isWatch).length;
    const lists = seen.filter(isList).length;
    const proxies = seen.filter(isProxy).length;
    const kinds = new Set(api.requests.filter(isWatch).map((r) => r.path.replace(/\/namespaces\/[^/]+/, ''))).size;
    return {
      scenario: name, kindsWatched: kinds,
      totalPerSecond: perSecond(seen.length), watchPerSecond: perSecond(watches), listPerSecond: perSecond(lists),
      proxyPerSecond: perSecond(proxies), otherPerSecond: perSecond(seen.length - watches - lists - proxies),
      degraded: store.getState().sources.kubernetes.degraded ?? null,
    };
  } finally {
    engine.stop();
    await api.stop();
  }
}

/** Every scenario, one after the other (each its own server and engine). */
export async function tuiApiRates(): Promise<ApiRate[]> {
  const dir = mkdtempSync(join(tmpdir(), 'md-bench-api-'));
  try {
    const out: ApiRate[] = [];
    for (const s of API_SCENARIOS) out.push(await measure(s.name, s.faults, dir));
    return out;
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

export function formatApiRates(rates: readonly ApiRate[]): string[] {
  return rates.map((r) => `  ${r.scenario.padEnd(28)} ${String(r.totalPerSecond).padStart(6)} req/s  (watch ${r.watchPerSecond}, list ${r.listPerSecond}, pod proxy ${r.proxyPerSecond}, other ${r.otherPerSecond}; ${r.kindsWatched} kinds)${r.degraded ? `  — ${r.degraded}` : ''}`);
}

if (process.argv[1]?.endsWith('api-rates.js')) {
  const rates = await tuiApiRates();
  console.log(`TUI API requests per second (warm-up ${WARM_MS / 1000}s, window ${WINDOW_MS / 1000}s)`);
  for (const line of formatApiRates(rates)) console.log(line);
}
