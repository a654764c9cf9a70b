/**
 * MD6102 — callers give up on a Service before it answers (Istio flag DC, often response code 0):
 * the caller's timeout is shorter than the callee's latency. The evidence shows the callee's p99
 * next to the share, when the request-duration histogram is there.
 */
import {defineCheck} from '../../src/core/index.js';
import {flagFindings} from '../../src/mesh/traffic-health.js';

const WITH_LATENCY = {signals: ['serviceClient', 'latency']} as const;

export default defineCheck({
  id: 'MD6102',
  slug: 'istio-downstream-disconnect',
  title: 'callers wait for the answers of the Services they call',
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['istio'],
  runtime: true,
  inputs: {anyOf: [WITH_LATENCY, {signals: ['serviceClient']}], optionalKinds: ['services']},
  anchor: 'none',
  evaluate(ctx) {
    const findings = flagFindings(ctx, 'DC', ['istio'], 'the caller disconnected before the response');
    if (findings.length === 0 || !ctx.available(WITH_LATENCY)) return findings;
    const latency = ctx.signals.get('latency')?.rows ?? [];
    return findings.map((f) => {
      // Workloads behind a Service are usually named after it (cart, cart-v1, cart-v2).
      const callee = latency.filter((l) => l.namespace === f.subject.namespace && l.workload && (l.workload === f.subject.name || l.workload.startsWith(`${f.subject.name}-`)));
      const p99 = Math.max(...callee.map((l) => l.latencyMs.p99 ?? -1));
      return p99 >= 0 ? {...f, evidence: {...f.evidence, calleeP99Ms: Math.round(p99)}} : f;
    });
  },
});
