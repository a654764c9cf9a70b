/**
 * MD6104 — requests to a Service fail with an HTTP protocol error (Istio flags UPE or DPE): the
 * protocol its port declares (name prefix or appProtocol, MD5117) is not what is spoken, e.g. TLS
 * sent to a port declared `http` (400 DPE).
 */
import {defineCheck} from '../../src/core/index.js';
import {flagFindings} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD6104',
  slug: 'istio-protocol-error',
  title: "a Service's traffic speaks the protocol its port declares",
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['istio'],
  runtime: true,
  inputs: {signals: ['serviceClient'], optionalKinds: ['services']},
  anchor: 'none (IST0118 is the config-side cause)',
  evaluate: (ctx) => flagFindings(ctx, 'UPE|DPE', ['istio'], 'an HTTP protocol error between the proxies and the app'),
});
