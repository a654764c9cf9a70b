/**
 * MD3107 — a deprecated Istio annotation, on the kind it belongs to (IST0135): it works today and
 * may stop working in a future release. `sidecar.istio.io/inject` as an annotation is skipped when
 * the object also carries the label of the same name, as upstream does. Misplaced deprecated
 * annotations are MD3105's.
 *
 * IST0136 (alpha-phase annotations) is deliberately not reported: nearly every Istio annotation is
 * alpha, and upstream keeps that analyzer out of istioctl's default set for the noise
 * (pkg/config/analysis/analyzers/maturity/maturity.go).
 */
import {defineCheck} from '../../src/core/index.js';
import type {AnnotationHit} from '../../src/mesh/istio/annotated.js';
import {ANNOTATED_KINDS, annotatedSites, findingsBySubject} from '../../src/mesh/istio/annotated.js';
import {ISTIO_ANNOTATIONS, REPLACEMENTS} from '../../src/mesh/istio/annotations.js';

const INJECT = 'sidecar.istio.io/inject';

export default defineCheck({
  id: 'MD3107',
  slug: 'istio-annotation-deprecated',
  title: 'no deprecated Istio annotations are in use',
  block: 'data-plane',
  severity: 'info',
  meshes: ['istio'],
  inputs: {optionalKinds: ANNOTATED_KINDS},
  anchor: 'IST0135',
  evaluate(ctx) {
    const hits: AnnotationHit[] = [];
    for (const site of annotatedSites(ctx.objects, ctx.workloads)) {
      for (const key of Object.keys(site.annotations)) {
        const fact = ISTIO_ANNOTATIONS.get(key);
        if (!fact?.deprecated || !(fact.kinds.includes(site.kind) || fact.kinds.includes('Any'))) continue;
        if (key === INJECT && site.labels[INJECT] !== undefined) continue;
        hits.push({subject: site.subject, text: `${key}${REPLACEMENTS[key] ? ` (use ${REPLACEMENTS[key]})` : ''}`});
      }
    }
    return findingsBySubject(hits, ' uses deprecated Istio annotation(s)', '');
  },
});
