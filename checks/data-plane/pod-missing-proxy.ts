/**
 * MD3002 — a pod that its mesh should have injected runs without the proxy: it is outside the mesh
 * (no mTLS, no policy, no telemetry) and STRICT peers refuse its traffic. Usually the pod predates
 * the namespace label, or the injector webhook was down when it was created.
 */
import type {FindingDraft, MeshName, Pod} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList} from '../../src/core/index.js';
import {injectionTargets, istioRevisionFor} from '../../src/mesh/injection.js';
import {proxyContainer} from '../../src/mesh/markers.js';
import {olderThan, podActive} from '../../src/mesh/pods.js';

export default defineCheck({
  id: 'MD3002',
  slug: 'pod-missing-proxy',
  title: 'pods targeted for injection run their mesh proxy',
  block: 'data-plane',
  severity: 'warning',
  meshes: ['istio', 'linkerd', 'consul', 'osm'],
  runtime: true,
  inputs: {kinds: ['namespaces', 'pods', 'mutatingwebhookconfigurations.admissionregistration.k8s.io']},
  anchor: 'IST0103',
  evaluate(ctx) {
    const detected = ctx.meshes.map((m) => m.name);
    const grace = ctx.thresholds().grace.readinessSeconds;
    // Revisions with an injector: MD3103 reports pods whose revision has none, so they are skipped here.
    const revisions = new Set<string>();
    for (const mwc of ctx.objects.list('mutatingwebhookconfigurations.admissionregistration.k8s.io')) {
      const l = mwc.metadata.labels ?? {};
      if (l['istio.io/rev']) revisions.add(l['istio.io/rev']);
      if (l['istio.io/tag']) revisions.add(l['istio.io/tag']);
    }
    const missing: {pod: Pod; mesh: MeshName}[] = [];
    for (const pod of ctx.objects.list('pods')) {
      if (pod.spec.hostNetwork || !podActive(pod) || !olderThan(pod, ctx.now, grace)) continue;
      const ns = ctx.objects.get('namespaces', undefined, pod.metadata.namespace ?? '');
      for (const mesh of injectionTargets(pod, ns, detected)) {
        if (proxyContainer(pod, mesh)) continue;
        if (mesh === 'istio') {
          const rev = istioRevisionFor(pod, ns);
          if (rev && rev !== 'default' && !revisions.has(rev)) continue;
        }
        missing.push({pod, mesh});
      }
    }
    const findings: FindingDraft[] = [];
    for (const {subject, items} of groupBySubject(missing, (m) => ctx.workloads.ownerOf(m.pod)).values()) {
      const mesh = items[0].mesh;
      const names = items.map((m) => m.pod.metadata.name);
      findings.push({
        subject,
        message: `${names.length} pod(s) should carry the ${mesh} proxy but do not: ${nameList(names)}; restart them so the injector runs`,
        evidence: {mesh, pods: names.length, example: names[0]},
      });
    }
    return findings;
  },
});
