/**
 * MD2206 — this cluster's Linkerd multicluster gateway (the Service annotated
 * `mirror.linkerd.io/multicluster-gateway: "true"`, `linkerd-gateway` in the multicluster
 * namespace) has no ready endpoint. Every cluster linked to this one in gateway mode sends its
 * requests for Services exported from here through that gateway, so all of them fail — and nothing
 * in this cluster's own traffic shows it: `linkerd multicluster check` only sees it from the other
 * side (l5d-multicluster-gateways-endpoints, through the probe), and callers' error metrics live in
 * the other clusters' Prometheus.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, nameList, subjectOf} from '../../src/core/index.js';
import {GATEWAY_ANNOTATION} from '../../src/mesh/linkerd/multicluster.js';
import {podProblem, podReady, readyEndpointCount} from '../../src/mesh/readiness.js';

export default defineCheck({
  id: 'MD2206',
  slug: 'linkerd-multicluster-gateway-not-ready',
  title: 'the Linkerd multicluster gateway has ready endpoints',
  block: 'control-plane',
  severity: 'error',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {kinds: ['services', 'endpointslices.discovery.k8s.io'], optionalKinds: ['pods']},
  anchor: 'none — gap (seen only from linked clusters: l5d-multicluster-gateways-endpoints)',
  evaluate(ctx) {
    const findings: FindingDraft[] = [];
    for (const svc of ctx.objects.list('services')) {
      if (svc.metadata.annotations?.[GATEWAY_ANNOTATION] !== 'true') continue;
      if (readyEndpointCount(ctx.objects, svc) > 0) continue;
      const ns = svc.metadata.namespace ?? 'default';
      const selector = svc.spec?.selector;
      const pods = selector && typeof selector === 'object' && Object.keys(selector).length > 0 ? ctx.objects.select('pods', ns, selector) : [];
      const problems = pods.filter((p) => !podReady(p)).map(podProblem);
      findings.push({
        subject: subjectOf(svc),
        message: `multicluster gateway ${ns}/${svc.metadata.name} has no ready endpoint (${pods.length === 0 ? 'no gateway pod' : nameList(problems, 3)}): requests from every linked cluster to Services exported from here fail`,
        evidence: {pods: nameList(pods.map((p) => p.metadata.name)) || null},
      });
    }
    return findings;
  },
});
