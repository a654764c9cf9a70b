/**
 * The TUI's metrics feed over simulated proxies: the first data after two quick scrapes, then one
 * scrape per refresh with rates over a rolling window (no 5 s wait per refresh), rates equal to the
 * simulator's parameters, unreadable pods named, and a fallback from Prometheus to the proxies.
 */
import {describe, expect, test} from 'vitest';
import {goldenMetrics} from '../../../src/core/golden.js';
import type {Pod} from '../../../src/core/kube-types/index.js';
import {GOLDEN_SIGNALS} from '../../../src/core/signals.js';
import type {KubeHttp} from '../../../src/sources/metrics/kube-http.js';
import {MetricsFeed} from '../../../src/sources/metrics/live-feed.js';
import type {ClusterView} from '../../../src/sources/metrics/gather.js';
import {ManualClock, simObjects, TrafficSim} from '../../../src/sim/traffic/index.js';
import {SHOP_GRAPH} from '../../helpers/sim-graphs.js';

const START = Date.parse('2024-01-01T00:00:00Z');

function world(broken: Set<string> = new Set()) {
  const clock = new ManualClock(START + 600_000);
  const sim = new TrafficSim(SHOP_GRAPH, clock);
  const pods = simObjects(sim).filter((o) => o.kind === 'Pod') as Pod[];
  const paths: string[] = [];
  const kube: KubeHttp = {
    server: 'http://fake',
    async get(path) {
      paths.push(path);
      const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/:]+):\d+\/proxy/.exec(path);
      if (m && broken.has(m[2])) return {status: 503, body: Buffer.from('error trying to reach service: i/o timeout')};
      const pod = m ? sim.pod(m[1], m[2]) : undefined;
      if (!pod) return {status: 404, body: Buffer.from('not found')};
      return {status: 200, body: Buffer.from(sim.exposition(pod))};
    },
    async auth() {
      return {headers: {}};
    },
  };
  const cluster: ClusterView = {
    meshes: [{name: 'istio', namespace: 'istio-system', revisions: [], controlPlane: 'absent'}, {name: 'linkerd', namespace: 'linkerd', revisions: [], controlPlane: 'absent'}],
    namespaces: [],
    pods,
    ownerOf: (pod) => ({kind: 'Deployment', apiVersion: 'apps/v1', namespace: pod.metadata.namespace, name: sim.pod(pod.metadata.namespace!, pod.metadata.name)!.workload.name}),
    includes: () => true,
  };
  const feed = new MetricsFeed({
    settings: {source: 'proxies', windowSeconds: 60, noTrafficSeconds: 900, timeoutMs: 5000, sampleSeconds: 5},
    wanted: new Set(GOLDEN_SIGNALS),
    kube: async () => kube,
    now: () => clock.now(),
    sleep: async (ms) => clock.advance(ms),
  });
  return {clock, sim, feed, cluster, paths, pods, kube};
}

describe('MetricsFeed over the proxies', () => {
  test('first data after two scrapes 300 ms apart, then one scrape per refresh over a growing window', async () => {
    const {clock, feed, cluster, paths, pods} = world();
    const first = await feed.refresh(cluster);
    expect(first.source).toBe('proxies');
    expect(first.signals!.windowSeconds).toBeCloseTo(0.3, 3);
    expect(paths).toHaveLength(pods.length * 2);
    // 300 ms of whole-request counters: close, not exact.
    const cart = goldenMetrics(first.signals!).find((g) => g.workload === 'cart')!;
    expect(Math.abs(cart.rps! - 38) / 38).toBeLessThan(0.35);
    for (let i = 0; i < 5; i++) {
      clock.advance(2000);
      const r = await feed.refresh(cluster);
      expect(r.signals!.windowSeconds).toBeCloseTo(0.3 + 2 * (i + 1), 3);
      const g = goldenMetrics(r.signals!).find((x) => x.workload === 'cart')!;
      // Counters count whole requests: over a few seconds, ±1 request per series is a few per cent.
      expect(Math.abs(g.rps! - 38) / 38).toBeLessThan(0.06);
      expect(Math.abs(g.successRate! - 0.8)).toBeLessThan(0.06);
    }
    expect(paths).toHaveLength(pods.length * 7);
  });

  test('the window rolls: never longer than metrics.window', async () => {
    const {clock, feed, cluster} = world();
    await feed.refresh(cluster);
    let last;
    for (let i = 0; i < 40; i++) {
      clock.advance(2000);
      last = await feed.refresh(cluster);
    }
    expect(last!.signals!.windowSeconds).toBeLessThanOrEqual(60);
    expect(last!.signals!.windowSeconds).toBeGreaterThan(56);
    expect(last!.signals!.window).toMatch(/rolling proxy scrapes/);
    const g = goldenMetrics(last!.signals!).find((x) => x.workload === 'cart')!;
    expect(Math.abs(g.rps! - 38) / 38).toBeLessThan(0.005);
  });

  test('unreadable pods are named and the rest is used; no readable pod is a failure with the reason', async () => {
    const broken = new Set<string>();
    const {feed, cluster, pods} = world(broken);
    const victim = pods.find((p) => p.metadata.name.startsWith('api-'))!.metadata.name;
    broken.add(victim);
    const r = await feed.refresh(cluster);
    expect(r.status.state).toBe('partial');
    expect(r.status.detail).toMatch(/1 unreadable/);
    expect(r.signals!.origin?.proxies?.failedPods?.[0]).toContain(victim);
    for (const p of pods) broken.add(p.metadata.name);
    const {feed: dead, cluster: c2} = world(new Set(pods.map((p) => p.metadata.name)));
    const failed = await dead.refresh(c2);
    expect(failed.signals).toBeUndefined();
    expect(failed.error).toMatch(/could not read any proxy/);
  });

  test('auto without a Prometheus in reach falls back to the proxies, and says what happened to Prometheus', async () => {
    const {cluster, clock, kube} = world();
    const feed = new MetricsFeed({
      settings: {source: 'auto', windowSeconds: 60, noTrafficSeconds: 900, timeoutMs: 2000, sampleSeconds: 5},
      wanted: new Set(GOLDEN_SIGNALS),
      kube: async () => kube,
      now: () => clock.now(),
      sleep: async (ms) => clock.advance(ms),
    });
    const r = await feed.refresh(cluster);
    expect(feed.source).toBe('proxies');
    expect(r.signals!.source).toBe('proxies');
    expect(r.signals!.origin?.prometheus).toMatchObject({state: 'not-found'});
    expect(r.status.detail).toMatch(/^proxies: 7 pod\(s\) scraped \(Prometheus: /);
  });

  test('explicit Prometheus that does not answer is a failure, never a silent switch to the proxies', async () => {
    const {cluster, clock} = world();
    const feed = new MetricsFeed({
      settings: {source: 'auto', prometheusUrl: 'http://127.0.0.1:1', windowSeconds: 60, noTrafficSeconds: 900, timeoutMs: 2000, sampleSeconds: 5},
      wanted: new Set(GOLDEN_SIGNALS),
      kube: async () => Promise.reject(new Error('unused')),
      now: () => clock.now(),
    });
    const r = await feed.refresh(cluster);
    expect(r.signals).toBeUndefined();
    expect(r.error).toMatch(/127\.0\.0\.1:1/);
    expect(feed.source).toBeUndefined();
  });
});
