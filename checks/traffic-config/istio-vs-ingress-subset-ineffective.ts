/**
 * MD5107 — a mesh-only VirtualService splits or subsets traffic for host H, while a VirtualService on
 * an ingress gateway sends H's traffic to H as a single destination without a subset (IST0140): the
 * gateway routes directly to all of H's pods, so requests entering through the gateway ignore the
 * canary/version rules. Fix: bind the mesh VirtualService to the gateway too, or route by subset there.
 */
import type {FindingDraft, VirtualService} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {fqdnOf} from '../../src/mesh/istio/hosts.js';
import {destinations} from '../../src/mesh/istio/virtual-service.js';

function meshOnly(vs: VirtualService): boolean {
  const gws = vs.spec.gateways ?? [];
  return gws.length === 0 || gws.every((g) => g === 'mesh');
}

export default defineCheck({
  id: 'MD5107',
  slug: 'istio-vs-ingress-subset-ineffective',
  title: 'ingress routes honour the subset rules of the mesh',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['virtualservices.networking.istio.io']},
  anchor: 'IST0140',
  evaluate(ctx) {
    const hosts = {fqdn: (h: string, ns: string) => fqdnOf(h, ns, ctx.options.clusterDomain)};
    const all = ctx.objects.list('virtualservices.networking.istio.io');
    // Hosts an ingress VirtualService sends to as one plain destination, with the VS that does it.
    const plainAtIngress = new Map<string, string[]>();
    for (const vs of all) {
      if ((vs.spec.gateways ?? []).filter((g) => g !== 'mesh').length === 0) continue;
      const ns = vs.metadata.namespace ?? 'default';
      const routes = [...(vs.spec.http ?? []), ...(vs.spec.tcp ?? []), ...(vs.spec.tls ?? [])];
      for (const r of routes) {
        if ((r.route ?? []).length !== 1) continue;
        const d = r.route![0].destination;
        if (!d || d.subset) continue;
        const fqdn = hosts.fqdn(d.host, ns);
        plainAtIngress.set(fqdn, [...new Set([...(plainAtIngress.get(fqdn) ?? []), `${ns}/${vs.metadata.name}`])]);
      }
    }
    const findings: FindingDraft[] = [];
    for (const vs of all) {
      if (!meshOnly(vs)) continue;
      const ns = vs.metadata.namespace ?? 'default';
      const routes = [...(vs.spec.http ?? []), ...(vs.spec.tcp ?? []), ...(vs.spec.tls ?? [])];
      // Shaping = a weighted split, or routing to two or more subsets; pinning every request to one
      // subset is only ineffective at ingress when other versions exist, which a route cannot tell.
      const subsets = new Set(destinations(vs).map((d) => d.destination.subset).filter(Boolean));
      const shaping = subsets.size >= 2 || routes.some((r) => (r.route ?? []).length >= 2);
      if (!shaping) continue;
      const bypass = (vs.spec.hosts ?? []).flatMap((h) => (plainAtIngress.get(hosts.fqdn(h, ns)) ?? []).map((g) => `${h} via ${g}`));
      if (bypass.length === 0) continue;
      findings.push({
        subject: subjectOf(vs),
        message: `VirtualService ${ns}/${vs.metadata.name} routes by subset or weight for mesh traffic only, but ingress VirtualService(s) send ${bypass.join(', ')} straight to the host: requests from the gateway bypass these rules`,
        evidence: {bypass: bypass.join('; ')},
      });
    }
    return findings;
  },
});
