/**
 * MD5113 — several Gateways serve different hosts with the same certificate (IST0138). Browsers reuse
 * one HTTP/2 connection for every host the certificate covers; the second host's requests then reach
 * the first Gateway's routes and get 404. Use one Gateway listing all those hosts instead.
 */
import type {FindingDraft, IstioGateway} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {gatewayPods} from '../../src/mesh/istio/gateways.js';

export default defineCheck({
  id: 'MD5113',
  slug: 'istio-gateway-duplicate-certificate',
  title: 'each TLS certificate is served by one Gateway',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['gateways.networking.istio.io'], optionalKinds: ['pods']},
  anchor: 'IST0138',
  evaluate(ctx) {
    const uses = new Map<string, {gw: IstioGateway; hosts: string}[]>();
    for (const gw of ctx.objects.list('gateways.networking.istio.io')) {
      const podNamespaces = [...new Set(gatewayPods(ctx.objects, gw, false).map((p) => p.metadata.namespace ?? 'default'))];
      const namespaces = podNamespaces.length > 0 ? podNamespaces : [gw.metadata.namespace ?? 'default'];
      for (const server of gw.spec.servers ?? []) {
        const hosts = [...(server.hosts ?? [])].sort().join(',');
        const keys: string[] = [];
        if (server.tls?.credentialName) for (const ns of namespaces) keys.push(`secret ${ns}/${server.tls.credentialName}`);
        if (server.tls?.serverCertificate) keys.push(`file ${server.tls.serverCertificate}`);
        for (const key of keys) uses.set(key, [...(uses.get(key) ?? []), {gw, hosts}]);
      }
    }
    const dup = new Map<IstioGateway, string[]>();
    for (const [key, list] of uses) {
      const gateways = new Set(list.map((u) => u.gw));
      if (gateways.size < 2 || new Set(list.map((u) => u.hosts)).size < 2) continue;
      for (const gw of gateways) dup.set(gw, [...(dup.get(gw) ?? []), `${key} shared with ${[...gateways].filter((g) => g !== gw).map((g) => `${g.metadata.namespace}/${g.metadata.name}`).join(', ')}`]);
    }
    const findings: FindingDraft[] = [];
    for (const [gw, list] of dup) {
      findings.push({
        subject: subjectOf(gw),
        message: `Gateway ${gw.metadata.namespace}/${gw.metadata.name} serves a certificate another Gateway also serves for other hosts (${list.join('; ')}): HTTP/2 connection reuse sends requests to the wrong Gateway (404)`,
        evidence: {shared: list.join('; ')},
      });
    }
    return findings;
  },
});
