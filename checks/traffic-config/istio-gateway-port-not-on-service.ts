/**
 * MD5112 — a Gateway server port is not reachable through any Service in front of the gateway pods
 * (IST0162). The server port is the port the gateway proxy listens on; a Service reaches it when
 * the port is the targetPort of one of its TCP ports, and Istio also accepts the Service port itself
 * (it maps a server on a Service port onto that port's targetPort). So on the default
 * istio-ingressgateway (80→8080, 443→8443, 15021) bookinfo's server on 8080 and httpbin's on 80 are
 * both fine, and a server on 9443 is not. As upstream (istio/istio pkg/config/analysis/analyzers/
 * gateway/gateway.go), with one deliberate difference: a named targetPort is resolved through the
 * selected pods' container ports (upstream then compares only the Service port). Gateways whose pods
 * no Service selects (hostNetwork, hostPort) are not judged.
 */
import type {FindingDraft, Pod, Service} from '../../src/core/index.js';
import {defineCheck, matchesLabels, subjectOf} from '../../src/core/index.js';
import {gatewayPods} from '../../src/mesh/istio/gateways.js';
import {targetPortNumber} from '../../src/mesh/istio/sidecars.js';

/** Ports a Gateway server may use behind these Services: each TCP Service port and its targetPort on the pods. */
function reachablePorts(services: Iterable<Service>, pods: readonly Pod[]): Set<number> {
  const ports = new Set<number>();
  for (const svc of services) {
    for (const p of svc.spec.ports ?? []) {
      if ((p.protocol ?? 'TCP') !== 'TCP') continue;
      ports.add(p.port);
      for (const pod of pods) {
        const target = targetPortNumber(pod, p);
        if (target !== undefined) ports.add(target);
      }
    }
  }
  return ports;
}

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
      const ports = reachablePorts(services.values(), pods);
      const missing = [...new Set((gw.spec.servers ?? []).map((s) => s.port.number).filter((n) => !ports.has(n)))];
      if (missing.length === 0) continue;
      const exposed = [...services.values()].flatMap((s) => (s.spec.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => (p.targetPort !== undefined && p.targetPort !== p.port ? `${p.port}→${p.targetPort}` : `${p.port}`)));
      const draft: FindingDraft = {
        subject: subjectOf(gw),
        message: `Gateway ${gw.metadata.namespace}/${gw.metadata.name} listens on port(s) ${missing.join(', ')}, which no Service of its pods reaches (${[...services.keys()].join(', ')}: ${exposed.join(', ')})`,
        evidence: {missing: missing.join(','), servicePorts: exposed.join(','), services: [...services.keys()].join(',')},
      };
      yield draft;
    }
  },
});
