/**
 * MD5109 — a DestinationRule subset's labels (with the Service's selector) match no running pod
 * (IST0173, KIA0203). Traffic routed to that subset fails with 503 UH (no healthy upstream): an error
 * when a VirtualService routes there, a warning while nothing does yet.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {IstioHosts} from '../../src/mesh/istio/hosts.js';
import {podRunning} from '../../src/mesh/istio/sidecars.js';
import {destinations} from '../../src/mesh/istio/virtual-service.js';

export default defineCheck({
  id: 'MD5109',
  slug: 'istio-dr-subset-no-pods',
  title: 'every DestinationRule subset selects running pods',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['istio'],
  inputs: {kinds: ['destinationrules.networking.istio.io', 'services', 'pods'], optionalKinds: ['virtualservices.networking.istio.io']},
  anchor: 'IST0173; KIA0203',
  evaluate(ctx) {
    const istio = ctx.mesh('istio');
    const hosts = new IstioHosts(ctx.objects, ctx.options.clusterDomain, istio?.rootNamespace ?? 'istio-system', {serviceEntries: false, destinationRules: false});
    // (service fqdn, subset) pairs some VirtualService routes to.
    const routed = new Set<string>();
    for (const vs of ctx.objects.list('virtualservices.networking.istio.io')) {
      const ns = vs.metadata.namespace ?? 'default';
      for (const {destination} of destinations(vs)) {
        if (!destination.subset) continue;
        const svc = hosts.serviceFor(destination.host, ns);
        if (svc) routed.add(`${svc.metadata.namespace}/${svc.metadata.name}#${destination.subset}`);
      }
    }
    const findings: FindingDraft[] = [];
    for (const dr of ctx.objects.list('destinationrules.networking.istio.io')) {
      const ns = dr.metadata.namespace ?? 'default';
      if (dr.spec.host.includes('*')) continue;
      const svc = hosts.serviceFor(dr.spec.host, ns);
      const selector = svc?.spec.selector;
      if (!svc || !selector || Object.keys(selector).length === 0) continue;
      const empty: {name: string; routedTo: boolean}[] = [];
      for (const subset of dr.spec.subsets ?? []) {
        if (!subset.labels || Object.keys(subset.labels).length === 0) continue;
        const pods = ctx.objects.select('pods', svc.metadata.namespace, {...selector, ...subset.labels}).filter(podRunning);
        if (pods.length > 0) continue;
        empty.push({name: subset.name, routedTo: routed.has(`${svc.metadata.namespace}/${svc.metadata.name}#${subset.name}`)});
      }
      if (empty.length === 0) continue;
      const routedTo = empty.filter((e) => e.routedTo);
      findings.push({
        subject: subjectOf(dr),
        severity: routedTo.length > 0 ? 'error' : 'warning',
        message: `DestinationRule ${ns}/${dr.metadata.name}: subset(s) ${empty.map((e) => e.name).join(', ')} select no running pod of Service ${svc.metadata.namespace}/${svc.metadata.name}${routedTo.length > 0 ? ` — VirtualService traffic to ${routedTo.map((e) => e.name).join(', ')} fails with 503 UH` : ' (no VirtualService routes there yet)'}`,
        evidence: {subsets: empty.map((e) => e.name).join(','), routed: routedTo.map((e) => e.name).join(',') || null, service: `${svc.metadata.namespace}/${svc.metadata.name}`},
      });
    }
    return findings;
  },
});
