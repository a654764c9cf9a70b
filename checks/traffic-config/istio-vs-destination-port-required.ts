/**
 * MD5104 — a VirtualService destination names a Service with several ports but no `port` (IST0112).
 * The proxy then reuses the port the request arrived on: at a gateway (80/443) or when the
 * destination is another Service, that port usually does not exist there and the route has no
 * upstream (503 NR/UH). A mesh VirtualService sending traffic to its own host keeps the caller's port,
 * which is correct, so it is not reported.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {IstioHosts} from '../../src/mesh/istio/hosts.js';
import {destinations, gatewayRefs} from '../../src/mesh/istio/virtual-service.js';

export default defineCheck({
  id: 'MD5104',
  slug: 'istio-vs-destination-port-required',
  title: 'VirtualService destinations on multi-port Services select a port',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['istio'],
  inputs: {kinds: ['virtualservices.networking.istio.io', 'services']},
  anchor: 'IST0112',
  *evaluate(ctx) {
    const istio = ctx.mesh('istio');
    const hosts = new IstioHosts(ctx.objects, ctx.options.clusterDomain, istio?.rootNamespace ?? 'istio-system', {serviceEntries: false, destinationRules: false});
    for (const vs of ctx.objects.list('virtualservices.networking.istio.io')) {
      const ns = vs.metadata.namespace ?? 'default';
      const atGateway = gatewayRefs(vs).length > 0;
      const own = new Set((vs.spec.hosts ?? []).flatMap((h) => hosts.candidates(h, ns)));
      const missing = new Set<string>();
      for (const {destination} of destinations(vs)) {
        if (destination.port?.number !== undefined || destination.port?.name !== undefined) continue;
        const svc = hosts.serviceFor(destination.host, ns);
        if (!svc || (svc.spec.ports ?? []).length < 2) continue;
        const sameHost = hosts.candidates(destination.host, ns).some((c) => own.has(c));
        if (!atGateway && sameHost) continue;
        missing.add(`${destination.host} (ports ${(svc.spec.ports ?? []).map((p) => p.port).join(', ')})`);
      }
      if (missing.size === 0) continue;
      const draft: FindingDraft = {
        subject: subjectOf(vs),
        message: `VirtualService ${ns}/${vs.metadata.name} routes to multi-port Service(s) without destination.port: ${[...missing].join('; ')}`,
        evidence: {destinations: [...missing].join('; '), boundToGateway: atGateway},
      };
      yield draft;
    }
  },
});
