/**
 * MD6003 — callers keep sending requests to a Service that has no ready endpoint (D5): every one
 * of them fails (Istio 503 UH, Linkerd fail-fast 503). No share guard: any such traffic fails.
 */
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {readyEndpointCount} from '../../src/mesh/readiness.js';
import {serviceFor, window} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD6003',
  slug: 'traffic-to-service-without-endpoints',
  title: 'no requests are sent to Services without ready endpoints',
  block: 'traffic-health',
  severity: 'error',
  meshes: ['istio', 'linkerd', 'consul'],
  runtime: true,
  inputs: {signals: ['serviceClient'], kinds: ['services', 'endpointslices.discovery.k8s.io']},
  anchor: 'none — gap (k8sgpt "Service has no endpoints" is config-only)',
  *evaluate(ctx) {
    for (const row of ctx.signals.get('serviceClient')?.rows ?? []) {
      const t = ctx.thresholds(row.namespace, row.service);
      if (row.requests < t.flags.minCount) continue;
      const {service} = serviceFor(ctx, row);
      if (!service || service.spec?.type === 'ExternalName') continue;
      if (readyEndpointCount(ctx.objects, service) > 0) continue;
      yield {
        subject: subjectOf(service),
        message: `${Math.round(row.requests)} requests were sent to ${service.metadata.namespace}/${service.metadata.name} in the last ${window(ctx)}, but it has no ready endpoint: they all fail`,
        evidence: {requests: Math.round(row.requests), successes: Math.round(row.successes ?? 0), readyEndpoints: 0, mesh: row.mesh, window: window(ctx)},
      };
    }
  },
});
