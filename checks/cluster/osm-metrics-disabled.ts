/**
 * MD1401 — an OSM-monitored namespace is not annotated `openservicemesh.io/metrics: enabled`, so
 * OSM does not add Prometheus scrape annotations to its pods and their Envoy metrics are never
 * collected (osm-docs metrics troubleshooting). Information only: metrics are opt-in in OSM.
 * Namespaces labelled for a mesh name no osm-controller runs, or ignored, are left to MD3401.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {installedMeshNames, METRICS_ANNOTATION, MONITORED_BY, monitored} from '../../src/mesh/osm/mesh.js';

export default defineCheck({
  id: 'MD1401',
  slug: 'osm-metrics-disabled',
  title: 'OSM-monitored namespaces have metrics enabled',
  block: 'cluster',
  severity: 'info',
  meshes: ['osm'],
  inputs: {kinds: ['namespaces'], optionalKinds: ['deployments.apps']},
  anchor: 'none — gap (osm-docs metrics troubleshooting)',
  evaluate(ctx) {
    // Namespaces labelled for a mesh that is not installed (or ignored) are MD3401's business.
    const meshes = installedMeshNames(ctx.objects);
    const findings: FindingDraft[] = [];
    for (const ns of ctx.objects.list('namespaces')) {
      const mesh = ns.metadata.labels?.[MONITORED_BY];
      if (mesh === undefined || !monitored(ns) || (meshes.size > 0 && !meshes.has(mesh))) continue;
      if (ns.metadata.annotations?.[METRICS_ANNOTATION] === 'enabled') continue;
      findings.push({
        subject: subjectOf(ns),
        message: `Namespace ${ns.metadata.name} is monitored by OSM mesh ${mesh} but not annotated ${METRICS_ANNOTATION}: enabled, so its proxies are not scraped`,
        evidence: {mesh},
      });
    }
    return findings;
  },
});
