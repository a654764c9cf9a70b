/**
 * MD6103 — a Service's pods reset or close connections mid-request (Istio flags UC or UR, 503):
 * keep-alive races, the app dying under load, or pod-IP calls to a headless Service under STRICT mTLS.
 */
import {defineCheck} from '../../src/core/index.js';
import {flagFindings} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD6103',
  slug: 'istio-upstream-reset',
  title: "a Service's pods do not reset connections mid-request",
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['istio'],
  runtime: true,
  inputs: {signals: ['serviceClient'], optionalKinds: ['services']},
  anchor: 'none',
  evaluate: (ctx) => flagFindings(ctx, 'UC|UR', ['istio'], 'the upstream connection was terminated or reset'),
});
