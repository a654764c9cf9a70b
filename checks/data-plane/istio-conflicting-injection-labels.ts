/**
 * MD3102 — injection labels that contradict each other (IST0123, KIA1311/1316): a namespace with
 * both `istio-injection=enabled` and `istio.io/rev` (the injector for `default` wins and the revision
 * label is ignored), a namespace enrolled in ambient mode that also asks for sidecars, or a pod that
 * runs a sidecar while labelled for ambient (traffic is captured twice or not at all).
 * `istio.io/rev` on an ambient namespace is legitimate: it selects the ambient revision.
 */
import type {FindingDraft, Pod, Subject} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList, subjectOf} from '../../src/core/index.js';
import {proxyContainer} from '../../src/mesh/markers.js';

export default defineCheck({
  id: 'MD3102',
  slug: 'istio-conflicting-injection-labels',
  title: 'namespaces and pods carry one consistent Istio data-plane mode',
  block: 'data-plane',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['namespaces', 'pods']},
  anchor: 'IST0123; KIA1311, KIA1316',
  evaluate(ctx) {
    const findings: FindingDraft[] = [];
    for (const ns of ctx.objects.list('namespaces')) {
      const l = ns.metadata.labels ?? {};
      const injection = l['istio-injection'];
      const rev = l['istio.io/rev'];
      const ambient = l['istio.io/dataplane-mode'] === 'ambient';
      if (injection === 'enabled' && rev !== undefined) {
        findings.push({
          subject: subjectOf(ns),
          message: `namespace ${ns.metadata.name} has both istio-injection=enabled and istio.io/rev=${rev}: the default injector wins and the revision label is ignored`,
          evidence: {'istio-injection': injection, 'istio.io/rev': rev},
        });
      } else if (ambient && injection === 'enabled') {
        findings.push({
          subject: subjectOf(ns),
          message: `namespace ${ns.metadata.name} is enrolled in ambient mode (istio.io/dataplane-mode=ambient) and also asks for sidecar injection (istio-injection=enabled)`,
          evidence: {'istio-injection': injection, 'istio.io/dataplane-mode': 'ambient'},
        });
      }
    }
    const pods: {pod: Pod; subject: Subject}[] = [];
    for (const pod of ctx.objects.list('pods')) {
      if (pod.metadata.labels?.['istio.io/dataplane-mode'] === 'ambient' && proxyContainer(pod, 'istio')) pods.push({pod, subject: ctx.workloads.ownerOf(pod)});
    }
    for (const {subject, items} of groupBySubject(pods, (p) => p.subject).values()) {
      findings.push({
        subject,
        message: `${items.length} pod(s) run an istio-proxy sidecar but are labelled istio.io/dataplane-mode=ambient: ${nameList(items.map((i) => i.pod.metadata.name))}`,
        evidence: {pods: items.length, example: items[0].pod.metadata.name},
      });
    }
    return findings;
  },
});
