/**
 * MD1101 — an istiod replica did not answer /debug/syncz: refused, 401/403 (debug endpoint auth),
 * 404 (ENABLE_DEBUG_ON_HTTP=false) or timeout. Proxy sync checks then only see the proxies connected
 * to the replicas that answered, and the disconnected-proxy check cannot run.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, notApplicable} from '../../src/core/index.js';
import {synczNotApplicable} from '../../src/mesh/istio/syncz.js';

const HINT: Readonly<Record<string, string>> = {
  refused: 'nothing listens on the monitoring port (wrong prometheus.io/port, or a NetworkPolicy/firewall)',
  unauthorized: 'debug endpoints require authentication',
  forbidden: 'debug endpoint auth refused the caller (ENABLE_DEBUG_ENDPOINT_AUTH), or RBAC forbids pods/portforward',
  disabled: 'debug endpoints are disabled (ENABLE_DEBUG_ON_HTTP=false)',
  timeout: 'istiod did not answer in time (overloaded, or the port is filtered)',
  malformed: 'the answer was not syncz JSON',
  error: 'the request failed',
};

export default defineCheck({
  id: 'MD1101',
  slug: 'istiod-debug-unavailable',
  title: 'every running istiod replica answers /debug/syncz',
  block: 'cluster',
  severity: 'warning',
  meshes: ['istio'],
  runtime: true,
  inputs: {facts: ['istioSyncz'], kinds: ['pods']},
  anchor: 'none — gap (istio#30646, istio#52987)',
  evaluate(ctx) {
    const fact = ctx.facts.get('istioSyncz');
    const na = synczNotApplicable(ctx.mesh('istio')?.controlPlane, fact.value);
    if (na) return notApplicable(na);
    const findings: FindingDraft[] = [];
    for (const r of fact.value?.replicas ?? []) {
      if (r.state === 'ok') continue;
      const pod = fact.value?.direct ? undefined : ctx.objects.get('pods', r.namespace, r.pod);
      const subject = fact.value?.direct ? null : {kind: 'Pod', apiVersion: pod?.apiVersion ?? 'v1', namespace: r.namespace, name: r.pod};
      findings.push({
        subject,
        message: `istiod ${r.namespace}/${r.pod} did not answer /debug/syncz${r.port ? ` on port ${r.port}` : ''}: ${r.reason ?? 'unknown error'} — ${HINT[r.failure ?? 'error']}; proxy sync status covers only the other replicas`,
        evidence: {failure: r.failure ?? 'error', status: r.status ?? null, port: r.port ?? null, revision: r.revision ?? null},
      });
    }
    return findings;
  },
});
