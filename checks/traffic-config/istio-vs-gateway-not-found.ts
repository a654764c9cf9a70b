/**
 * MD5101 — a VirtualService binds to a gateway that does not exist: the routes never reach any
 * gateway, and traffic for those hosts gets a 404 (NR) at the edge. Cross-namespace references
 * (`istio-system/ingress`) and Gateway API Gateways are honoured, so they are never false positives.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {gatewayRefs, splitGatewayRef} from '../../src/mesh/istio/virtual-service.js';

export default defineCheck({
  id: 'MD5101',
  slug: 'istio-vs-gateway-not-found',
  title: 'VirtualServices bind only to gateways that exist',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['istio'],
  inputs: {
    kinds: ['virtualservices.networking.istio.io'],
    optionalKinds: ['gateways.networking.istio.io', 'gateways.gateway.networking.k8s.io'],
  },
  anchor: 'IST0101; KIA1102',
  *evaluate(ctx) {
    for (const vs of ctx.objects.list('virtualservices.networking.istio.io')) {
      const ns = vs.metadata.namespace ?? 'default';
      const missing = gatewayRefs(vs).filter((ref) => {
        const [gwNs, name] = splitGatewayRef(ref, ns);
        return !ctx.objects.get('gateways.networking.istio.io', gwNs, name) && !ctx.objects.get('gateways.gateway.networking.k8s.io', gwNs, name);
      });
      if (missing.length > 0) {
        const draft: FindingDraft = {
          subject: subjectOf(vs),
          message: missing.length === 1
            ? `VirtualService ${ns}/${vs.metadata.name} binds to gateway ${missing[0]}, which does not exist`
            : `VirtualService ${ns}/${vs.metadata.name} binds to gateways that do not exist: ${missing.join(', ')}`,
          evidence: {gateways: missing.join(',')},
        };
        yield draft;
      }
    }
  },
});
