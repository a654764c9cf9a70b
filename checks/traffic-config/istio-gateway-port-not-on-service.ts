/**
 * MD5112 — a Gateway server port is not a port of any Service in front of the gateway pods (IST0162).
 * Istio binds the server to the Service port that maps onto the gateway pod, so a server on, say,
 * 8443 behind a Service exposing 443→8443 is unreachable from outside. Gateways whose pods no
 * Service selects (hostNetwork, hostPort) are not judged.
 */
import type {FindingDraft, Service} from '../../src/core/index.js';
import {defineCheck, matchesLabels, subjectOf} from '../../src/core/index.js';
import {gatewayPods} from '../../src/mesh/istio/gateways.js';

export default defineCheck({
  id: 'MD5112',
  slug: 'istio-gateway-port-not-on-service',
  title: 'Gateway server ports are exposed by the gateway Service',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['gateways.networking.istio.io', 'services', 'pods']},
  anchor: 'IST0162',
  *evaluate(ctx) {
    for (const gw of ctx.objects.list('gateways.networking.istio.io')) {
      const pods = gatewayPods(ctx.objects, gw, false);
      if (pods.length === 0) continue;
      const services = new Map<string, Service>();
      for (const ns of new Set(pods.map((p) => p.metadata.namespace ?? 'default'))) {
        for (const svc of ctx.objects.list('services', ns)) {
          const sel = svc.spec.selector;
          if (sel && Object.keys(sel).length > 0 && pods.some((p) => p.metadata.namespace === ns && matchesLabels(p.metadata.labels, sel))) services.set(`${ns}/${svc.metadata.name}`, svc);
        }
      }
      if (services.size === 0) continue;
      const ports = new Set([...services.values()].flatMap((s) => (s.spec.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.port)));
      const missing = [...new Set((gw.spec.servers ?? []).map((s) => s.port.number).filter((n) => !ports.has(n)))];
      if (missing.length === 0) continue;
      const draft: FindingDraft = {
        subject: subjectOf(gw),
        message: `Gateway ${gw.metadata.namespace}/${gw.metadata.name} listens on port(s) ${missing.join(', ')}, which no Service of its pods exposes (${[...services.keys()].join(', ')} expose ${[...ports].sort((a, b) => a - b).join(', ')})`,
        evidence: {missing: missing.join(','), servicePorts: [...ports].sort((a, b) => a - b).join(','), services: [...services.keys()].join(',')},
      };
      yield draft;
    }
  },
});
