/**
 * MD5103 — a VirtualService routes to a host that resolves to nothing, or to a subset no visible
 * DestinationRule defines. Envoy has no cluster for it: requests fail with 503 (NC/UH) or 500.
 * Short names, `exportTo`, ServiceEntries, wildcards and root-namespace rules follow D7, because
 * false positives here are the top complaint about `istioctl analyze`.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {IstioHosts} from '../../src/mesh/istio/hosts.js';
import {destinations} from '../../src/mesh/istio/virtual-service.js';

export default defineCheck({
  id: 'MD5103',
  slug: 'istio-vs-destination-unresolved',
  title: 'VirtualService destinations resolve to a host and a defined subset',
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
      const reported = new Set<string>();
      for (const {destination, where} of destinations(vs)) {
        const key = `${destination.host}#${destination.subset ?? ''}`;
        if (reported.has(key)) continue;
        if (!hosts.resolves(destination.host, ns)) {
          reported.add(key);
          findings.push({
            subject: subjectOf(vs),
            message: `${where} routes to host "${destination.host}", which matches no Service or ServiceEntry visible from ${ns}`,
            evidence: {host: destination.host, fqdn: hosts.fqdn(destination.host, ns), where},
          });
          continue;
        }
        if (destination.subset) {
          const rules = hosts.destinationRulesFor(destination.host, ns);
          const defined = rules.some((dr) => (dr.spec.subsets ?? []).some((s) => s.name === destination.subset));
          if (!defined) {
            reported.add(key);
            const known = [...new Set(rules.flatMap((dr) => (dr.spec.subsets ?? []).map((s) => s.name)))];
            findings.push({
              subject: subjectOf(vs),
              message: `${where} routes to subset "${destination.subset}" of ${destination.host}, but ${rules.length === 0 ? 'no DestinationRule visible from ' + ns + ' covers that host' : `the DestinationRule${rules.length > 1 ? 's' : ''} ${rules.map((r) => `${r.metadata.namespace}/${r.metadata.name}`).join(', ')} define${rules.length > 1 ? '' : 's'} only ${known.join(', ') || 'no subsets'}`}`,
              evidence: {host: destination.host, subset: destination.subset, where, definedSubsets: known.join(',')},
            });
          }
        }
      }
    }
    return findings;
  },
});
