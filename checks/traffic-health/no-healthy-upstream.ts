/**
 * MD6006 — callers find no healthy endpoint for a Service that has ready endpoints (Istio flag UH;
 * Consul `envoy_cluster_upstream_cx_none_healthy`): outlier detection ejected them, a subset
 * selects no pods, or endpoints flap. A Service with no ready endpoint at all is MD6003's.
 */
import {defineCheck} from '../../src/core/index.js';
import {readyEndpointCount} from '../../src/mesh/readiness.js';
import {flagFindings, serviceFor} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD6006',
  slug: 'no-healthy-upstream',
  title: "callers always find a healthy endpoint for a Service",
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['istio', 'consul'],
  runtime: true,
  inputs: {signals: ['serviceClient'], optionalKinds: ['services', 'endpointslices.discovery.k8s.io']},
  anchor: 'IST0173 (config-side cause)',
  evaluate(ctx) {
    const rows = ctx.signals.get('serviceClient')?.rows ?? [];
    const ready = new Map<string, number>();
    for (const row of rows) {
      const {service} = serviceFor(ctx, row);
      if (service) ready.set(`${service.metadata.namespace}/${service.metadata.name}`, readyEndpointCount(ctx.objects, service));
    }
    return flagFindings(ctx, 'UH', ['istio', 'consul'], 'no healthy upstream: outlier ejection or a subset without pods')
      // With no ready endpoint at all, MD6003 reports the Service.
      .filter((f) => (ready.get(`${f.subject.namespace}/${f.subject.name}`) ?? 1) > 0)
      .map((f) => ({...f, evidence: {...f.evidence, readyEndpoints: ready.get(`${f.subject.namespace}/${f.subject.name}`) ?? -1}}));
  },
});
