/**
 * MD3101 — a namespace with pods carries no Istio enrolment label (IST0102): its pods get no sidecar,
 * so they are outside the mesh. Informational, and only reported for namespaces in scope (named with
 * -n, all with -A, or unlabelled namespaces that already run pod-level-injected proxies), because a
 * big cluster has many namespaces that are deliberately not in the mesh (istio#19688).
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {namespaceMarkers} from '../../src/mesh/markers.js';

const SYSTEM = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

export default defineCheck({
  id: 'MD3101',
  slug: 'istio-namespace-not-injected',
  title: 'namespaces with workloads are enrolled in the Istio mesh',
  block: 'data-plane',
  severity: 'info',
  meshes: ['istio'],
  inputs: {kinds: ['namespaces', 'pods']},
  anchor: 'IST0102',
  evaluate(ctx) {
    const controlPlanes = new Set(ctx.meshes.flatMap((m) => [m.namespace, ...m.revisions.map((r) => r.namespace), ...Object.values(m.extensions ?? {})]));
    const findings: FindingDraft[] = [];
    for (const ns of ctx.objects.list('namespaces')) {
      const name = ns.metadata.name;
      if (SYSTEM.has(name) || controlPlanes.has(name)) continue;
      const labels = ns.metadata.labels ?? {};
      // An explicit opt-out, or enrolment in another mesh, is a decision, not an oversight.
      if (labels['istio-injection'] === 'disabled' || namespaceMarkers(ns).length > 0) continue;
      const pods = ctx.objects.list('pods', name).filter((p) => !p.spec.hostNetwork);
      if (pods.length === 0) continue;
      findings.push({
        subject: subjectOf(ns),
        message: `namespace ${name} runs ${pods.length} pod(s) but has no Istio injection label (istio-injection=enabled or istio.io/rev=<revision>): its workloads are outside the mesh`,
        evidence: {pods: pods.length, example: pods[0].metadata.name},
      });
    }
    return findings;
  },
});
