/**
 * MD5120 — a ServiceEntry exposes a TCP port (protocol TCP or unset) without addresses (IST0134).
 * Without an address the sidecar can only recognise the service by destination port: it listens on
 * 0.0.0.0:<port> and forwards everything sent to that port, to any IP, to this entry — and the port
 * must then not be shared with any other service (networking/v1alpha3/service_entry.proto, field
 * `addresses`). Silent when the entry has addresses, when istiod's auto-allocation controller has
 * assigned some (`status.addresses`), or when the mesh config turns on DNS capture with
 * auto-allocation, as upstream's analyzer does. HTTP, HTTPS, TLS and gRPC ports are routed by
 * Host/SNI and need no address.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {dnsAutoAllocation, istioMeshConfig} from '../../src/mesh/istio/mesh-config.js';

export default defineCheck({
  id: 'MD5120',
  slug: 'istio-serviceentry-addresses-required',
  title: 'ServiceEntries with TCP ports have addresses',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {
    kinds: ['serviceentries.networking.istio.io'],
    named: [{kind: 'configmaps', mesh: 'istio', where: 'control-plane', names: ['istio']}],
  },
  anchor: 'IST0134',
  *evaluate(ctx) {
    const istio = ctx.mesh('istio')!;
    if (dnsAutoAllocation(istioMeshConfig(ctx.objects.get('configmaps', istio.namespace, 'istio')))) return;
    for (const se of ctx.objects.list('serviceentries.networking.istio.io')) {
      const spec = se.spec;
      if ((spec.addresses?.length ?? 0) > 0 || (se.status?.addresses?.length ?? 0) > 0) continue;
      const ports = (spec.ports ?? []).filter((p) => !p.protocol || p.protocol.toUpperCase() === 'TCP');
      if (ports.length === 0) continue;
      const labels = ports.map((p) => `${p.number}${p.name ? `/${p.name}` : ''}${p.protocol ? '' : ' (no protocol)'}`);
      const draft: FindingDraft = {
        subject: subjectOf(se),
        message: `ServiceEntry ${se.metadata.namespace}/${se.metadata.name} has TCP port(s) ${labels.join(', ')} but no addresses: sidecars match it by port alone and send traffic to those ports that no other service claims, to any IP, to ${(spec.hosts ?? []).join(', ') || 'its hosts'}`,
        evidence: {ports: labels.join(','), hosts: (spec.hosts ?? []).join(',')},
      };
      yield draft;
    }
  },
});
