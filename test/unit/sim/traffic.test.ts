/**
 * The traffic simulator: its parameters are the ground truth other tests compare against, so its
 * counters must be exact for constant rates, follow faults over time, and be served in the formats
 * Prometheus and promtool read.
 */
import {describe, expect, test} from 'vitest';
import {GraphError, ManualClock, openMetricsText, parseGraph, simObjects, TrafficSim, type TrafficGraph} from '../../../src/sim/traffic/index.js';
import {parseExposition} from '../../../src/sources/metrics/exposition.js';

const START = Date.parse('2024-01-01T00:00:00Z');
const GRAPH: TrafficGraph = {
  start: '2024-01-01T00:00:00Z',
  mesh: 'istio',
  workloads: [
    {namespace: 'shop', name: 'web', replicas: 2},
    {namespace: 'shop', name: 'cart', replicas: 2, errorRate: 0.25},
  ],
  edges: [{from: 'shop/web', to: 'shop/cart', rps: 40, flags: {UH: 0.05}}],
  faults: [{at: '20m', ramp: '2m', workload: 'shop/cart', set: {errorRate: 0.5}}],
};

function sum(sim: TrafficSim, atMs: number, pred: (name: string, labels: Record<string, string>) => boolean): number {
  let total = 0;
  for (const pod of sim.pods) for (const s of parseExposition(sim.exposition(pod, atMs))) if (pred(s.name, s.labels)) total += s.value;
  return total;
}

describe('the traffic simulator', () => {
  const sim = new TrafficSim(GRAPH, new ManualClock(START));
  const server5xx = (n: string, l: Record<string, string>) => n === 'istio_requests_total' && l.reporter === 'destination' && l.response_code === '500';
  const serverAll = (n: string, l: Record<string, string>) => n === 'istio_requests_total' && l.reporter === 'destination';

  test('constant rates give exact counts: 40 rps, 5 % UH never reach the server, 25 % of the rest fail', () => {
    const t = START + 600_000;
    expect(sum(sim, t, serverAll)).toBe(40 * 0.95 * 600);
    expect(sum(sim, t, server5xx)).toBe(40 * 0.95 * 0.25 * 600);
    expect(sum(sim, t, (n, l) => n === 'istio_requests_total' && l.reporter === 'source' && l.response_flags === 'UH')).toBe(40 * 0.05 * 600);
  });

  test('a fault ramps the error rate to its target and the counters follow', () => {
    const before = sum(sim, START + 25 * 60_000, server5xx);
    const after = sum(sim, START + 26 * 60_000, server5xx);
    expect(after - before).toBeCloseTo(40 * 0.95 * 0.5 * 60, -1);
    const during = sum(sim, START + 21 * 60_000, server5xx) - sum(sim, START + 20 * 60_000, server5xx);
    expect(during).toBeGreaterThan(40 * 0.95 * 0.25 * 60);
    expect(during).toBeLessThan(40 * 0.95 * 0.5 * 60);
  });

  test('nothing is exposed before the pods started; histograms are cumulative and end at +Inf', () => {
    expect(sim.exposition(sim.pods[0], START - 1000)).toBe('');
    const buckets = parseExposition(sim.exposition(sim.pods.find((p) => p.workload.name === 'cart')!, START + 60_000))
      .filter((s) => s.name === 'istio_request_duration_milliseconds_bucket' && s.labels.connection_security_policy === 'mutual_tls');
    const values = buckets.map((b) => b.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(buckets.at(-1)?.labels.le).toBe('+Inf');
  });

  test('OpenMetrics for promtool: scrape labels added, timestamps in seconds, # EOF at the end', () => {
    const om = openMetricsText(sim, {fromMs: START, toMs: START + 30_000, stepSeconds: 15});
    expect(om.endsWith('# EOF\n')).toBe(true);
    const line = om.split('\n').find((l) => l.startsWith('istio_requests_total{reporter="destination"'))!;
    expect(line).toMatch(/namespace="shop",pod="cart-[a-z0-9]+-[a-z0-9]+"/);
    expect(line).toMatch(/ 1704067200$/);
  });

  test('the Kubernetes objects behind the graph: pods with the proxy, Services with ready endpoints', () => {
    const objects = simObjects(sim);
    const pods = objects.filter((o) => o.kind === 'Pod');
    expect(pods).toHaveLength(4);
    expect(pods.every((p) => (p as {spec: {containers: {name: string}[]}}).spec.containers.some((c) => c.name === 'istio-proxy'))).toBe(true);
    expect(objects.filter((o) => o.kind === 'EndpointSlice').map((o) => o.metadata.name).sort()).toEqual(['cart-sim', 'web-sim']);
  });

  test('graphs are validated, with the field named', () => {
    expect(() => parseGraph('workloads: [{namespace: a, name: b}]\nedges: [{from: a/x, to: a/b, rps: 1}]')).toThrow(/edges\[0\]: from: no workload a\/x/);
    expect(() => new TrafficSim({...GRAPH, edges: [{from: 'shop/web', to: 'shop/cart', rps: 1, flags: {UH: 2}}]})).toThrow(GraphError);
  });
});
