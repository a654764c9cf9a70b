/**
 * MD5103 — a VirtualService routes to a host that resolves to nothing, to a port its Service or
 * ServiceEntry does not have, or to a subset no visible DestinationRule defines. Envoy has no cluster
 * for it: requests fail with 503 (NC/UH) or 500.
 * Short names, `exportTo`, ServiceEntries, wildcards and root-namespace rules follow D7, because
 * false positives here are the top complaint about `istioctl analyze`. Visibility is judged where the
 * VirtualService applies, as upstream (istio/istio pkg/config/analysis/analyzers/util/
 * service_lookup.go GetDestinationHost): without `exportTo` (or with `*`) in its own namespace; with an
 * explicit list, the destination must be visible from at least one listed namespace (`.` is its own);
 * exported nowhere (`~`), it applies nowhere and is not judged. A destination `port` must be a port of
 * the Service (its `port`, not targetPort) or ServiceEntry (upstream's checkServiceEntryPorts).
 */
import type {Destination, FindingDraft, VirtualService} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {IstioHosts} from '../../src/mesh/istio/hosts.js';
import {destinations} from '../../src/mesh/istio/virtual-service.js';

/** Namespaces whose sidecars and gateways apply the VirtualService, for visibility. */
function audienceNamespaces(vs: VirtualService): string[] {
  const own = vs.metadata.namespace ?? 'default';
  const list = vs.spec.exportTo ?? [];
  if (list.length === 0 || list.includes('*')) return [own];
  return [...new Set(list.filter((e) => e !== '~').map((e) => (e === '.' ? own : e)))];
}

/** The ports the destination host offers, with what offers them; undefined when not knowable (wildcards, port-less Services). */
function offeredPorts(hosts: IstioHosts, destination: Destination, from: string): {ports: Set<number>; by: string} | undefined {
  if (destination.host.includes('*')) return undefined;
  const svc = hosts.serviceFor(destination.host, from);
  const ports = new Set<number>();
  const by: string[] = [];
  if (svc && svc.spec.type !== 'ExternalName') {
    if ((svc.spec.ports ?? []).length === 0) return undefined;
    for (const p of svc.spec.ports ?? []) ports.add(p.port);
    by.push(`Service ${svc.metadata.namespace}/${svc.metadata.name}`);
  }
  for (const c of hosts.candidates(destination.host, from)) {
    for (const se of hosts.serviceEntriesFor(c, from)) {
      if ((se.spec.ports ?? []).length === 0) return undefined;
      for (const p of se.spec.ports ?? []) ports.add(p.number);
      by.push(`ServiceEntry ${se.metadata.namespace}/${se.metadata.name}`);
    }
  }
  return by.length > 0 ? {ports, by: [...new Set(by)].join(', ')} : undefined;
}

export default defineCheck({
  id: 'MD5103',
  slug: 'istio-vs-destination-unresolved',
  title: 'VirtualService destinations resolve to a host, a port and a defined subset',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['istio'],
  inputs: {
    kinds: ['virtualservices.networking.istio.io'],
    optionalKinds: ['services', 'serviceentries.networking.istio.io', 'destinationrules.networking.istio.io'],
  },
  anchor: 'IST0101; KIA1101, KIA1107',
  evaluate(ctx) {
    const istio = ctx.mesh('istio');
    const hosts = new IstioHosts(ctx.objects, ctx.options.clusterDomain, istio?.rootNamespace ?? istio?.namespace ?? 'istio-system');
    const findings: FindingDraft[] = [];
    for (const vs of ctx.objects.list('virtualservices.networking.istio.io')) {
      const ns = vs.metadata.namespace ?? 'default';
      const audience = audienceNamespaces(vs);
      if (audience.length === 0) continue;
      const seenFrom = audience.length === 1 && audience[0] === ns ? ns : `${audience.join(', ')} (its exportTo)`;
      const reported = new Set<string>();
      for (const {destination, where} of destinations(vs)) {
        const key = `${destination.host}#${destination.subset ?? ''}#${destination.port?.number ?? ''}`;
        if (reported.has(key)) continue;
        const from = audience.find((n) => hosts.resolves(destination.host, n));
        if (from === undefined) {
          reported.add(key);
          findings.push({
            subject: subjectOf(vs),
            message: `${where} routes to host "${destination.host}", which matches no Service or ServiceEntry visible from ${seenFrom}`,
            evidence: {host: destination.host, fqdn: hosts.fqdn(destination.host, ns), where},
          });
          continue;
        }
        const port = destination.port?.number;
        if (typeof port === 'number') {
          const offered = offeredPorts(hosts, destination, from);
          if (offered && !offered.ports.has(port)) {
            reported.add(key);
            findings.push({
              subject: subjectOf(vs),
              message: `${where} routes to ${destination.host} port ${port}, which ${offered.by} does not expose (ports ${[...offered.ports].sort((a, b) => a - b).join(', ')})`,
              evidence: {host: destination.host, port, where, ports: [...offered.ports].sort((a, b) => a - b).join(',')},
            });
            continue;
          }
        }
        if (destination.subset) {
          const rules = hosts.destinationRulesFor(destination.host, from);
          const defined = rules.some((dr) => (dr.spec.subsets ?? []).some((s) => s.name === destination.subset));
          if (!defined) {
            reported.add(key);
            const known = [...new Set(rules.flatMap((dr) => (dr.spec.subsets ?? []).map((s) => s.name)))];
            findings.push({
              subject: subjectOf(vs),
              message: `${where} routes to subset "${destination.subset}" of ${destination.host}, but ${rules.length === 0 ? 'no DestinationRule visible from ' + from + ' covers that host' : `the DestinationRule${rules.length > 1 ? 's' : ''} ${rules.map((r) => `${r.metadata.namespace}/${r.metadata.name}`).join(', ')} define${rules.length > 1 ? '' : 's'} only ${known.join(', ') || 'no subsets'}`}`,
              evidence: {host: destination.host, subset: destination.subset, where, definedSubsets: known.join(',')},
            });
          }
        }
      }
    }
    return findings;
  },
});
