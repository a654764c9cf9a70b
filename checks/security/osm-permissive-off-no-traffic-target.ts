/**
 * MD4401 — OSM runs with permissive traffic policy off (MeshConfig `osm-mesh-config`
 * `spec.traffic.enablePermissiveTrafficPolicyMode: false`), so only SMI TrafficTargets open paths
 * between services, and a Service whose meshed pods run as a ServiceAccount that no TrafficTarget
 * (in that namespace) names as destination accepts no traffic at all.
 */
import type {FindingDraft, Service} from '../../src/core/index.js';
import {defineCheck, notApplicable, skipped, subjectOf} from '../../src/core/index.js';
import {MESH_CONFIG, monitored, osmDataPlanePod, permissiveMode} from '../../src/mesh/osm/mesh.js';
import {podActive} from '../../src/mesh/pods.js';

export default defineCheck({
  id: 'MD4401',
  slug: 'osm-permissive-off-no-traffic-target',
  title: 'with OSM permissive mode off, every meshed Service is the destination of a TrafficTarget',
  block: 'security',
  severity: 'warning',
  meshes: ['osm'],
  inputs: {
    kinds: ['meshconfigs.config.openservicemesh.io', 'services', 'pods', 'namespaces'],
    optionalKinds: ['traffictargets.access.smi-spec.io'],
  },
  anchor: 'none — gap (osm policy check-pods)',
  evaluate(ctx) {
    const osm = ctx.mesh('osm')!;
    const config = ctx.objects.get('meshconfigs.config.openservicemesh.io', osm.namespace, MESH_CONFIG) ?? ctx.objects.list('meshconfigs.config.openservicemesh.io').find((m) => m.metadata.name === MESH_CONFIG);
    if (!config) return skipped(`MeshConfig ${osm.namespace}/${MESH_CONFIG} not found (MD2001 reports it)`);
    if (permissiveMode(config)) return notApplicable('OSM permissive traffic policy mode is on: no TrafficTarget is needed');
    const destinations = new Set<string>();
    for (const tt of ctx.objects.list('traffictargets.access.smi-spec.io')) {
      const d = tt.spec.destination;
      const ns = tt.metadata.namespace ?? 'default';
      if (d?.kind === 'ServiceAccount' && (d.namespace ?? ns) === ns) destinations.add(`${ns}/${d.name}`);
    }
    const findings: FindingDraft[] = [];
    for (const svc of ctx.objects.list('services') as readonly Service[]) {
      const selector = svc.spec.selector;
      if (!selector || Object.keys(selector).length === 0) continue;
      const ns = svc.metadata.namespace ?? 'default';
      const namespace = ctx.objects.get('namespaces', undefined, ns);
      if (!monitored(namespace)) continue;
      const pods = ctx.objects.select('pods', ns, selector).filter((p) => podActive(p) && osmDataPlanePod(p, namespace, ctx.mode));
      const accounts = [...new Set(pods.map((p) => p.spec.serviceAccountName ?? 'default'))];
      const uncovered = accounts.filter((a) => !destinations.has(`${ns}/${a}`));
      if (accounts.length === 0 || uncovered.length === 0) continue;
      findings.push({
        subject: subjectOf(svc),
        message: `Service ${ns}/${svc.metadata.name}: permissive mode is off and no TrafficTarget in ${ns} has ServiceAccount ${uncovered.join(', ')} as destination, so all inbound traffic to it is denied`,
        evidence: {serviceAccounts: uncovered.join(','), meshConfig: `${config.metadata.namespace}/${config.metadata.name}`},
      });
    }
    return findings;
  },
});
