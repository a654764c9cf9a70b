/**
 * A finding's context in words and as data: the routes (with weights) that send traffic to its
 * pods, the callers and how many of their requests fail, and the change that preceded it — for
 * `describe`, the printed runbook and the TUI. Pure.
 */
import {ruleLabel} from '../mesh/routes-to.js';
import type {FindingContext} from './finding-context.js';

/** The routes that send traffic to these pods, the callers, and the change before now: the finding context of the target. */
export type Traffic = Readonly<{
  routes: readonly Readonly<{route: string; kind: string; namespace: string; name: string; rule: string; conditional: boolean; weights: readonly Readonly<{host: string; subset?: string; service?: string; share: number; weight?: number; here: boolean}>[]}>[];
  callers: readonly Readonly<{namespace: string; workload: string; rps: number; failingRps: number; flags: readonly string[]}>[];
  precededBy?: Readonly<{at: string; kind: string; text: string}>;
}>;

export function trafficOf(context: FindingContext): Traffic {
  // A destination is "here" when its Service selects these pods.
  const here = new Set(context.services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
  return {
    routes: context.routes.map((r) => ({
      route: ruleLabel(r), kind: r.kind, namespace: r.namespace, name: r.name, rule: r.rule, conditional: r.conditional,
      weights: r.destinations.map((d) => ({host: d.host, ...(d.subset ? {subset: d.subset} : {}), ...(d.service ? {service: d.service} : {}), share: Math.round(d.share * 10) / 10, ...(d.weight !== undefined ? {weight: d.weight} : {}), here: d.service !== undefined && here.has(d.service)})),
    })),
    callers: context.callers.map((c) => ({namespace: c.namespace, workload: c.workload, rps: Number(c.rps.toFixed(3)), failingRps: Number(c.failing.toFixed(3)), flags: c.flags})),
    ...(context.precededBy ? {precededBy: {at: new Date(context.precededBy.t).toISOString(), kind: context.precededBy.kind, text: context.precededBy.text}} : {}),
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
  if (t.precededBy) lines.push(`  preceded by: ${t.precededBy.text}, ${ago(now - Date.parse(t.precededBy.at))}`);
  return lines;
}

export function ago(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 60 ? `${m}m ago` : m < 48 * 60 ? `${Math.round(m / 60)}h ago` : `${Math.round(m / 1440)}d ago`;
}


/** A Markdown `## Context` section for a printed runbook; empty when there is nothing to say. */
export function contextMarkdown(context: FindingContext, now: number): string {
  const t = trafficOf(context);
  const items: string[] = [];
  for (const r of t.routes) items.push(`- Routed by ${r.route}${r.conditional ? ' (matching requests only)' : ''}: ${r.weights.map((w) => `${w.share}% ${w.host}${w.subset ? ` (subset ${w.subset})` : ''}${w.here ? ' ← here' : ''}`).join(', ')}`);
  for (const c of t.callers) items.push(`- Caller ${c.namespace}/${c.workload}: ${c.rps.toFixed(1)} rps${c.failingRps > 0 ? `, ${c.failingRps.toFixed(1)} rps failing${c.flags.length ? ` (${c.flags.join(' ')})` : ''}` : ''}`);
  if (context.pods.length > 0) items.push(`- Pods${context.selector ? ` (\`-l ${context.selector}\`)` : ''}: ${context.pods.slice(0, 5).map((p) => `${p.metadata.name} ${p.status?.phase ?? ''}`.trim()).join(', ')}${context.pods.length > 5 ? `, +${context.pods.length - 5} more` : ''}`);
  if (t.precededBy) items.push(`- Preceded by ${t.precededBy.text}, ${ago(now - Date.parse(t.precededBy.at))}`);
  return items.length ? `## Context\n\n${items.join('\n')}\n` : '';
}
