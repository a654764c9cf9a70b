/**
 * A finding's context in words and as data: the routes (with weights) that send traffic to its
 * pods, the callers and how many of their requests fail, and the change that preceded it — for
 * `describe`, the printed runbook and the TUI. Pure.
 */
import type {EnvoyHost} from '../mesh/envoy/admin.js';
import {ruleLabel} from '../mesh/routes-to.js';
import type {FindingContext} from './finding-context.js';

/** What a failing caller's Envoy sees of the upstream: its endpoints, their health, and outlier ejections. */
export type CallerEnvoy = Readonly<{
  namespace: string;
  pod: string;
  endpoints: readonly Readonly<{cluster: string; address: string; eds: string; ejected: boolean; requests: number; connectFailures: number}>[];
  /** Why it could not be read. */
  error?: string;
}>;

/** The upstreams a caller's Envoy has clusters for: the Services it sent the failing requests to (else the context's Services). */
export function upstreamHosts(context: FindingContext, clusterDomain = 'cluster.local', caller = context.callers.find((c) => c.failing > 0)): string[] {
  const subject = context.subject;
  const services = caller?.services.length ? caller.services.map((s) => ({namespace: s.split('/')[0], name: s.split('/')[1]}))
    : subject?.kind === 'Service' ? [subject] : context.services.map((s) => ({namespace: s.metadata.namespace, name: s.metadata.name}));
  return services.map((s) => `${s.name}.${s.namespace}.svc.${clusterDomain}`);
}

export function callerEnvoy(namespace: string, pod: string, hosts: readonly EnvoyHost[], upstreams: readonly string[]): CallerEnvoy {
  const mine = hosts.filter((h) => upstreams.some((u) => h.cluster.endsWith(`|${u}`)));
  return {namespace, pod, endpoints: mine.map((h) => ({cluster: h.cluster, address: `${h.address}:${h.port}`, eds: h.health.eds, ejected: h.health.outlier, requests: h.stats.rq_total ?? 0, connectFailures: h.stats.cx_connect_fail ?? 0}))};
}

/** `frontend-1's Envoy sees 0 of 1 endpoint(s) healthy: 10.0.0.15:8080 HEALTHY, ejected by outlier detection`. */
export function callerEnvoyText(c: CallerEnvoy): string {
  if (c.error) return `${c.pod}'s Envoy could not be read: ${c.error}`;
  if (c.endpoints.length === 0) return `${c.pod}'s Envoy has no endpoint for it (requests fail with UH, or its Sidecar resource hides the Service)`;
  const healthy = c.endpoints.filter((e) => e.eds === 'HEALTHY' && !e.ejected).length;
  return `${c.pod}'s Envoy sees ${healthy} of ${c.endpoints.length} endpoint(s) healthy: ${c.endpoints.slice(0, 4).map((e) => `${e.address} ${e.eds}${e.ejected ? ', ejected by outlier detection' : ''}`).join('; ')}`;
}

/** The routes that send traffic to these pods, the callers, and the change before now: the finding context of the target. */
export type Traffic = Readonly<{
  routes: readonly Readonly<{route: string; kind: string; namespace: string; name: string; rule: string; conditional: boolean; weights: readonly Readonly<{host: string; subset?: string; service?: string; share: number; weight?: number; here: boolean}>[]}>[];
  callers: readonly Readonly<{namespace: string; workload: string; rps: number; failingRps: number; flags: readonly string[]}>[];
  precededBy?: Readonly<{at: string; kind: string; text: string}>;
  callerEnvoy?: CallerEnvoy;
}>;

export function trafficOf(context: FindingContext, envoy?: CallerEnvoy): Traffic {
  // A destination is "here" when its Service selects these pods.
  const here = new Set(context.services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
  return {
    routes: context.routes.map((r) => ({
      route: ruleLabel(r), kind: r.kind, namespace: r.namespace, name: r.name, rule: r.rule, conditional: r.conditional,
      weights: r.destinations.map((d) => ({host: d.host, ...(d.subset ? {subset: d.subset} : {}), ...(d.service ? {service: d.service} : {}), share: Math.round(d.share * 10) / 10, ...(d.weight !== undefined ? {weight: d.weight} : {}), here: d.service !== undefined && here.has(d.service)})),
    })),
    callers: context.callers.map((c) => ({namespace: c.namespace, workload: c.workload, rps: Number(c.rps.toFixed(3)), failingRps: Number(c.failing.toFixed(3)), flags: c.flags})),
    ...(context.precededBy ? {precededBy: {at: new Date(context.precededBy.t).toISOString(), kind: context.precededBy.kind, text: context.precededBy.text}} : {}),
    ...(envoy ? {callerEnvoy: envoy} : {}),
  };
}

/** Indented lines for text output (describe). */
export function trafficLines(t: Traffic, now: number): string[] {
  const lines: string[] = [];
  if (t.routes.length === 0) lines.push('  traffic to it: no VirtualService or HTTPRoute routes to its Services (plain Service routing)');
  else lines.push('  traffic to it:');
  for (const r of t.routes) {
    const weights = r.weights.map((w) => `${w.share}% ${w.host}${w.subset ? ` (subset ${w.subset})` : ''}${w.here ? ' ← these pods' : ''}`).join(', ');
    lines.push(`    ${r.route}${r.conditional ? ' (matching requests only)' : ''}: ${weights}`);
  }
  for (const c of t.callers) lines.push(`  caller ${c.namespace}/${c.workload}: ${c.rps.toFixed(1)} rps${c.failingRps > 0 ? `, ${c.failingRps.toFixed(1)} rps failing${c.flags.length ? ` (${c.flags.join(' ')})` : ''}` : ''}`);
  if (t.callerEnvoy) lines.push(`  ${callerEnvoyText(t.callerEnvoy)}`);
  if (t.precededBy) lines.push(`  preceded by: ${t.precededBy.text}, ${ago(now - Date.parse(t.precededBy.at))}`);
  return lines;
}

export function ago(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 60 ? `${m}m ago` : m < 48 * 60 ? `${Math.round(m / 60)}h ago` : `${Math.round(m / 1440)}d ago`;
}


/** A Markdown `## Context` section for a printed runbook; empty when there is nothing to say. */
export function contextMarkdown(context: FindingContext, now: number, envoy?: CallerEnvoy): string {
  const t = trafficOf(context, envoy);
  const items: string[] = [];
  for (const r of t.routes) items.push(`- Routed by ${r.route}${r.conditional ? ' (matching requests only)' : ''}: ${r.weights.map((w) => `${w.share}% ${w.host}${w.subset ? ` (subset ${w.subset})` : ''}${w.here ? ' ← here' : ''}`).join(', ')}`);
  for (const c of t.callers) items.push(`- Caller ${c.namespace}/${c.workload}: ${c.rps.toFixed(1)} rps${c.failingRps > 0 ? `, ${c.failingRps.toFixed(1)} rps failing${c.flags.length ? ` (${c.flags.join(' ')})` : ''}` : ''}`);
  if (t.callerEnvoy) items.push(`- ${callerEnvoyText(t.callerEnvoy)}`);
  if (context.pods.length > 0) items.push(`- Pods${context.selector ? ` (\`-l ${context.selector}\`)` : ''}: ${context.pods.slice(0, 5).map((p) => `${p.metadata.name} ${p.status?.phase ?? ''}`.trim()).join(', ')}${context.pods.length > 5 ? `, +${context.pods.length - 5} more` : ''}`);
  if (t.precededBy) items.push(`- Preceded by ${t.precededBy.text}, ${ago(now - Date.parse(t.precededBy.at))}`);
  return items.length ? `## Context\n\n${items.join('\n')}\n` : '';
}
