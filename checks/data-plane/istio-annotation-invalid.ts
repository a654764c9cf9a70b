/**
 * MD3106 — a pod (template) the Istio sidecar injector handles carries an annotation value the
 * injector rejects (IST0125): a port list that is not numbers, a CIDR that does not parse, an
 * interception mode other than REDIRECT/TPROXY/NONE… The injector then fails the pod's admission
 * (pkg/kube/inject/inject.go RunTemplate → validateAnnotations), so the workload cannot create pods:
 * a rollout or scale-up stalls with FailedCreate.
 *
 * Narrower than upstream on purpose: istioctl reports invalid values on any pod, injected or not;
 * only the injector validates them, so meshdoctor reports pods and templates it injects — as an
 * error, since their pods are refused now. `proxy.istio.io/config` is checked for YAML shape only
 * (istiod's full ProxyConfig validation is not reproduced).
 */
import {defineCheck} from '../../src/core/index.js';
import {annotationValueProblem} from '../../src/mesh/istio/annotation-values.js';
import type {AnnotationHit} from '../../src/mesh/istio/annotated.js';
import {ANNOTATED_KINDS, annotatedSites, findingsBySubject} from '../../src/mesh/istio/annotated.js';

export default defineCheck({
  id: 'MD3106',
  slug: 'istio-annotation-invalid',
  title: 'sidecar annotations on injected pods have values the injector accepts',
  block: 'data-plane',
  severity: 'error',
  meshes: ['istio'],
  inputs: {optionalKinds: ANNOTATED_KINDS},
  anchor: 'IST0125',
  evaluate(ctx) {
    const hits: AnnotationHit[] = [];
    for (const site of annotatedSites(ctx.objects, ctx.workloads, true)) {
      if (site.kind !== 'Pod' || !site.injected) continue;
      for (const [key, value] of Object.entries(site.annotations)) {
        const problem = annotationValueProblem(key, value);
        if (problem) hits.push({subject: site.subject, text: `${key}: ${problem}`});
      }
    }
    return findingsBySubject(hits, '', ' — the sidecar injector rejects its pods');
  },
});
