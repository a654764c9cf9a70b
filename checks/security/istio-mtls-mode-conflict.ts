/**
 * MD4101 — a DestinationRule's client TLS setting contradicts the server's PeerAuthentication
 * (IST0113, retired upstream; KIA0207/0208): DISABLE/SIMPLE/MUTUAL towards a STRICT port (the server
 * refuses plaintext or non-Istio certificates: 503 UF/URX), or ISTIO_MUTUAL towards a DISABLE port
 * (the server cannot terminate Istio mTLS). A DR without `tls` leaves auto-mTLS in charge: no conflict.
 * A DR in a client namespace only affects clients in that namespace; the evidence says so.
 */
import type {ClientTLSSettings, FindingDraft, Pod, Service, TrafficPolicy} from '../../src/core/index.js';
import {defineCheck, matchesLabels, subjectOf} from '../../src/core/index.js';
import {hostMatches, IstioHosts} from '../../src/mesh/istio/hosts.js';
import {PeerAuthentications} from '../../src/mesh/istio/peer-authentication.js';
import {hasIstioSidecar, servicePods, targetPortNumber} from '../../src/mesh/istio/sidecars.js';

function clientMode(policy: TrafficPolicy | undefined, servicePort: number): string | undefined {
  const portLevel = policy?.portLevelSettings?.find((p) => p.port?.number === servicePort);
  const tls: ClientTLSSettings | undefined = portLevel?.tls ?? policy?.tls;
  if (!tls) return undefined;
  return (tls.mode ?? 'DISABLE').toUpperCase();
}

function conflicts(client: string, server: string): boolean {
  if (server === 'STRICT') return client === 'DISABLE' || client === 'SIMPLE' || client === 'MUTUAL';
  if (server === 'DISABLE') return client === 'ISTIO_MUTUAL';
  return false;
}

export default defineCheck({
  id: 'MD4101',
  slug: 'istio-mtls-mode-conflict',
  title: 'DestinationRule TLS modes agree with the PeerAuthentication of their servers',
  block: 'security',
  severity: 'error',
  meshes: ['istio'],
  inputs: {kinds: ['destinationrules.networking.istio.io', 'services', 'pods'], optionalKinds: ['peerauthentications.security.istio.io', 'namespaces']},
  anchor: 'IST0113 (retired upstream); KIA0207, KIA0208',
  evaluate(ctx) {
    const istio = ctx.mesh('istio');
    const root = istio?.rootNamespace ?? istio?.namespace ?? 'istio-system';
    const hosts = new IstioHosts(ctx.objects, ctx.options.clusterDomain, root, {serviceEntries: false, destinationRules: false});
    const pas = new PeerAuthentications(ctx.objects, root);
    const domain = ctx.options.clusterDomain;
    const drs = ctx.objects.list('destinationrules.networking.istio.io');
    const exactHosts = new Set(drs.filter((d) => !d.spec.host.startsWith('*')).map((d) => `${d.metadata.namespace}|${hosts.fqdn(d.spec.host, d.metadata.namespace ?? 'default')}`));
    const findings: FindingDraft[] = [];
    for (const dr of drs) {
      const drNs = dr.metadata.namespace ?? 'default';
      const fqdn = hosts.fqdn(dr.spec.host, drNs);
      const services: Service[] = fqdn.startsWith('*')
        ? ctx.objects.list('services').filter((s) => hostMatches(fqdn, `${s.metadata.name}.${s.metadata.namespace}.svc.${domain}`)
          && !exactHosts.has(`${drNs}|${s.metadata.name}.${s.metadata.namespace}.svc.${domain}`))
        : [hosts.serviceFor(dr.spec.host, drNs)].filter((s): s is Service => s !== undefined);
      const policies: {name: string; policy: TrafficPolicy | undefined; labels?: Readonly<Record<string, string>>}[] = [{name: 'top-level', policy: dr.spec.trafficPolicy}];
      for (const subset of dr.spec.subsets ?? []) {
        // A subset without tls inherits the top-level setting.
        const policy: TrafficPolicy = {...(dr.spec.trafficPolicy ?? {}), ...(subset.trafficPolicy ?? {})};
        if (!subset.trafficPolicy?.tls && !subset.trafficPolicy?.portLevelSettings) continue;
        policies.push({name: `subset ${subset.name}`, policy, labels: subset.labels});
      }
      const hits: string[] = [];
      for (const svc of services) {
        const ns = svc.metadata.namespace ?? 'default';
        const pods = servicePods(ctx.objects, svc).filter((p) => hasIstioSidecar(p, ctx.objects.get('namespaces', undefined, ns)));
        for (const port of svc.spec.ports ?? []) {
          for (const {name, policy, labels} of policies) {
            const client = clientMode(policy, port.port);
            if (!client) continue;
            const targets: Pod[] = labels ? pods.filter((p) => matchesLabels(p.metadata.labels, labels)) : pods;
            for (const pod of targets) {
              const server = pas.modeFor(pod, targetPortNumber(pod, port));
              if (!conflicts(client, server.mode)) continue;
              hits.push(`${svc.metadata.name}.${ns}:${port.port} ${name} ${client} vs ${server.mode} (${server.source})`);
              break;
            }
          }
        }
      }
      if (hits.length === 0) continue;
      const clientSide = services.length > 0 && services.every((s) => s.metadata.namespace !== drNs) && drNs !== root;
      findings.push({
        subject: subjectOf(dr),
        message: `DestinationRule ${drNs}/${dr.metadata.name} sets client TLS that the server's PeerAuthentication refuses: ${hits.slice(0, 3).join('; ')}${hits.length > 3 ? ` and ${hits.length - 3} more` : ''}${clientSide ? ` (applies to clients in ${drNs} only)` : ''}`,
        evidence: {host: dr.spec.host, conflicts: hits.length, first: hits[0], appliesTo: clientSide ? `clients in ${drNs}` : drNs === root ? 'mesh-wide' : 'all clients'},
      });
    }
    return findings;
  },
});
