/**
 * Traffic graphs shared by the metrics integration tests. Rates are chosen so that every series
 * counts whole requests per 5 s on every pod (e.g. 40 rps over 2 callers and 2 servers, 5 % UH,
 * 20 % 5xx): the simulator's counters are then exact at any 5-second boundary, so both sources can
 * be compared with the parameters themselves.
 */
import type {TrafficGraph} from '../../src/sim/traffic/index.js';

export const SHOP_GRAPH: TrafficGraph = {
  start: '2024-01-01T00:00:00Z',
  mesh: 'istio',
  workloads: [
    {namespace: 'shop', name: 'frontend', replicas: 2},
    {namespace: 'shop', name: 'cart', replicas: 2, errorRate: 0.2, latencyMs: {cdf: [[5, 0.5], [10, 0.9], [25, 1]]}},
    {namespace: 'web', name: 'gw', mesh: 'linkerd', replicas: 1},
    {namespace: 'web', name: 'api', mesh: 'linkerd', replicas: 2, errorRate: 0.1, latencyMs: {p50: 12, p99: 180}},
  ],
  edges: [
    {from: 'shop/frontend', to: 'shop/cart', rps: 40, flags: {UH: 0.05}},
    {from: 'web/gw', to: 'web/api', rps: 20},
  ],
};
