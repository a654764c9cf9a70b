/**
 * MD5109 — a DestinationRule subset's labels (with the Service's selector) match no running pod
 * (IST0173, KIA0203). Traffic routed to that subset fails with 503 UH (no healthy upstream): an error
 * when a VirtualService routes there. A subset nothing routes to yet is reported as info — a deliberate
 * difference from upstream, which reports IST0173 as an error either way: Istio's own
 * destination-rule-all.yaml declares subsets for versions bookinfo.yaml does not deploy, and nothing
 * fails until a route uses them.
 * Subsets may select on the labels Istio adds to endpoints from the pod's Node (topology region, zone,
 * subzone, kubernetes.io/hostname): those are evaluated against the Node (as upstream does); when the
 * Node is not known (manifest runs, pods not scheduled) such a subset is not judged. Subsets on the
 * mesh's cluster or network labels are not judged either.
 */
import type {FindingDraft, Labels, Pod} from '../../src/core/index.js';
import {defineCheck, matchesLabels, subjectOf} from '../../src/core/index.js';
import {endpointLabels, NODE_TOPOLOGY, usesMeshTopology, usesNodeTopology} from '../../src/mesh/istio/endpoint-labels.js';
import {IstioHosts} from '../../src/mesh/istio/hosts.js';
import {podRunning} from '../../src/mesh/istio/sidecars.js';
import {destinations} from '../../src/mesh/istio/virtual-service.js';

type Verdict = 'selects' | 'empty' | 'unknown';

export default defineCheck({
  id: 'MD5109',
  slug: 'istio-dr-subset-no-pods',
  title: 'every DestinationRule subset selects running pods',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['istio'],
  inputs: {kinds: ['destinationrules.networking.istio.io', 'services', 'pods'], optionalKinds: ['virtualservices.networking.istio.io', 'nodes']},
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
    const verdict = (namespace: string, selector: Labels, subsetLabels: Labels): Verdict => {
      if (usesMeshTopology(subsetLabels)) return 'unknown';
      const podLabels = Object.fromEntries(Object.entries(subsetLabels).filter(([k]) => !(NODE_TOPOLOGY as readonly string[]).includes(k)));
      // A Pod written in a manifest (no status yet) will run once applied, like a workload's template.
      const serves = (pod: Pod) => podRunning(pod) || (ctx.mode === 'manifests' && pod.status === undefined);
      const pods = ctx.objects.select('pods', namespace, {...selector, ...podLabels}).filter(serves);
      if (!usesNodeTopology(subsetLabels)) return pods.length > 0 ? 'selects' : 'empty';
      let unknown = false;
      for (const pod of pods as readonly Pod[]) {
        const labels = endpointLabels(pod, pod.spec.nodeName ? ctx.objects.get('nodes', undefined, pod.spec.nodeName) : undefined);
        if (!labels) unknown = true;
        else if (matchesLabels(labels, subsetLabels)) return 'selects';
      }
      return unknown ? 'unknown' : 'empty';
    };
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
        if (verdict(svc.metadata.namespace ?? 'default', selector, subset.labels) !== 'empty') continue;
        empty.push({name: subset.name, routedTo: routed.has(`${svc.metadata.namespace}/${svc.metadata.name}#${subset.name}`)});
      }
      if (empty.length === 0) continue;
      const routedTo = empty.filter((e) => e.routedTo);
      findings.push({
        subject: subjectOf(dr),
        severity: routedTo.length > 0 ? 'error' : 'info',
        message: `DestinationRule ${ns}/${dr.metadata.name}: subset(s) ${empty.map((e) => e.name).join(', ')} select no running pod of Service ${svc.metadata.namespace}/${svc.metadata.name}${routedTo.length > 0 ? ` — VirtualService traffic to ${routedTo.map((e) => e.name).join(', ')} fails with 503 UH` : ' (no VirtualService routes there yet)'}`,
        evidence: {subsets: empty.map((e) => e.name).join(','), routed: routedTo.map((e) => e.name).join(',') || null, service: `${svc.metadata.namespace}/${svc.metadata.name}`},
      });
    }
    return findings;
  },
});
