/**
 * MD6001 — a workload answers fewer requests successfully than its SLO. Istio and Linkerd: server
 * side per destination workload; Istio also as the callers saw it (reporter="source"), the only
 * place failures that never reached a pod appear — the worse of the two decides. Consul and OSM:
 * caller side per destination Service. Success is non-5xx (Linkerd: its classification).
 */
import type {CheckContext, FindingDraft, KubeObject, Severity, Subject, Thresholds} from '../../src/core/index.js';
import {defineCheck} from '../../src/core/index.js';
import {attributeThroughServices} from '../../src/core/golden.js';
import {annotationNumber, enoughTraffic, percent, serviceFor, servicesSelecting, SLO_ANNOTATION, window, windowSeconds, workloadObject, workloadSubject} from '../../src/mesh/traffic-health.js';

type Rate = {requests: number; successes: number};

function slo(t: Thresholds, objects: readonly (KubeObject | undefined)[]): {warn: number; error: number; annotated: boolean} {
  const annotated = annotationNumber(objects, SLO_ANNOTATION);
  if (annotated === undefined) return {warn: t.slo.successWarn, error: t.slo.successError, annotated: false};
  return {warn: annotated, error: Math.min(t.slo.successError, annotated), annotated: true};
}

function verdict(rate: number, s: {warn: number; error: number}): Severity | undefined {
  if (rate < s.error) return 'error';
  if (rate < s.warn) return 'warning';
  return undefined;
}

function judged(ctx: CheckContext, r: Rate | undefined, t: Thresholds): number | null {
  return r && r.requests > 0 && enoughTraffic(r.requests, windowSeconds(ctx), t) ? r.successes / r.requests : null;
}

function* workloads(ctx: CheckContext): Generator<FindingDraft> {
  const server = new Map<string, Rate & {mesh: string; kind?: string}>();
  const client = new Map<string, Rate>();
  for (const r of ctx.signals.get('inbound')?.rows ?? []) {
    const k = `${r.namespace}/${r.workload}`;
    const row = server.get(k) ?? {requests: 0, successes: 0, mesh: r.mesh, ...(r.kind ? {kind: r.kind} : {})};
    row.requests += r.requests;
    row.successes += r.successes;
    server.set(k, row);
  }
  // Client-side success only for Istio (docs/checks.md MD6001); Linkerd judges the server side.
  for (const r of ctx.signals.get('clientInbound')?.rows ?? []) {
    if (r.mesh !== 'istio') continue;
    const k = `${r.namespace}/${r.workload}`;
    const row = client.get(k) ?? {requests: 0, successes: 0};
    row.requests += r.requests;
    row.successes += r.successes;
    client.set(k, row);
  }
  // Callers' failures that never reached a pod (UH, UF, NR…) carry no destination workload: they count
  // against the workloads behind the Service they were sent to, exactly as the golden view counts them.
  const istioEdges = (ctx.signals.get('edges')?.rows ?? []).filter((e) => e.mesh === 'istio');
  if (istioEdges.length > 0) {
    const refs = [...new Set([...server.keys(), ...client.keys()])].map((k) => {
      const [namespace, workload] = k.split('/');
      return {namespace, workload, services: servicesSelecting(ctx, workloadObject(ctx, namespace, workload)).map((svc) => `${svc.metadata.namespace}/${svc.metadata.name}`)};
    });
    attributeThroughServices(client, istioEdges, refs);
  }
  for (const k of new Set([...server.keys(), ...client.keys()])) {
    const [namespace, name] = k.split('/');
    const t = ctx.thresholds(namespace, name);
    const s = judged(ctx, server.get(k), t);
    const c = judged(ctx, client.get(k), t);
    if (s === null && c === null) continue;
    const worst = Math.min(...[s, c].filter((v): v is number => v !== null));
    const object = workloadObject(ctx, namespace, name);
    const target = slo(t, [object, ...servicesSelecting(ctx, object)]);
    const severity = verdict(worst, target);
    if (!severity) continue;
    const subject: Subject = workloadSubject(ctx, namespace, name, server.get(k)?.kind);
    const side = c !== null && (s === null || c < s) ? 'as its callers saw them' : 'server side';
    const total = (c !== null && (s === null || c < s) ? client.get(k) : server.get(k))!.requests;
    yield {
      subject,
      severity,
      message: `${k}: ${percent(worst)} of ${Math.round(total)} requests succeeded in the last ${window(ctx)} (${side}); SLO ${percent(target.warn)}`,
      evidence: {
        successRate: s === null ? null : Number(s.toFixed(4)),
        clientSuccessRate: c === null ? null : Number(c.toFixed(4)),
        requests: Math.round(total),
        slo: target.warn,
        sloFrom: target.annotated ? SLO_ANNOTATION : 'thresholds',
        window: window(ctx),
      },
    };
  }
}

function* services(ctx: CheckContext): Generator<FindingDraft> {
  for (const row of ctx.signals.get('serviceClient')?.rows ?? []) {
    if (row.mesh !== 'consul' && row.mesh !== 'osm') continue;
    const t = ctx.thresholds(row.namespace, row.service);
    const rate = judged(ctx, {requests: row.requests, successes: row.successes ?? row.requests}, t);
    if (rate === null) continue;
    const {subject, service} = serviceFor(ctx, row);
    const target = slo(t, [service]);
    const severity = verdict(rate, target);
    if (!severity) continue;
    yield {
      subject,
      severity,
      message: `${row.namespace ? `${row.namespace}/` : ''}${row.service}: ${percent(rate)} of ${Math.round(row.requests)} requests succeeded in the last ${window(ctx)} (as callers saw them); SLO ${percent(target.warn)}`,
      evidence: {successRate: Number(rate.toFixed(4)), requests: Math.round(row.requests), slo: target.warn, mesh: row.mesh, window: window(ctx)},
    };
  }
}

export default defineCheck({
  id: 'MD6001',
  slug: 'success-rate-below-slo',
  title: 'workloads answer at least their SLO share of requests successfully',
  block: 'traffic-health',
  severity: 'warning',
  meshes: ['istio', 'linkerd', 'consul', 'osm'],
  runtime: true,
  inputs: {
    signals: ['clientInbound'],
    optionalSignals: ['edges'],
    anyOf: [{signals: ['inbound']}, {signals: ['serviceClient']}],
    optionalKinds: ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'services'],
  },
  anchor: 'none — gap (Kiali health default: 5xx ≥ 10 % = failure)',
  *evaluate(ctx) {
    if (ctx.available({signals: ['inbound']})) yield* workloads(ctx);
    if (ctx.available({signals: ['serviceClient']})) yield* services(ctx);
  },
});
