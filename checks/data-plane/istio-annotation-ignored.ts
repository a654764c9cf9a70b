/**
 * MD3105 — an Istio annotation that Istio does not read where it is written (IST0108 unknown,
 * IST0107 misplaced): a key in Istio's namespace that no Istio component knows (a typo, a label
 * written as an annotation), or a known one on a kind it does not apply to — most often a pod
 * annotation on a Deployment's own metadata instead of its pod template. Either way it is silently
 * ignored. The table of annotations is istio/api's (src/mesh/istio/annotations.ts).
 *
 * Differences from upstream: keys Istio's own code reads or writes but the table omits are known
 * here (so an injected pod's `prometheus.istio.io/secure-port` is not "unknown"); every workload
 * kind's metadata is checked, not only Deployments'; a label written as an annotation is named.
 */
import {defineCheck} from '../../src/core/index.js';
import type {AnnotatedSite} from '../../src/mesh/istio/annotated.js';
import {ANNOTATED_KINDS, annotatedSites, findingsBySubject} from '../../src/mesh/istio/annotated.js';
import {ISTIO_ANNOTATIONS, ISTIO_LABELS, SET_BY_ISTIO, isIstioAnnotation} from '../../src/mesh/istio/annotations.js';

function problems(site: AnnotatedSite): string[] {
  const out: string[] = [];
  for (const key of Object.keys(site.annotations)) {
    if (!isIstioAnnotation(key) || SET_BY_ISTIO.has(key)) continue;
    const place = site.where === 'pod template' ? 'pod template' : site.kind;
    const fact = ISTIO_ANNOTATIONS.get(key);
    if (!fact) {
      out.push(ISTIO_LABELS.has(key) ? `${key} on the ${place} is an Istio label, not an annotation` : `${key} on the ${place} is not an annotation Istio knows`);
    } else if (!fact.kinds.includes('Any') && !fact.kinds.includes(site.kind)) {
      const hint = site.where === 'metadata' && fact.kinds.includes('Pod') && site.kind !== 'Pod' && site.kind !== 'Namespace' && site.kind !== 'Service' ? ' (put it under spec.template.metadata.annotations)' : '';
      out.push(`${key} on the ${place}: it applies to ${fact.kinds.join(', ')} only${hint}`);
    }
  }
  return out;
}

export default defineCheck({
  id: 'MD3105',
  slug: 'istio-annotation-ignored',
  title: 'Istio annotations are ones Istio knows, on the kind that reads them',
  block: 'data-plane',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {optionalKinds: ANNOTATED_KINDS},
  anchor: 'IST0107, IST0108',
  evaluate(ctx) {
    const hits = annotatedSites(ctx.objects, ctx.workloads).flatMap((site) => problems(site).map((text) => ({subject: site.subject, text})));
    return findingsBySubject(hits, '', ' — Istio ignores it');
  },
});
