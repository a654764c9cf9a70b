/**
 * The TUI's metrics feed against a real Prometheus (backfilled from the simulator), frozen at a past
 * instant as `meshdoctor --at` uses it: the golden metrics of that instant, history ending there
 * whose last step is those same figures, one client reused, and a constant number of queries per
 * refresh.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {goldenMetrics} from '../../src/core/golden.js';
import type {Pod} from '../../src/core/kube-types/index.js';
import {GOLDEN_SIGNALS} from '../../src/core/signals.js';
import {ManualClock, simObjects, TrafficSim} from '../../src/sim/traffic/index.js';
import type {ClusterView} from '../../src/sources/metrics/gather.js';
import {MetricsFeed} from '../../src/sources/metrics/live-feed.js';
import {requirePrometheus, startPrometheus, type RealPrometheus} from '../helpers/prometheus.js';
import {SHOP_GRAPH} from '../helpers/sim-graphs.js';

const START = Date.parse('2024-01-01T00:00:00Z');
const AT = START + 600_000;
const sim = new TrafficSim(SHOP_GRAPH, new ManualClock(AT));
let prom: RealPrometheus;

const cluster: ClusterView = {
  meshes: [{name: 'istio', namespace: 'istio-system', revisions: [], controlPlane: 'absent'}, {name: 'linkerd', namespace: 'linkerd', revisions: [], controlPlane: 'absent'}],
  namespaces: [],
  pods: simObjects(sim).filter((o) => o.kind === 'Pod') as Pod[],
  ownerOf: (pod) => ({kind: 'Deployment', apiVersion: 'apps/v1', namespace: pod.metadata.namespace, name: sim.pod(pod.metadata.namespace!, pod.metadata.name)!.workload.name}),
  includes: () => true,
};

beforeAll(async () => {
  requirePrometheus();
  prom = await startPrometheus(sim, {fromMs: START, toMs: AT, stepSeconds: 15});
});
afterAll(async () => {
  await prom?.stop();
});

describe('MetricsFeed over Prometheus, frozen at --at', () => {
  test('golden metrics of that instant, history ending there, the same client reused, constant queries per refresh', async () => {
    const feed = new MetricsFeed({
      settings: {source: 'auto', prometheusUrl: prom.url, windowSeconds: 60, noTrafficSeconds: 900, timeoutMs: 10_000, sampleSeconds: 5},
      wanted: new Set(GOLDEN_SIGNALS),
      kube: async () => Promise.reject(new Error('no API server needed with --prometheus-url')),
      at: new Date(AT),
      historyMinutes: 5,
    });
    const first = await feed.refresh(cluster, {history: true});
    expect(first.source).toBe('prometheus');
    expect(first.signals!.at).toBe(new Date(AT).toISOString());
    const cart = goldenMetrics(first.signals!).find((g) => g.workload === 'cart')!;
    expect(cart.successRate).toBe(0.8);
    expect(cart.rps).toBeCloseTo(38, 9);
    const history = first.history!;
    expect([history.from, history.to]).toEqual([AT - 5 * 60_000, AT]);
    expect(history.sets.at(-1)!.at).toBe(new Date(AT).toISOString());
    expect(history.sets.length).toBe(21);
    const last = goldenMetrics(history.sets.at(-1)!).find((g) => g.workload === 'cart')!;
    expect([last.successRate, last.clientSuccessRate, last.rps, last.latencyMs]).toEqual([cart.successRate, cart.clientSuccessRate, cart.rps, cart.latencyMs]);
    const client = feed.client!;
    const second = await feed.refresh(cluster);
    const third = await feed.refresh(cluster);
    expect(feed.client).toBe(client);
    expect(second.queries).toBe(third.queries);
    expect(second.queries).toBeLessThanOrEqual(10);
    expect(goldenMetrics(third.signals!).find((g) => g.workload === 'cart')!.rps).toBeCloseTo(38, 9);
  });
});
