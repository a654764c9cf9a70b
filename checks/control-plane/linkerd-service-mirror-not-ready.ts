/**
 * MD2205 — a Linkerd multicluster Link has no running service-mirror controller: none, more than
 * one, or one without an available replica (l5d-multicluster-service-mirror-running); info when
 * the Link is still served by the legacy `service-mirror` controller instead of the chart-managed
 * `controller` (l5d-multicluster-managed-controllers). Without its controller a Link's mirror
 * Services stop following the remote cluster: new exported Services never appear, deleted ones
 * stay, endpoint and gateway address changes are not applied, and gateway probes stop. Traffic on
 * existing mirrors keeps flowing while the gateway address holds, hence a warning.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, nameList, subjectOf} from '../../src/core/index.js';
import {LEGACY_MIRROR_COMPONENT, serviceMirrorSelector} from '../../src/mesh/linkerd/multicluster.js';

export default defineCheck({
  id: 'MD2205',
  slug: 'linkerd-service-mirror-not-ready',
  title: 'every Linkerd multicluster Link has one running service-mirror controller',
  block: 'control-plane',
  severity: 'warning',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {kinds: ['links.multicluster.linkerd.io', 'deployments.apps']},
  anchor: 'l5d-multicluster-service-mirror-running, l5d-multicluster-managed-controllers',
  evaluate(ctx) {
    const findings: FindingDraft[] = [];
    for (const link of ctx.objects.list('links.multicluster.linkerd.io')) {
      const target = typeof link.spec?.targetClusterName === 'string' && link.spec.targetClusterName !== '' ? link.spec.targetClusterName : link.metadata.name;
      const controllers = ctx.objects.select('deployments.apps', undefined, serviceMirrorSelector(target));
      const names = controllers.map((d) => `${d.metadata.namespace ?? 'default'}/${d.metadata.name}`);
      const evidence = {cluster: target, controllers: nameList(names) || null};
      if (controllers.length === 0) {
        findings.push({subject: subjectOf(link), message: `Link ${link.metadata.name} (cluster ${target}) has no service-mirror controller Deployment: its mirror Services no longer follow ${target}`, evidence});
      } else if (controllers.length > 1) {
        findings.push({subject: subjectOf(link), message: `Link ${link.metadata.name} (cluster ${target}) has ${controllers.length} service-mirror controllers (${nameList(names)}): they fight over the same mirror Services`, evidence});
      } else {
        const d = controllers[0];
        const available = typeof d.status?.availableReplicas === 'number' ? d.status.availableReplicas : 0;
        if (available < 1) {
          const why = d.spec?.replicas === 0 ? 'is scaled to zero' : 'has no available replica';
          findings.push({subject: subjectOf(link), message: `Link ${link.metadata.name} (cluster ${target}): service-mirror controller ${names[0]} ${why}: its mirror Services no longer follow ${target}`, evidence});
        } else if (d.metadata.labels?.component === LEGACY_MIRROR_COMPONENT) {
          findings.push({subject: subjectOf(link), severity: 'info', message: `Link ${link.metadata.name} (cluster ${target}) is served by the legacy service-mirror controller ${names[0]}, not one managed by the multicluster extension (controllers: in its values)`, evidence});
        }
      }
    }
    return findings;
  },
});
