/**
 * MD5102 — a VirtualService bound to a gateway declares no host that gateway accepts (IST0132): the
 * gateway builds no route for it, so its requests get 404 (NR). As upstream (istio/istio
 * pkg/config/analysis/analyzers/virtualservice/gateways.go), each bound gateway must accept *some*
 * host of the VirtualService — one VirtualService may serve one host through each of two gateways.
 * Istio Gateways bind server hosts `[<ns>/]<host>` by namespace (`*`, `.`, or the VirtualService's)
 * and by exact or wildcard match; a Gateway API Gateway of that name (VirtualServices may bind to
 * those) accepts any host when a listener has no hostname, else the listeners' hostnames. Missing
 * gateways are MD5101's.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {serverBindsHost} from '../../src/mesh/istio/gateways.js';
import {hostMatches} from '../../src/mesh/istio/hosts.js';
import {gatewayRefs, splitGatewayRef} from '../../src/mesh/istio/virtual-service.js';

export default defineCheck({
  id: 'MD5102',
  slug: 'istio-vs-host-not-in-gateway',
  title: 'VirtualService hosts are served by the Gateways they bind to',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['virtualservices.networking.istio.io'], optionalKinds: ['gateways.networking.istio.io', 'gateways.gateway.networking.k8s.io']},
  anchor: 'IST0132',
  *evaluate(ctx) {
    for (const vs of ctx.objects.list('virtualservices.networking.istio.io')) {
      const ns = vs.metadata.namespace ?? 'default';
      const vsHosts = vs.spec.hosts ?? [];
      const misses: string[] = [];
      for (const ref of gatewayRefs(vs)) {
        const [gwNs, name] = splitGatewayRef(ref, ns);
        const gw = ctx.objects.get('gateways.networking.istio.io', gwNs, name);
        if (gw) {
          const servers = gw.spec.servers ?? [];
          if (!vsHosts.some((h) => servers.some((s) => serverBindsHost(s, gwNs, ns, h)))) misses.push(`none of ${vsHosts.join(', ')} in Gateway ${gwNs}/${name}`);
          continue;
        }
        const k8s = ctx.objects.get('gateways.gateway.networking.k8s.io', gwNs, name);
        if (!k8s) continue;
        const listeners = k8s.spec.listeners ?? [];
        if (listeners.some((l) => !l.hostname)) continue;
        if (!vsHosts.some((h) => listeners.some((l) => hostMatches(l.hostname!, h)))) misses.push(`none of ${vsHosts.join(', ')} in the listener hostnames of Gateway API Gateway ${gwNs}/${name}`);
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
