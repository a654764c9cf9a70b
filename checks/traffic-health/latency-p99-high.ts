/**
 * MD6002 — a workload's p99 request duration (from the histogram's bucket rates, as Prometheus
 * interpolates them) is above its threshold. Istio and Linkerd: server side per workload; Consul
 * and OSM: caller side per Service. The defaults (1 s / 5 s) sit on bucket boundaries of all four
 * meshes' default histograms.
 */
import type {CheckContext, FindingDraft} from '../../src/core/index.js';
import {defineCheck} from '../../src/core/index.js';
import {annotationMs, enoughTraffic, P99_ANNOTATION, serviceFor, servicesSelecting, window, windowSeconds, workloadObject, workloadSubject} from '../../src/mesh/traffic-health.js';

function requestsBy(ctx: CheckContext): Map<string, number> {
  const out = new Map<string, number>();
  if (ctx.available({signals: ['inbound']})) {
    for (const r of ctx.signals.get('inbound')?.rows ?? []) out.set(`${r.namespace}/${r.workload}`, (out.get(`${r.namespace}/${r.workload}`) ?? 0) + r.requests);
  }
  if (ctx.available({signals: ['serviceClient']})) {
    for (const r of ctx.signals.get('serviceClient')?.rows ?? []) {
      if (r.mesh === 'consul' || r.mesh === 'osm') out.set(`svc:${r.namespace ?? ''}/${r.service}`, (out.get(`svc:${r.namespace ?? ''}/${r.service}`) ?? 0) + r.requests);
    }
  }
  return out;
}

export default defineCheck({
  id: 'MD6002',
  slug: 'latency-p99-high',
  title: "workloads answer 99 % of requests within their latency threshold",
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['istio', 'linkerd', 'consul', 'osm'],
  runtime: true,
  inputs: {
    signals: ['latency'],
    anyOf: [{signals: ['inbound']}, {signals: ['serviceClient']}],
    optionalKinds: ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'services'],
  },
  anchor: 'none — gap',
  *evaluate(ctx) {
    const requests = requestsBy(ctx);
    for (const row of ctx.signals.get('latency')?.rows ?? []) {
      const p99 = row.latencyMs.p99;
      if (p99 === null) continue;
      const perWorkload = row.workload !== undefined && row.namespace !== undefined;
      const key = perWorkload ? `${row.namespace}/${row.workload}` : `svc:${row.namespace ?? ''}/${row.service}`;
      const t = ctx.thresholds(row.namespace, row.workload ?? row.service);
      if (!enoughTraffic(requests.get(key) ?? 0, windowSeconds(ctx), t)) continue;
      let subject;
      let objects;
      if (perWorkload) {
        const object = workloadObject(ctx, row.namespace!, row.workload!);
        subject = workloadSubject(ctx, row.namespace!, row.workload!);
        objects = [object, ...servicesSelecting(ctx, object)];
      } else {
        const s = serviceFor(ctx, {namespace: row.namespace, service: row.service ?? ''});
        subject = s.subject;
        objects = [s.service];
      }
      const annotated = annotationMs(objects, P99_ANNOTATION);
      const warnMs = annotated ?? t.latency.p99WarnMs;
      const errorMs = annotated !== undefined ? annotated * 5 : t.latency.p99ErrorMs;
      const severity = p99 > errorMs ? 'error' : p99 > warnMs ? 'warning' : undefined;
      if (!severity) continue;
      const draft: FindingDraft = {
        subject,
        severity,
        message: `${key.replace(/^svc:\/?/, '')}: p99 request duration ${Math.round(p99)} ms in the last ${window(ctx)}, above ${warnMs} ms`,
        evidence: {p99Ms: Math.round(p99), p95Ms: row.latencyMs.p95 === null ? null : Math.round(row.latencyMs.p95), p50Ms: row.latencyMs.p50 === null ? null : Math.round(row.latencyMs.p50),
          thresholdMs: warnMs, thresholdFrom: annotated !== undefined ? P99_ANNOTATION : 'thresholds', requests: Math.round(requests.get(key) ?? 0), window: window(ctx)},
      };
      yield draft;
    }
  },
});
