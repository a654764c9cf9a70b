/**
 * MD6106 — a workload calls hosts outside the mesh registry through Istio's PassthroughCluster
 * (ALLOW_ANY): those calls work, but get no per-host telemetry, routing or policy.
 */
import {defineCheck} from '../../src/core/index.js';
import {window, workloadSubject} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD6106',
  slug: 'istio-egress-passthrough',
  title: 'workloads call external hosts through ServiceEntries, not PassthroughCluster',
  block: 'traffic-health',
  severity: 'info',
  meshes: ['istio'],
  runtime: true,
  inputs: {signals: ['egress'], optionalKinds: ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps']},
  anchor: 'none',
  *evaluate(ctx) {
    for (const row of ctx.signals.get('egress')?.rows ?? []) {
      if (row.passthrough < ctx.thresholds(row.namespace, row.workload).egress.minCount) continue;
      yield {
        subject: workloadSubject(ctx, row.namespace, row.workload),
        message: `${row.namespace}/${row.workload} sent ${Math.round(row.passthrough)} requests/connections to PassthroughCluster in the last ${window(ctx)}: hosts unknown to the mesh registry`,
        evidence: {passthrough: Math.round(row.passthrough), window: window(ctx)},
      };
    }
  },
});
