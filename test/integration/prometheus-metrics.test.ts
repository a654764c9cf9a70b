/**
 * Golden metrics against a real Prometheus (docs/design.md §7): a TSDB backfilled by promtool from the
 * traffic simulator, queried at a fixed instant. Rates must equal the simulator's parameters
 * exactly (samples sit on the window's edges, so increase() does not extrapolate), and quantiles
 * must equal Prometheus' bucket interpolation over the simulator's own counters — for Istio and
 * Linkerd metrics both. Also: discovery of the in-cluster Prometheus and the API server's service
 * proxy, and `meshdoctor stat` end to end.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {edgeMetrics, goldenMetrics, worstSuccess} from '../../src/core/golden.js';
import type {KubeObject} from '../../src/core/kube-types/index.js';
import {GOLDEN_SIGNALS, SIGNAL_NAMES} from '../../src/core/signals.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {ManualClock, registerSimProxies, simObjects, TrafficSim} from '../../src/sim/traffic/index.js';
import {gatherSignals} from '../../src/sources/metrics/gather.js';
import {createKubeHttp} from '../../src/sources/metrics/kube-http.js';
import {collectSignalSeries, prometheusBackend} from '../../src/sources/metrics/collect-signals.js';
import {HISTORY_SIGNALS} from '../../src/sources/metrics/live-feed.js';
import {createPrometheusClient} from '../../src/sources/metrics/prometheus.js';
import {runCli} from '../helpers/cli.js';
import {requirePrometheus, startPrometheus, type RealPrometheus} from '../helpers/prometheus.js';
import {errorsOf} from '../helpers/schemas.js';
import {increase, quantiles} from '../helpers/sim-expect.js';
import {SHOP_GRAPH as GRAPH} from '../helpers/sim-graphs.js';

const START = Date.parse('2024-01-01T00:00:00Z');
const AT = START + 600_000;
const AT_DATE = new Date(AT);


const sim = new TrafficSim(GRAPH, new ManualClock(AT));
let prom: RealPrometheus;

beforeAll(async () => {
  requirePrometheus();
  prom = await startPrometheus(sim, {fromMs: START, toMs: AT, stepSeconds: 15});
});
afterAll(async () => {
  await prom?.stop();
});

const base = {windowSeconds: 60, noTrafficSeconds: 900, timeoutMs: 10_000, sampleSeconds: 5, at: AT_DATE} as const;

describe('Prometheus source over a backfilled TSDB', () => {
  test('Istio and Linkerd golden metrics equal the simulator: rates exactly, quantiles by the same interpolation', async () => {
    const r = await gatherSignals({...base, source: 'prometheus', prometheusUrl: prom.url, wanted: new Set(GOLDEN_SIGNALS)});
    expect(r.status.state).toBe('ok');
    const set = r.signals!;
    expect(set.source).toBe('prometheus');
    expect(set.at).toBe(AT_DATE.toISOString());
    const from = AT - 60_000;

    const cartServer = increase(sim, 'cart', from, AT, (n, l) => n === 'istio_requests_total' && l.reporter === 'destination');
    expect(cartServer).toBe(40 * 0.95 * 60);
    expect(set.signals.inbound?.rows.find((r) => r.workload === 'cart')).toEqual({mesh: 'istio', namespace: 'shop', workload: 'cart', requests: 2280, successes: 1824});

    const golden = goldenMetrics(set);
    const cart = golden.find((g) => g.workload === 'cart')!;
    expect(cart.successRate).toBe(0.8);
    expect(cart.rps).toBe(38);
    expect(cart.mtlsShare).toBe(1);
    const cartQ = quantiles(sim, 'cart', from, AT, 'istio_request_duration_milliseconds_bucket', (l) => l.reporter === 'destination');
    expect(cart.latencyMs.p50).toBeCloseTo(cartQ.p50, 9);
    expect(cart.latencyMs.p95).toBeCloseTo(cartQ.p95, 9);
    expect(cart.latencyMs.p99).toBeCloseTo(cartQ.p99, 9);
    expect(cartQ).toEqual({p50: 5, p95: expect.closeTo(17.5, 9), p99: expect.closeTo(23.5, 9)});

    // Per edge: the latency cart's pods measured for frontend's requests (the requests that reached one).
    const edge = edgeMetrics(set).find((e) => e.srcWorkload === 'frontend' && e.dstWorkload === 'cart')!;
    const edgeQ = quantiles(sim, 'cart', from, AT, 'istio_request_duration_milliseconds_bucket', (l) => l.reporter === 'destination' && l.source_workload === 'frontend');
    expect(edge.latencyMs).not.toBeNull();
    expect(edge.latencyMs!.p50).toBeCloseTo(edgeQ.p50, 9);
    expect(edge.latencyMs!.p99).toBeCloseTo(edgeQ.p99, 9);
    // Requests that never reached a pod (UH, to the Service) have no latency to show.
    expect(edgeMetrics(set).filter((e) => e.mesh === 'istio' && !e.dstWorkload).every((e) => e.latencyMs === null)).toBe(true);

    // frontend only calls: its row is what it sent, as it measured it (reporter="source", as a gateway reports).
    const frontend = golden.find((g) => g.workload === 'frontend')!;
    const frontendQ = quantiles(sim, 'frontend', from, AT, 'istio_request_duration_milliseconds_bucket', (l) => l.reporter === 'source');
    expect(frontend).toMatchObject({basis: 'outbound', rps: 40, outboundSuccessRate: 0.76, successRate: null});
    expect(frontend.latencyMs.p50).toBeCloseTo(frontendQ.p50, 9);
    expect(frontend.latencyMs.p99).toBeCloseTo(frontendQ.p99, 9);
    const gw = golden.find((g) => g.workload === 'gw')!;
    const gwQ = quantiles(sim, 'gw', from, AT, 'response_latency_ms_bucket', (l) => l.direction === 'outbound');
    expect(gw).toMatchObject({basis: 'outbound', rps: 20, outboundSuccessRate: 0.9});
    expect(gw.latencyMs.p99).toBeCloseTo(gwQ.p99, 9);

    const api = golden.find((g) => g.workload === 'api')!;
    expect(api).toMatchObject({mesh: 'linkerd', kind: 'Deployment', successRate: 0.9, rps: 20, mtlsShare: 1});
    const apiQ = quantiles(sim, 'api', from, AT, 'response_latency_ms_bucket', (l) => l.direction === 'inbound');
    expect(api.latencyMs.p50).toBeCloseTo(apiQ.p50, 9);
    expect(api.latencyMs.p95).toBeCloseTo(apiQ.p95, 9);
    expect(api.latencyMs.p99).toBeCloseTo(apiQ.p99, 9);
    expect(api.tcpConnections).toBeGreaterThan(0);

    // Linkerd per edge: the latency gw's proxies saw for their requests to api (outbound, dst_ labels).
    const gwApi = edgeMetrics(set).find((e) => e.srcWorkload === 'gw' && e.dstWorkload === 'api')!;
    const gwApiQ = quantiles(sim, 'gw', from, AT, 'response_latency_ms_bucket', (l) => l.direction === 'outbound' && l.dst_deployment === 'api');
    expect(gwApi.latencyMs!.p50).toBeCloseTo(gwApiQ.p50, 9);
    expect(gwApi.latencyMs!.p99).toBeCloseTo(gwApiQ.p99, 9);
    // The same distribution as api's own (the simulated network adds nothing), whichever side measured it.
    expect(gwApiQ.p50).toBeCloseTo(apiQ.p50, 6);
  });

  test('client-side signals: requests that never reached a pod show up as UH on the Service', async () => {
    const r = await gatherSignals({...base, source: 'prometheus', prometheusUrl: prom.url, wanted: new Set(SIGNAL_NAMES)});
    const svc = r.signals!.signals.serviceClient!.rows.find((x) => x.service === 'cart')!;
    expect(svc).toMatchObject({requests: 2400, successes: 1824, flags: {UH: 120}});
    expect(r.signals!.signals.plaintext!.rows.filter((x) => x.plaintext > 0)).toEqual([]);
    expect(r.signals!.signals.presence!.rows.map((x) => `${x.mesh}/${x.namespace}`).sort()).toEqual(['istio/shop', 'linkerd/web']);
    expect(r.signals!.signals.caExpiry!.meshes.istio?.state).toBe('absent');
  });

  test('without a cluster the meshes are detected from the metric families present', async () => {
    const r = await gatherSignals({...base, source: 'prometheus', prometheusUrl: prom.url, wanted: new Set(GOLDEN_SIGNALS)});
    expect([...r.meshes].sort()).toEqual(['istio', 'linkerd']);
  });
});

describe('history: the same queries as range queries, derived step by step', () => {
  test('every step equals the instant figures at that step; queries per load do not depend on the steps', async () => {
    const client = await createPrometheusClient({url: prom.url, description: 'test'}, {timeoutMs: 10_000});
    const windows = {window: '1m', noTraffic: '15m', double: '2m'};
    const start = new Date(AT - 300_000);
    const {sets, queries} = await collectSignalSeries(prometheusBackend(client, AT_DATE, windows), {
      meshes: ['istio', 'linkerd'], wanted: new Set(HISTORY_SIGNALS), start, end: AT_DATE, stepSeconds: 60, window: '1m', windowSeconds: 60, edgeLatency: false,
    });
    expect(client.queriesSent).toBe(queries);
    expect(sets.map((s) => s.at)).toEqual([0, 1, 2, 3, 4, 5].map((i) => new Date(AT - 300_000 + i * 60_000).toISOString()));
    for (const set of sets) {
      const instant = await gatherSignals({...base, at: new Date(set.at), source: 'prometheus', prometheusUrl: prom.url, wanted: new Set(HISTORY_SIGNALS)});
      const figures = (s: typeof set) => goldenMetrics(s).map((g) => [g.workload, g.rps, worstSuccess(g), g.latencyMs.p99]);
      expect(figures(set)).toEqual(figures(instant.signals!));
    }
    const cart = goldenMetrics(sets.at(-1)!).find((g) => g.workload === 'cart')!;
    expect([cart.rps, cart.successRate]).toEqual([38, 0.8]);
    expect(goldenMetrics(sets.at(-1)!).find((g) => g.workload === 'api')).toMatchObject({rps: 20, successRate: 0.9});
  });
});

describe('in-cluster Prometheus through the API server', () => {
  let api: FixtureApiServer;
  let kubeconfig: string;
  beforeAll(async () => {
    const objects: KubeObject[] = [
      ...simObjects(sim),
      {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'istio-system'}},
      {apiVersion: 'v1', kind: 'Service', metadata: {name: 'prometheus', namespace: 'istio-system'}, spec: {ports: [{name: 'http', port: 9090}], selector: {app: 'prometheus'}}} as KubeObject,
    ];
    api = new FixtureApiServer({objects});
    registerSimProxies(api, sim, {services: {'istio-system/prometheus': prom.url}});
    await api.start();
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'md-kc-')), 'config');
    api.writeKubeconfig(kubeconfig);
  });
  afterAll(async () => {
    await api?.stop();
  });

  test('the Istio addon Prometheus is discovered and queried through services/proxy, with GET only', async () => {
    const http = await createKubeHttp({kubeconfig});
    const pods = simObjects(sim).filter((o) => o.kind === 'Pod');
    const r = await gatherSignals({
      ...base, source: 'auto', wanted: new Set(GOLDEN_SIGNALS), kube: async () => http,
      cluster: {meshes: [{name: 'istio', namespace: 'istio-system', revisions: [], controlPlane: 'absent'}], namespaces: [], pods: pods as never, ownerOf: () => ({kind: 'Deployment', apiVersion: 'apps/v1', name: 'x'}), includes: () => true},
    });
    expect(r.status).toMatchObject({state: 'ok', detail: expect.stringContaining('istio-system/prometheus')});
    expect(r.signals!.signals.inbound!.rows.find((x) => x.workload === 'cart')?.requests).toBe(2280);
    expect(api.requests.some((q) => q.path.includes('/services/prometheus:9090/proxy/api/v1/query'))).toBe(true);
    expect(api.nonGetRequests()).toEqual([]);
  });

  test('meshdoctor stat: the documented JSON, worst first, pods from the cluster, callers\' view through the Service', async () => {
    const r = await runCli(['stat', '--kubeconfig', kubeconfig, '--at', String(AT / 1000), '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(errorsOf('stat-report', json)).toEqual([]);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'at', 'window', 'source', 'workloads']);
    expect(json).toMatchObject({schemaVersion: 1, at: AT_DATE.toISOString(), window: '1m', source: 'prometheus'});
    const cart = json.workloads.find((w: {workload: string}) => w.workload === 'cart');
    expect(cart).toMatchObject({namespace: 'shop', kind: 'Deployment', mesh: 'istio', meshedPods: 2, pods: 2, successRate: 0.8, clientSuccessRate: 0.76, rps: 40, mtlsShare: 1, responseFlags: {UH: 2}});
    expect(Object.keys(cart)).toEqual(['namespace', 'workload', 'kind', 'mesh', 'meshedPods', 'pods', 'successRate', 'clientSuccessRate', 'outboundSuccessRate', 'basis', 'rps', 'latencyMs', 'mtlsShare', 'responseFlags']);
    expect(cart.basis).toBe('inbound');
    // frontend receives nothing and calls cart: a client, shown by what it sent (its own view, UH included); nothing it received is 0 %.
    expect(json.workloads.find((w: {workload: string}) => w.workload === 'frontend')).toMatchObject({basis: 'outbound', successRate: null, clientSuccessRate: null, outboundSuccessRate: 0.76, rps: 40, responseFlags: {UH: 2}});
    expect(json.workloads[0].workload).toBe('cart');
  });

  test('meshdoctor stat --no-cluster works from Prometheus alone (table)', async () => {
    const r = await runCli(['stat', '--no-cluster', '--prometheus-url', prom.url, '--at', AT_DATE.toISOString(), '-n', 'shop']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // The calling frontend is listed too (from the metric labels), explained by the legend.
    expect(lines[1]).toMatch(/^VIEW out: a gateway or client/);
    expect(lines[2]).toMatch(/^NAMESPACE\s+WORKLOAD\s+MESH\s+PODS\s+VIEW\s+SUCCESS/);
    expect(lines.slice(3).map((l) => l.split(/\s+/).slice(0, 6).join(' ')).sort()).toEqual(['shop cart istio - in 80.00%', 'shop frontend istio - out 76.00%']);
  });
});
