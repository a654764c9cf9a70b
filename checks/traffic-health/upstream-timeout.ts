/**
 * MD6008 — requests to a Service time out: Istio flag UT (504 after the route timeout), Linkerd
 * route statuses with RESPONSE_HEADERS_TIMEOUT or REQUEST_TIMEOUT per parent Service, Consul/OSM
 * `envoy_cluster_upstream_rq_timeout`. The route timeout is shorter than the callee's latency, or
 * the callee is too slow.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck} from '../../src/core/index.js';
import {enoughTraffic, flagFindings, percent, serviceFor, shareSeverity, window, windowSeconds} from '../../src/mesh/traffic-health.js';

const ENVOY = {signals: ['serviceClient']} as const;
const LINKERD = {signals: ['routeTimeouts']} as const;

export default defineCheck({
  id: 'MD6008',
  slug: 'upstream-timeout',
  title: 'requests to a Service complete within their route timeout',
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['istio', 'linkerd', 'consul', 'osm'],
  runtime: true,
  inputs: {anyOf: [ENVOY, LINKERD], optionalKinds: ['services']},
  anchor: 'none',
  *evaluate(ctx) {
    if (ctx.available(ENVOY)) yield* flagFindings(ctx, 'UT', ['istio', 'consul', 'osm'], 'upstream request timeout');
    if (!ctx.available(LINKERD)) return;
    for (const row of ctx.signals.get('routeTimeouts')?.rows ?? []) {
      const t = ctx.thresholds(row.namespace, row.service);
      if (!enoughTraffic(row.requests, windowSeconds(ctx), t) || row.timeouts < t.flags.minCount) continue;
      const share = row.timeouts / row.requests;
      const severity = shareSeverity(share, t);
      if (!severity) continue;
      const {subject} = serviceFor(ctx, row);
      const draft: FindingDraft = {
        subject,
        severity,
        message: `${percent(share)} of ${Math.round(row.requests)} requests to ${row.namespace}/${row.service} in the last ${window(ctx)} hit their route timeout (RESPONSE_HEADERS_TIMEOUT or REQUEST_TIMEOUT)`,
        evidence: {timeouts: Math.round(row.timeouts), requests: Math.round(row.requests), share: Number(share.toFixed(4)), mesh: row.mesh, window: window(ctx)},
      };
      yield draft;
    }
  },
});
