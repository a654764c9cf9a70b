/**
 * MD6105 — a workload's calls go to Istio's BlackHoleCluster: with `outboundTrafficPolicy:
 * REGISTRY_ONLY` (or a Sidecar egress list) Envoy drops calls to hosts that have no ServiceEntry.
 */
import {defineCheck} from '../../src/core/index.js';
import {window, workloadSubject} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD6105',
  slug: 'istio-egress-blackhole',
  title: "workloads' outbound calls are not dropped by REGISTRY_ONLY egress",
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['istio'],
  runtime: true,
  inputs: {signals: ['egress'], optionalKinds: ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps']},
  anchor: 'none (KIA1007 related)',
  *evaluate(ctx) {
    for (const row of ctx.signals.get('egress')?.rows ?? []) {
      if (row.blackhole < ctx.thresholds(row.namespace, row.workload).egress.minCount) continue;
      yield {
        subject: workloadSubject(ctx, row.namespace, row.workload),
        message: `${row.namespace}/${row.workload} sent ${Math.round(row.blackhole)} requests/connections to BlackHoleCluster in the last ${window(ctx)}: Envoy dropped calls to hosts without a ServiceEntry`,
        evidence: {blackhole: Math.round(row.blackhole), window: window(ctx)},
      };
    }
  },
});
