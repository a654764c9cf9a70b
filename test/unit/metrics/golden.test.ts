import {describe, expect, test} from 'vitest';
import {goldenMetrics, worstFirst, worstSuccess} from '../../../src/core/golden.js';
import type {SignalSet} from '../../../src/core/signals.js';

const ok = {istio: {state: 'ok' as const}};
function set(signals: SignalSet['signals']): SignalSet {
  return {source: 'prometheus', at: '2024-01-01T00:10:00Z', window: '1m', windowSeconds: 60, signals};
}

describe('GoldenMetrics', () => {
  test('no traffic in the window: success rates and latencies are null, not 0 or NaN; rps is 0', () => {
    const g = goldenMetrics(set({inbound: {rows: [], meshes: ok}, clientInbound: {rows: [], meshes: ok}, latency: {rows: [{mesh: 'istio', namespace: 'shop', workload: 'idle', latencyMs: {p50: NaN, p95: NaN, p99: NaN}}], meshes: ok}}),
      [{namespace: 'shop', workload: 'idle', kind: 'Deployment', mesh: 'istio', pods: 1, meshedPods: 1}]);
    expect(g[0]).toMatchObject({successRate: null, clientSuccessRate: null, rps: 0, latencyMs: {p50: null, p95: null, p99: null}, mtlsShare: null});
  });

  test('an absent signal gives null rps, not 0', () => {
    const g = goldenMetrics(set({inbound: {rows: [], meshes: {istio: {state: 'absent', reason: 'x'}}}}), [{namespace: 'shop', workload: 'a', kind: 'Deployment', mesh: 'istio', pods: 1, meshedPods: 1}]);
    expect(g[0].rps).toBeNull();
  });

  test('requests that never reached a pod (UH, destination unknown) count in the callers\' success rate through the Service', () => {
    const g = goldenMetrics(set({
      inbound: {rows: [{mesh: 'istio', namespace: 'shop', workload: 'cart', requests: 2280, successes: 1710}], meshes: ok},
      clientInbound: {rows: [{mesh: 'istio', namespace: 'shop', workload: 'cart', requests: 2280, successes: 1710, responseFlags: {}}], meshes: ok},
      edges: {rows: [{mesh: 'istio', srcNamespace: 'shop', srcWorkload: 'web', dstNamespace: 'shop', dstService: 'cart', requests: 120, successes: 0, latencyMs: null, responseFlags: {UH: 120}}], meshes: ok},
    }), [{namespace: 'shop', workload: 'cart', kind: 'Deployment', mesh: 'istio', pods: 2, meshedPods: 2, services: ['shop/cart']}]);
    expect(g[0].successRate).toBe(0.75);
    expect(g[0].clientSuccessRate).toBeCloseTo(1710 / 2400, 12);
    expect(g[0].rps).toBe(40);
    expect(g[0].responseFlags).toEqual({UH: 2});
  });

  test('worst first: lowest success rate (the worse of the two), workloads without traffic last', () => {
    const rows = goldenMetrics(set({
      inbound: {rows: [{mesh: 'istio', namespace: 'a', workload: 'good', requests: 100, successes: 100}, {mesh: 'istio', namespace: 'a', workload: 'bad', requests: 100, successes: 80}], meshes: ok},
      clientInbound: {rows: [{mesh: 'istio', namespace: 'a', workload: 'good', requests: 100, successes: 50}], meshes: ok},
    }), [
      {namespace: 'a', workload: 'idle', kind: null, mesh: 'istio', pods: null, meshedPods: null},
      {namespace: 'a', workload: 'bad', kind: null, mesh: 'istio', pods: null, meshedPods: null},
      {namespace: 'a', workload: 'good', kind: null, mesh: 'istio', pods: null, meshedPods: null},
    ]);
    expect(rows.sort(worstFirst).map((r) => r.workload)).toEqual(['good', 'bad', 'idle']);
  });

  test('a gateway (no server side: it reports only as the source) is shown by what it sent — rps, success, latency and flags of its own requests', () => {
    const g = goldenMetrics(set({
      inbound: {rows: [{mesh: 'istio', namespace: 'shop', workload: 'frontend', requests: 5400, successes: 5400}], meshes: ok},
      clientInbound: {rows: [{mesh: 'istio', namespace: 'shop', workload: 'frontend', requests: 5400, successes: 5400, responseFlags: {}}], meshes: ok},
      latency: {rows: [{mesh: 'istio', namespace: 'shop', workload: 'frontend', latencyMs: {p50: 37, p95: 180, p99: 240}}], meshes: ok},
      outboundLatency: {rows: [{mesh: 'istio', namespace: 'istio-ingress', workload: 'gw', latencyMs: {p50: 38, p95: 185, p99: 250}}], meshes: ok},
      edges: {rows: [
        {mesh: 'istio', srcNamespace: 'istio-ingress', srcWorkload: 'gw', dstNamespace: 'shop', dstWorkload: 'frontend', dstService: 'frontend', requests: 5400, successes: 5400, latencyMs: null, responseFlags: {}},
        {mesh: 'istio', srcNamespace: 'istio-ingress', srcWorkload: 'gw', dstNamespace: 'istio-ingress', requests: 60, successes: 60, latencyMs: null, responseFlags: {NR: 60}},
      ], meshes: ok},
    }), [
      {namespace: 'istio-ingress', workload: 'gw', kind: 'Deployment', mesh: 'istio', pods: 2, meshedPods: 2},
      {namespace: 'shop', workload: 'frontend', kind: 'Deployment', mesh: 'istio', pods: 3, meshedPods: 3},
    ]);
    expect(g[0]).toMatchObject({basis: 'outbound', rps: 91, successRate: null, clientSuccessRate: null, outboundSuccessRate: 1, latencyMs: {p50: 38, p95: 185, p99: 250}, responseFlags: {NR: 1}});
    expect(worstSuccess(g[0])).toBe(1);
    // frontend both receives and sends: what it received.
    expect(g[1]).toMatchObject({basis: 'inbound', rps: 90, successRate: 1, outboundSuccessRate: null, latencyMs: {p99: 240}});
  });

  test('a canary whose every request fails before reaching it (no server side) stays judged by what its callers got, not by what it sent', () => {
    const g = goldenMetrics(set({
      inbound: {rows: [], meshes: ok},
      clientInbound: {rows: [{mesh: 'istio', namespace: 'shop', workload: 'canary', requests: 600, successes: 0, responseFlags: {UF: 600}}], meshes: ok},
      edges: {rows: [{mesh: 'istio', srcNamespace: 'shop', srcWorkload: 'canary', dstNamespace: 'pay', dstWorkload: 'ledger', requests: 6, successes: 6, latencyMs: null}], meshes: ok},
    }), [{namespace: 'shop', workload: 'canary', kind: 'Deployment', mesh: 'istio', pods: 1, meshedPods: 1}]);
    expect(g[0]).toMatchObject({basis: 'inbound', rps: 10, clientSuccessRate: 0, outboundSuccessRate: 1});
    expect(worstSuccess(g[0])).toBe(0);
  });

  test('without a cluster, a workload that only sends is listed from the edges it reported', () => {
    const g = goldenMetrics(set({edges: {rows: [{mesh: 'linkerd', srcNamespace: 'emojivoto', srcWorkload: 'vote-bot', dstNamespace: 'emojivoto', dstWorkload: 'web', requests: 1200, successes: 1152, latencyMs: null}], meshes: {linkerd: {state: 'ok'}}}}));
    expect(g.map((r) => [r.workload, r.basis, r.rps, r.outboundSuccessRate, r.responseFlags])).toEqual([['vote-bot', 'outbound', 20, 0.96, null]]);
  });
});
