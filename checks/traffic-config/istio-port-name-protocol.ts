/**
 * MD5117 — a Service port in front of Istio sidecars declares no protocol (IST0118, KIA0601): no
 * `appProtocol` and a name that does not start with a known protocol (`http`, `grpc`, `tcp`, …
 * followed by end or `-`). Istio then sniffs the protocol from the first bytes, which fails for
 * server-first protocols (MySQL, SMTP) and disables HTTP features. Informational. As upstream
 * (istio/istio pkg/config/analysis/analyzers/service/portname.go), Istio's own Services (label `istio`
 * or `release: istio`, e.g. istio-ingressgateway's status-port) and Services Istio's gateway
 * controller manages (label gateway.istio.io/managed) are not judged: users do not name those ports.
 */
import type {FindingDraft, Service} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {declaredProtocol, portLabel} from '../../src/mesh/istio/protocols.js';
import {hasIstioSidecar, servicePods} from '../../src/mesh/istio/sidecars.js';

function istioOwnService(svc: Service): boolean {
  const labels = svc.metadata.labels ?? {};
  return labels.istio !== undefined || labels.release === 'istio' || labels['gateway.istio.io/managed'] !== undefined;
}

export default defineCheck({
  id: 'MD5117',
  slug: 'istio-port-name-protocol',
  title: 'Service ports of meshed workloads declare their protocol',
  block: 'traffic-config',
  severity: 'info',
  meshes: ['istio'],
  inputs: {kinds: ['services', 'pods'], optionalKinds: ['namespaces']},
  anchor: 'IST0118; KIA0601',
  *evaluate(ctx) {
    for (const svc of ctx.objects.list('services')) {
      if (istioOwnService(svc)) continue;
      const undeclared = (svc.spec.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP' && !declaredProtocol(p));
      if (undeclared.length === 0) continue;
      const ns = ctx.objects.get('namespaces', undefined, svc.metadata.namespace ?? 'default');
      if (!servicePods(ctx.objects, svc).some((p) => hasIstioSidecar(p, ns))) continue;
      const draft: FindingDraft = {
        subject: subjectOf(svc),
        message: `Service ${svc.metadata.namespace}/${svc.metadata.name} port(s) ${undeclared.map(portLabel).join(', ')} declare no protocol (name <protocol>[-suffix] or appProtocol): Istio sniffs it`,
        evidence: {ports: undeclared.map(portLabel).join(',')},
      };
      yield draft;
    }
  },
});
