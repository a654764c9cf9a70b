/**
 * MD5108 — a DestinationRule's host matches no Service and no ServiceEntry visible from its namespace
 * (IST0174, KIA0202): its traffic policy and subsets apply to nothing — usually a typo, a deleted
 * Service, or a short name written in the wrong namespace. Wildcard hosts must match at least one.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {IstioHosts} from '../../src/mesh/istio/hosts.js';

export default defineCheck({
  id: 'MD5108',
  slug: 'istio-dr-host-not-found',
  title: 'DestinationRule hosts name an existing Service or ServiceEntry',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['destinationrules.networking.istio.io'], optionalKinds: ['services', 'serviceentries.networking.istio.io']},
  anchor: 'IST0174; KIA0202',
  *evaluate(ctx) {
    const istio = ctx.mesh('istio');
    const hosts = new IstioHosts(ctx.objects, ctx.options.clusterDomain, istio?.rootNamespace ?? 'istio-system', {serviceEntries: true, destinationRules: false});
    for (const dr of ctx.objects.list('destinationrules.networking.istio.io')) {
      const ns = dr.metadata.namespace ?? 'default';
      if (hosts.resolves(dr.spec.host, ns)) continue;
      const draft: FindingDraft = {
        subject: subjectOf(dr),
        message: `DestinationRule ${ns}/${dr.metadata.name} host "${dr.spec.host}" (${hosts.fqdn(dr.spec.host, ns)}) matches no Service or ServiceEntry visible from ${ns}: its policy applies to nothing`,
        evidence: {host: dr.spec.host, fqdn: hosts.fqdn(dr.spec.host, ns)},
      };
      yield draft;
    }
  },
});
