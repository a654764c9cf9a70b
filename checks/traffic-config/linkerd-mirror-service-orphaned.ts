/**
 * MD5209 — a mirror Service names, in `mirror.linkerd.io/cluster-name`, a cluster no Link targets
 * any more (`linkerd multicluster check`: l5d-multicluster-orphaned-services). Nothing updates it:
 * its endpoints point at whatever gateway address it last had, and no controller will delete it, so
 * clients keep resolving a name that leads to a stale or unreachable cluster. Typical after
 * `linkerd multicluster unlink` without deleting the mirrored Services, or a Link re-created under
 * another target name.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {isGatewayMirror, MIRRORED_SERVICE_LABEL, mirrorTarget} from '../../src/mesh/linkerd/multicluster.js';

export default defineCheck({
  id: 'MD5209',
  slug: 'linkerd-mirror-service-orphaned',
  title: 'every mirrored Service belongs to an existing Link',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {kinds: ['links.multicluster.linkerd.io', 'services']},
  anchor: 'l5d-multicluster-orphaned-services',
  evaluate(ctx) {
    const targets = new Set<string>();
    for (const link of ctx.objects.list('links.multicluster.linkerd.io')) {
      const target = link.spec?.targetClusterName;
      if (typeof target === 'string' && target !== '') targets.add(target);
    }
    const findings: FindingDraft[] = [];
    for (const svc of ctx.objects.list('services')) {
      if (svc.metadata.labels?.[MIRRORED_SERVICE_LABEL] !== 'true' || isGatewayMirror(svc)) continue;
      const target = mirrorTarget(svc);
      if (target === undefined || targets.has(target)) continue;
      findings.push({
        subject: subjectOf(svc),
        message: `mirror Service ${svc.metadata.namespace ?? 'default'}/${svc.metadata.name} comes from cluster ${target}, which no Link targets${targets.size ? ` (Links target ${[...targets].sort().join(', ')})` : ''}: nothing updates or removes it, and its clients reach a stale gateway`,
        evidence: {cluster: target, links: [...targets].sort().join(',') || null},
      });
    }
    return findings;
  },
});
