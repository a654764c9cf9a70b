/**
 * MD6007 — callers' proxies cannot open connections to a Service's pods (Istio flags UF or URX;
 * Consul connect failures per connection; OSM connect timeouts): the app is not listening or is
 * bound to localhost, the targetPort is wrong, mTLS modes conflict (MD4101), or a NetworkPolicy
 * drops the traffic.
 */
import {defineCheck} from '../../src/core/index.js';
import {flagFindings} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD6007',
  slug: 'upstream-connect-failure',
  title: "callers can open connections to a Service's pods",
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['istio', 'consul', 'osm'],
  runtime: true,
  inputs: {signals: ['serviceClient'], optionalKinds: ['services']},
  anchor: 'none (Istio docs: UF → check mTLS conflict)',
  evaluate: (ctx) => flagFindings(ctx, 'UF|URX', ['istio', 'consul', 'osm'], 'upstream connection failure or connect retries exhausted'),
});
