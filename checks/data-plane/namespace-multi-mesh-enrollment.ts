/**
 * MD3001 — a namespace is enrolled in two meshes, or a pod runs two meshes' proxies. Both proxies
 * intercept the same traffic; requests loop, fail TLS, or bypass one mesh's policy entirely.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList, subjectOf} from '../../src/core/index.js';
import {namespaceMarkers, proxyMeshes} from '../../src/mesh/markers.js';

export default defineCheck({
  id: 'MD3001',
  slug: 'namespace-multi-mesh-enrollment',
  title: 'every namespace and pod belongs to at most one mesh',
  block: 'data-plane',
  severity: 'error',
  meshes: 'any',
  inputs: {kinds: ['namespaces', 'pods']},
  evaluate(ctx) {
    const findings: FindingDraft[] = [];
    for (const ns of ctx.objects.list('namespaces')) {
      const meshes = namespaceMarkers(ns);
      if (meshes.length >= 2) {
        findings.push({subject: subjectOf(ns), message: `namespace ${ns.metadata.name} is enrolled in ${meshes.join(' and ')} at once`, evidence: {meshes: meshes.join(',')}});
      }
    }
    const doubled = ctx.objects.list('pods').filter((p) => proxyMeshes(p).length >= 2);
    for (const {subject, items} of groupBySubject(doubled, (p) => ctx.workloads.ownerOf(p)).values()) {
      const meshes = proxyMeshes(items[0]);
      findings.push({
        subject,
        message: `${items.length} pod(s) run the proxies of ${meshes.join(' and ')} side by side: ${nameList(items.map((p) => p.metadata.name))}`,
        evidence: {meshes: meshes.join(','), pods: items.length},
      });
    }
    return findings;
  },
});
