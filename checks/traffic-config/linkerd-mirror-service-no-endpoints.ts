/**
 * MD5208 — a Service that Linkerd multicluster mirrors from another cluster (gateway mode) has no
 * ready endpoint. The service mirror writes a mirror Service's endpoints itself — the address of
 * the remote cluster's gateway — so none means it could not resolve or reach that gateway, or the
 * remote Service has no endpoints; every request a local client sends to `<svc>-<cluster>` fails.
 * The probe gateway mirror without endpoints means the same for every Service of that Link.
 * Remote-discovery and federated Services are resolved by the destination controller and are not
 * judged. Endpoints are read from EndpointSlices (Kubernetes mirrors the controller's Endpoints
 * into them for selector-less Services), as everywhere in the catalog (D5).
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {isGatewayMirror, mirrorTarget, needsMirroredEndpoints} from '../../src/mesh/linkerd/multicluster.js';
import {readyEndpointCount} from '../../src/mesh/readiness.js';

export default defineCheck({
  id: 'MD5208',
  slug: 'linkerd-mirror-service-no-endpoints',
  title: 'every Service mirrored from a linked cluster has endpoints',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {kinds: ['services', 'endpointslices.discovery.k8s.io']},
  anchor: 'l5d-multicluster-services-endpoints, l5d-multicluster-gateways-endpoints',
  evaluate(ctx) {
    const findings: FindingDraft[] = [];
    for (const svc of ctx.objects.list('services')) {
      if (!needsMirroredEndpoints(svc) || readyEndpointCount(ctx.objects, svc) > 0) continue;
      const target = mirrorTarget(svc) ?? 'an unnamed cluster';
      const ns = svc.metadata.namespace ?? 'default';
      findings.push({
        subject: subjectOf(svc),
        message: isGatewayMirror(svc)
          ? `probe gateway mirror ${ns}/${svc.metadata.name} for cluster ${target} has no endpoints: the gateway of ${target} cannot be resolved, so every Service mirrored from it is unreachable`
          : `mirror Service ${ns}/${svc.metadata.name} (from cluster ${target}) has no endpoints: every request to it fails`,
        evidence: {cluster: target, gatewayMirror: isGatewayMirror(svc)},
      });
    }
    return findings;
  },
});
