/**
 * MD1001 — the collector was denied (HTTP 401/403) on kinds that checks need. Those checks were
 * skipped or ran on partial data, so a clean report would be a false all-clear. meshdoctor learns
 * permissions from the 403s it meets; it never sends SelfSubjectAccessReviews (GET only).
 */
import {declaredKinds, defineCheck, nameList} from '../../src/core/index.js';
import type {FindingDraft} from '../../src/core/index.js';

export default defineCheck({
  id: 'MD1001',
  slug: 'kube-rbac-incomplete',
  title: 'meshdoctor can read every kind the selected checks need',
  block: 'cluster',
  severity: 'warning',
  meshes: 'any',
  inputs: {accessLog: true},
  anchor: 'none (k9s degrade-not-crash)',
  *evaluate(ctx) {
    const seen = new Set<string>();
    for (const d of ctx.accessDenials) {
      const scope = d.namespace ? `in ${d.namespace}` : 'cluster-wide';
      const key = `${d.verb} ${d.resource} ${scope}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const affected = ctx.selectedChecks.filter((c) => declaredKinds(c.inputs).has(d.resource)).map((c) => c.id).sort();
      const consumers = affected.length > 0 ? `checks affected: ${nameList(affected, 8)}` : 'needed for mesh detection and scope';
      const draft: FindingDraft = {
        subject: null,
        message: `${d.status === 401 ? 'unauthorised' : 'forbidden'}: ${d.verb} ${d.resource} ${scope}; ${consumers}`,
        evidence: {verb: d.verb, resource: d.resource, namespace: d.namespace ?? null, status: d.status, checks: affected.join(',')},
      };
      yield draft;
    }
  },
});
