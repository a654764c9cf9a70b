/**
 * The proxy-scrape source over the fixture API server's pod proxy agrees with Prometheus on the same
 * simulated traffic (rates within 1 %), says `source: proxies` and what its window is, and names the
 * pods it could not read. The simulator's clock is driven by the test: the "5 s" between the two
 * scrapes passes instantly.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {goldenMetrics} from '../../src/core/golden.js';
import type {Pod} from '../../src/core/kube-types/index.js';
import {GOLDEN_SIGNALS, SIGNAL_NAMES} from '../../src/core/signals.js';
import {FixtureApiServer} from '../../src/sim/api-server/index.js';
import {ManualClock, registerSimProxies, simObjects, simPodPorts, TrafficSim} from '../../src/sim/traffic/index.js';
import {PortForwardSimulator} from '../../src/sim/port-forward.js';
import {createPortForwardClient} from '../../src/sources/kube/port-forward.js';
import {gatherSignals, type ClusterView} from '../../src/sources/metrics/gather.js';
import {createKubeHttp} from '../../src/sources/metrics/kube-http.js';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {requirePrometheus, startPrometheus, type RealPrometheus} from '../helpers/prometheus.js';
import {SHOP_GRAPH as GRAPH} from '../helpers/sim-graphs.js';

const START = Date.parse('2024-01-01T00:00:00Z');
const AT = START + 600_000;
const clock = new ManualClock(AT - 5000);
const sim = new TrafficSim(GRAPH, clock);
const unreachable = new Set<string>();
const refused = new Set<string>();
const forwarder = new PortForwardSimulator(simPodPorts(sim, refused));
let prom: RealPrometheus;
let api: FixtureApiServer;
let kubeconfig: string;

const pods = simObjects(sim).filter((o) => o.kind === 'Pod') as Pod[];
const cluster: ClusterView = {
  meshes: [{name: 'istio', namespace: 'istio-system', revisions: [], controlPlane: 'absent'}, {name: 'linkerd', namespace: 'linkerd', revisions: [], controlPlane: 'absent'}],
  namespaces: [],
  pods,
  ownerOf: (pod) => ({kind: 'Deployment', apiVersion: 'apps/v1', namespace: pod.metadata.namespace, name: sim.pod(pod.metadata.namespace!, pod.metadata.name)!.workload.name}),
  includes: () => true,
};

beforeAll(async () => {
  requirePrometheus();
  prom = await startPrometheus(new TrafficSim(GRAPH, new ManualClock(AT)), {fromMs: START, toMs: AT, stepSeconds: 15});
  api = new FixtureApiServer({objects: simObjects(sim)});
  registerSimProxies(api, sim, {unreachablePods: unreachable});
  forwarder.attach(api);
  await api.start();
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'md-kc-')), 'config');
  api.writeKubeconfig(kubeconfig);
});
afterAll(async () => {
  await forwarder.close();
  await api?.stop();
  await prom?.stop();
});

async function fromProxies(wanted = new Set(GOLDEN_SIGNALS)) {
  clock.set(AT - 5000);
  const http = await createKubeHttp({kubeconfig});
  return gatherSignals({
    source: 'proxies', wanted, windowSeconds: 60, noTrafficSeconds: 900, timeoutMs: 5000, sampleSeconds: 5,
    kube: async () => http, portForward: () => createPortForwardClient({kubeconfig}), cluster, now: () => clock.now(), sleep: async (ms) => clock.advance(ms),
  });
}

describe('proxy scrape', () => {
  test('agrees with Prometheus on the same traffic: rates within 1 %', async () => {
    const proxies = await fromProxies();
    const viaProm = await gatherSignals({source: 'prometheus', prometheusUrl: prom.url, wanted: new Set(GOLDEN_SIGNALS), at: new Date(AT), windowSeconds: 60, noTrafficSeconds: 900, timeoutMs: 10_000, sampleSeconds: 5});
    expect(proxies.signals!.source).toBe('proxies');
    expect(proxies.signals!.window).toMatch(/^5s \(2 proxy scrapes 5s apart\)$/);
    expect(proxies.status.detail).toMatch(/^proxies: 7 pod\(s\) scraped$/);
    const a = goldenMetrics(proxies.signals!);
    const b = goldenMetrics(viaProm.signals!);
    for (const workload of ['cart', 'api']) {
      const p = a.find((g) => g.workload === workload)!;
      const q = b.find((g) => g.workload === workload)!;
      expect(Math.abs(p.rps! - q.rps!) / q.rps!, `${workload} rps`).toBeLessThan(0.01);
      expect(Math.abs(p.successRate! - q.successRate!), `${workload} success`).toBeLessThan(0.01);
      expect(Math.abs(p.clientSuccessRate! - q.clientSuccessRate!), `${workload} client success`).toBeLessThan(0.01);
      expect(p.mtlsShare).toBe(q.mtlsShare);
    }
    expect(a.find((g) => g.workload === 'cart')!.rps).toBe(38);
  });

  test('client-side flags from the callers\' pods, and no 15-minute history', async () => {
    const r = await fromProxies(new Set(SIGNAL_NAMES));
    expect(r.signals!.signals.serviceClient!.rows.find((x) => x.service === 'cart')).toMatchObject({requests: 200, flags: {UH: 10}});
    expect(r.signals!.signals.noTraffic!.meshes.istio).toMatchObject({state: 'absent', reason: expect.stringContaining('history')});
  });

  test('pods the API server cannot reach are read through port-forward; pods neither can reach are named', async () => {
    const victim = pods.find((p) => p.metadata.name.startsWith('api-'))!;
    const key = `${victim.metadata.namespace}/${victim.metadata.name}`;
    unreachable.add(key);
    try {
      const viaForward = await fromProxies();
      expect(viaForward.status).toMatchObject({state: 'ok', detail: 'proxies: 7 pod(s) scraped'});
      expect(goldenMetrics(viaForward.signals!).find((g) => g.workload === 'api')!.rps).toBe(20);
      refused.add(key);
      const r = await fromProxies();
      expect(r.status.state).toBe('partial');
      expect(r.signals!.origin?.proxies).toMatchObject({scraped: 6, failed: 1, failedPods: [key]});
      expect(r.signals!.warnings?.[0]).toMatch(new RegExp(`${victim.metadata.name} \\(port-forward: `));
      expect(api.nonGetRequests()).toEqual([]);
    } finally {
      unreachable.clear();
      refused.clear();
    }
  });

  test('meshdoctor stat --metrics-source proxies end to end (real clock, short sample)', async () => {
    const {runCli} = await import('../helpers/cli.js');
    const r = await runCli(['stat', '--kubeconfig', kubeconfig, '--metrics-source', 'proxies', '--sample', '1s', '-o', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const {errorsOf} = await import('../helpers/schemas.js');
    expect(errorsOf('stat-report', json)).toEqual([]);
    expect(json).toMatchObject({source: 'proxies', window: '1s (2 proxy scrapes 1s apart)'});
    expect(json.workloads.map((w: {workload: string}) => w.workload).sort()).toEqual(['api', 'cart', 'frontend', 'gw']);
  });
});
