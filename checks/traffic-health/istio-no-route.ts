/**
 * MD6101 — Envoy found no route for requests (flag NR, 404, or no matching filter chain), reported
 * by the callers' sidecars and gateways. The subject is the destination Service when the metrics
 * name one, else the calling workload — typically an ingress gateway whose Gateway does not bind
 * the requested host (MD5102).
 */
import type {Subject} from '../../src/core/index.js';
import {defineCheck, subjectKey} from '../../src/core/index.js';
import {enoughTraffic, percent, serviceFor, shareSeverity, window, windowSeconds, workloadSubject} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD6101',
  slug: 'istio-no-route',
  title: 'Envoy finds a route for the requests callers send',
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['istio'],
  runtime: true,
  inputs: {signals: ['noRoute'], optionalKinds: ['services', 'deployments.apps', 'statefulsets.apps', 'daemonsets.apps']},
  anchor: 'none (Istio docs: NR → check VirtualService/DestinationRule)',
  *evaluate(ctx) {
    const groups = new Map<string, {subject: Subject; requests: number; noRoute: number; sources: Set<string>}>();
    for (const row of ctx.signals.get('noRoute')?.rows ?? []) {
      const subject = row.dstService && row.dstNamespace
        ? serviceFor(ctx, {namespace: row.dstNamespace, service: row.dstService}).subject
        : workloadSubject(ctx, row.srcNamespace, row.srcWorkload);
      const key = subjectKey(subject);
      const g = groups.get(key) ?? {subject, requests: 0, noRoute: 0, sources: new Set<string>()};
      g.requests += row.requests;
      g.noRoute += row.noRoute;
      if (row.noRoute > 0) g.sources.add(`${row.srcNamespace}/${row.srcWorkload}`);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const t = ctx.thresholds(g.subject.namespace, g.subject.name);
      if (!enoughTraffic(g.requests, windowSeconds(ctx), t) || g.noRoute < t.flags.minCount) continue;
      const share = g.noRoute / g.requests;
      const severity = shareSeverity(share, t);
      if (!severity) continue;
      const what = g.subject.kind === 'Service' ? `requests to ${g.subject.namespace}/${g.subject.name}` : `requests through ${g.subject.namespace}/${g.subject.name} (destination unknown)`;
      yield {
        subject: g.subject,
        severity,
        message: `${percent(share)} of ${Math.round(g.requests)} ${what} in the last ${window(ctx)} matched no route (NR, 404)`,
        evidence: {noRoute: Math.round(g.noRoute), requests: Math.round(g.requests), share: Number(share.toFixed(4)), sources: [...g.sources].slice(0, 3).join(','), window: window(ctx)},
      };
    }
  },
});
