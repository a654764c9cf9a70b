/**
 * MD6201 — a workload's proxy refused requests or connections by authorization policy (HTTP 403,
 * gRPC PermissionDenied, TCP close): a client the policy does not name, a missing
 * AuthorizationPolicy (MD5202), a policy Linkerd ignores (MD5203), or Prometheus itself (MD1201).
 */
import {defineCheck} from '../../src/core/index.js';
import {window, workloadSubject} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD6201',
  slug: 'linkerd-authorization-denials',
  title: 'Linkerd proxies authorise the requests their workloads receive',
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {signals: ['authzDenials'], optionalKinds: ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps']},
  anchor: 'none — gap',
  *evaluate(ctx) {
    for (const row of ctx.signals.get('authzDenials')?.rows ?? []) {
      if (row.count < ctx.thresholds(row.namespace, row.workload).flags.minCount) continue;
      yield {
        subject: workloadSubject(ctx, row.namespace, row.workload),
        message: `${row.namespace}/${row.workload} refused ${Math.round(row.count)} requests/connections by authorization policy in the last ${window(ctx)}${row.detail ? ` (${row.detail})` : ''}`,
        evidence: {denied: Math.round(row.count), detail: row.detail ?? null, window: window(ctx)},
      };
    }
  },
});
