/**
 * MD3103 — a namespace or pod asks for an Istio revision (or tag) that no injector webhook serves:
 * new pods are created without a sidecar (the revisioned webhook's selector matches nothing), and
 * with a STRICT mesh they cannot talk to anyone. Typical after removing an old revision.
 */
import type {FindingDraft, Pod, Subject} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList, subjectOf} from '../../src/core/index.js';

export default defineCheck({
  id: 'MD3103',
  slug: 'istio-revision-not-found',
  title: 'every requested Istio revision or tag has an injector',
  block: 'data-plane',
  severity: 'error',
  meshes: ['istio'],
  inputs: {kinds: ['namespaces', 'pods', 'mutatingwebhookconfigurations.admissionregistration.k8s.io']},
  anchor: 'IST0124 (retired upstream)',
  evaluate(ctx) {
    const served = new Set<string>();
    for (const mwc of ctx.objects.list('mutatingwebhookconfigurations.admissionregistration.k8s.io')) {
      const l = mwc.metadata.labels ?? {};
      if (l['istio.io/rev']) served.add(l['istio.io/rev']);
      if (l['istio.io/tag']) served.add(l['istio.io/tag']);
    }
    const known = [...served].sort().join(',') || null;
    const findings: FindingDraft[] = [];
    const reportedNs = new Set<string>();
    for (const ns of ctx.objects.list('namespaces')) {
      const l = ns.metadata.labels ?? {};
      const rev = l['istio.io/rev'];
      if (!rev || l['istio-injection'] === 'disabled' || served.has(rev)) continue;
      reportedNs.add(ns.metadata.name);
      findings.push({
        subject: subjectOf(ns),
        message: `namespace ${ns.metadata.name} asks for Istio revision "${rev}" (istio.io/rev) but no injector webhook is labelled istio.io/rev or istio.io/tag=${rev}: new pods start without a sidecar`,
        evidence: {revision: rev, knownRevisions: known},
      });
    }
    // Pods carry istio.io/rev after injection too: only a label on a pod without a sidecar asks for one.
    const pods: {pod: Pod; rev: string; subject: Subject}[] = [];
    for (const pod of ctx.objects.list('pods')) {
      const rev = pod.metadata.labels?.['istio.io/rev'];
      if (!rev || served.has(rev) || reportedNs.has(pod.metadata.namespace ?? '')) continue;
      if (pod.spec.containers.some((c) => c.name === 'istio-proxy')) continue;
      pods.push({pod, rev, subject: ctx.workloads.ownerOf(pod)});
    }
    for (const {subject, items} of groupBySubject(pods, (p) => p.subject).values()) {
      findings.push({
        subject,
        message: `${items.length} pod(s) ask for Istio revision "${items[0].rev}" but no injector serves it: ${nameList(items.map((i) => i.pod.metadata.name))}`,
        evidence: {revision: items[0].rev, knownRevisions: known, pods: items.length},
      });
    }
    return findings;
  },
});
