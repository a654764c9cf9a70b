/**
 * MD5102 — a VirtualService bound to an Istio Gateway declares a host that none of the Gateway's
 * servers accepts (IST0132): the gateway never builds a route for it, so requests for that host get
 * 404 (NR). Server hosts `[<ns>/]<host>` bind by namespace (`*`, `.`, or the VirtualService's) and by
 * exact or wildcard match. Missing gateways are MD5101's.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {serverBindsHost} from '../../src/mesh/istio/gateways.js';
import {gatewayRefs, splitGatewayRef} from '../../src/mesh/istio/virtual-service.js';

export default defineCheck({
  id: 'MD5102',
  slug: 'istio-vs-host-not-in-gateway',
  title: 'VirtualService hosts are served by the Gateways they bind to',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['virtualservices.networking.istio.io', 'gateways.networking.istio.io']},
  anchor: 'IST0132',
  *evaluate(ctx) {
    for (const vs of ctx.objects.list('virtualservices.networking.istio.io')) {
      const ns = vs.metadata.namespace ?? 'default';
      const misses: string[] = [];
      for (const ref of gatewayRefs(vs)) {
        const [gwNs, name] = splitGatewayRef(ref, ns);
        const gw = ctx.objects.get('gateways.networking.istio.io', gwNs, name);
        if (!gw) continue;
        const servers = gw.spec.servers ?? [];
        const unbound = (vs.spec.hosts ?? []).filter((h) => !servers.some((s) => serverBindsHost(s, gwNs, ns, h)));
        if (unbound.length > 0) misses.push(`${unbound.join(', ')} not in Gateway ${gwNs}/${name}`);
      }
      if (misses.length === 0) continue;
      const draft: FindingDraft = {
        subject: subjectOf(vs),
        message: `VirtualService ${ns}/${vs.metadata.name}: ${misses.join('; ')} — the gateway answers 404 for these hosts`,
        evidence: {unbound: misses.join('; ')},
      };
      yield draft;
    }
  },
});
