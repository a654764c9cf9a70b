/**
 * MD2301 — the Consul server StatefulSet has lost Raft quorum (fewer than ⌊n/2⌋+1 ready servers:
 * error) or runs below its desired size (warning). Without quorum the catalog, intentions and
 * config entries cannot change, and new proxies cannot be registered. Clusters using external
 * servers (no server StatefulSet) are not applicable.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, nameList, notApplicable, subjectOf} from '../../src/core/index.js';
import {podProblem, podReady} from '../../src/mesh/readiness.js';

export default defineCheck({
  id: 'MD2301',
  slug: 'consul-servers-not-ready',
  title: 'the Consul servers hold Raft quorum and run at their desired size',
  block: 'control-plane',
  severity: 'error',
  meshes: ['consul'],
  runtime: true,
  inputs: {kinds: ['statefulsets.apps'], optionalKinds: ['pods']},
  anchor: 'none — gap (consul-k8s status)',
  evaluate(ctx) {
    const servers = ctx.objects.select('statefulsets.apps', undefined, {app: 'consul', component: 'server'});
    if (servers.length === 0) return notApplicable('no Consul server StatefulSet in the cluster (external servers)');
    const findings: FindingDraft[] = [];
    for (const sts of servers) {
      const desired = sts.spec.replicas ?? 1;
      const ready = sts.status?.readyReplicas ?? 0;
      if (ready >= desired) continue;
      const quorum = Math.floor(desired / 2) + 1;
      const notReady = ctx.objects.select('pods', sts.metadata.namespace, sts.spec.selector ?? {app: 'consul', component: 'server'}).filter((p) => !podReady(p));
      const lost = ready < quorum;
      findings.push({
        subject: subjectOf(sts),
        severity: lost ? 'error' : 'warning',
        message: lost
          ? `Consul servers ${sts.metadata.namespace}/${sts.metadata.name}: ${ready} of ${desired} ready, below the Raft quorum of ${quorum}: the catalog and config entries cannot change${notReady.length ? ` (${nameList(notReady.map(podProblem), 3)})` : ''}`
          : `Consul servers ${sts.metadata.namespace}/${sts.metadata.name}: ${ready} of ${desired} ready; quorum (${quorum}) holds but one more failure may lose it${notReady.length ? ` (${nameList(notReady.map(podProblem), 3)})` : ''}`,
        evidence: {desired, ready, quorum, pods: nameList(notReady.map((p) => p.metadata.name)) || null},
      });
    }
    return findings;
  },
});
