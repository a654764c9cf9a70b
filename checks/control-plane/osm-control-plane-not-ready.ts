/**
 * MD2401 — an OSM control-plane Deployment (osm-controller, osm-injector, osm-bootstrap) has no
 * available replica. Without the controller, proxies get no configuration or certificates; without
 * the injector, new pods start without Envoy; without bootstrap, CRD conversion and the MeshConfig
 * are not maintained.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, nameList, subjectOf} from '../../src/core/index.js';
import {CONTROL_PLANE_APPS} from '../../src/mesh/osm/mesh.js';
import {podProblem, podReady} from '../../src/mesh/readiness.js';

export default defineCheck({
  id: 'MD2401',
  slug: 'osm-control-plane-not-ready',
  title: 'the OSM controller, injector and bootstrap have available replicas',
  block: 'control-plane',
  severity: 'error',
  meshes: ['osm'],
  runtime: true,
  inputs: {kinds: ['deployments.apps'], optionalKinds: ['pods']},
  anchor: 'none — gap (osm verify control-plane-health)',
  evaluate(ctx) {
    const graceMs = ctx.thresholds().grace.statusSeconds * 1000;
    const findings: FindingDraft[] = [];
    for (const app of CONTROL_PLANE_APPS) {
      for (const d of ctx.objects.select('deployments.apps', undefined, {app})) {
        if (d.spec.replicas === 0 || (d.status?.availableReplicas ?? 0) > 0) continue;
        const created = Date.parse(d.metadata.creationTimestamp ?? '');
        if (!Number.isNaN(created) && ctx.now.getTime() - created < graceMs) continue;
        const pods = ctx.objects.select('pods', d.metadata.namespace, d.spec.selector ?? {app}).filter((p) => !podReady(p));
        findings.push({
          subject: subjectOf(d),
          message: `OSM ${app} Deployment ${d.metadata.namespace}/${d.metadata.name} has no available replica${pods.length ? ` (${nameList(pods.map(podProblem), 3)})` : ''}`,
          evidence: {app, desired: d.spec.replicas ?? 1, available: d.status?.availableReplicas ?? 0},
        });
      }
    }
    return findings;
  },
});
