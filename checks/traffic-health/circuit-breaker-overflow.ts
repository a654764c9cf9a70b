/**
 * MD6005 — callers' proxies reject requests to a Service because its circuit breaker is full
 * (Istio flag UO; Consul/OSM `envoy_cluster_upstream_rq_pending_overflow`): the connection-pool
 * limits are below demand, and those requests fail with 503 without ever reaching a pod.
 */
import {defineCheck} from '../../src/core/index.js';
import {flagFindings} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD6005',
  slug: 'circuit-breaker-overflow',
  title: 'requests to a Service are not rejected by its circuit breaker',
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['istio', 'consul', 'osm'],
  runtime: true,
  inputs: {signals: ['serviceClient'], optionalKinds: ['services']},
  anchor: 'none (Istio docs: UO → DestinationRule circuit breaker)',
  evaluate: (ctx) => flagFindings(ctx, 'UO', ['istio', 'consul', 'osm'], 'upstream overflow: the circuit breaker rejected them'),
});
