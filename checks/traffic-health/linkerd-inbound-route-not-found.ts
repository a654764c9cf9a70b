/**
 * MD6202 — requests to a workload matched no HTTPRoute attached to its Server, and its proxy
 * answered 404: a route's match is too narrow, or the route attaches to another Server or port.
 */
import {defineCheck} from '../../src/core/index.js';
import {window, workloadSubject} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD6202',
  slug: 'linkerd-inbound-route-not-found',
  title: "requests to Linkerd workloads match one of their Servers' routes",
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['linkerd'],
  runtime: true,
  inputs: {signals: ['routeNotFound'], optionalKinds: ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps']},
  anchor: 'none — gap',
  *evaluate(ctx) {
    for (const row of ctx.signals.get('routeNotFound')?.rows ?? []) {
      if (row.count < ctx.thresholds(row.namespace, row.workload).flags.minCount) continue;
      yield {
        subject: workloadSubject(ctx, row.namespace, row.workload),
        message: `${Math.round(row.count)} requests to ${row.namespace}/${row.workload} in the last ${window(ctx)} matched no route of its Server (404 from the proxy)${row.detail ? ` (${row.detail})` : ''}`,
        evidence: {notFound: Math.round(row.count), detail: row.detail ?? null, window: window(ctx)},
      };
    }
  },
});
