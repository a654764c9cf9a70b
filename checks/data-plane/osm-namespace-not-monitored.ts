/**
 * MD3401 — a namespace asks OSM for sidecar injection (`openservicemesh.io/sidecar-injection:
 * enabled`) but OSM does not watch it: the `openservicemesh.io/monitored-by` label is missing,
 * names a mesh no installed osm-controller runs (`--mesh-name`, default `osm`), or the namespace is
 * also labelled `openservicemesh.io/ignore`. Its pods start without Envoy.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {IGNORE_LABEL, injectionEnabled, installedMeshNames, MONITORED_BY} from '../../src/mesh/osm/mesh.js';

export default defineCheck({
  id: 'MD3401',
  slug: 'osm-namespace-not-monitored',
  title: 'namespaces that ask for OSM injection are monitored by an installed mesh',
  block: 'data-plane',
  severity: 'warning',
  meshes: ['osm'],
  inputs: {kinds: ['namespaces'], optionalKinds: ['deployments.apps']},
  anchor: 'none — gap',
  evaluate(ctx) {
    const meshes = installedMeshNames(ctx.objects);
    const findings: FindingDraft[] = [];
    for (const ns of ctx.objects.list('namespaces')) {
      if (!injectionEnabled(ns)) continue;
      const label = ns.metadata.labels?.[MONITORED_BY];
      let problem: string | undefined;
      if (label === undefined) problem = `has no ${MONITORED_BY} label`;
      else if (ns.metadata.labels?.[IGNORE_LABEL] !== undefined) problem = `is also labelled ${IGNORE_LABEL}, which makes OSM skip it`;
      else if (meshes.size > 0 && !meshes.has(label)) problem = `is labelled ${MONITORED_BY}=${label} while the installed mesh${meshes.size > 1 ? 'es are' : ' is'} ${[...meshes].join(', ')}`;
      if (!problem) continue;
      findings.push({
        subject: subjectOf(ns),
        message: `Namespace ${ns.metadata.name} enables OSM sidecar injection but ${problem}: its pods get no Envoy sidecar`,
        evidence: {monitoredBy: label ?? null, meshes: [...meshes].join(',') || null},
      });
    }
    return findings;
  },
});
