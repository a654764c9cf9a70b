/**
 * MD5105 — a VirtualService rule can never match (IST0130): an earlier rule has no match (a
 * catch-all), or every match block of this rule repeats a block of earlier rules. Routes are tried in
 * order, so the rule's destinations, retries or faults are silently dead.
 */
import type {FindingDraft, VirtualService} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';

/** JSON with sorted keys and `name` dropped: match blocks compared field-order-insensitively. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([k, v]) => k !== 'name' && v !== undefined).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

type Rule = Readonly<{match?: readonly unknown[]}>;

function unreachable(rules: readonly Rule[], kind: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let catchAll: number | undefined;
  rules.forEach((rule, i) => {
    const blocks = (rule.match ?? []).map(canonical);
    if (catchAll !== undefined) out.push(`${kind}[${i}] follows the catch-all ${kind}[${catchAll}]`);
    else if (blocks.length > 0 && blocks.every((b) => seen.has(b))) out.push(`${kind}[${i}] repeats matches of earlier rules`);
    if (catchAll === undefined && (blocks.length === 0 || blocks.includes('{}'))) catchAll = i;
    blocks.forEach((b) => seen.add(b));
  });
  return out;
}

export default defineCheck({
  id: 'MD5105',
  slug: 'istio-vs-unreachable-rule',
  title: 'every VirtualService rule can match some request',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['virtualservices.networking.istio.io']},
  anchor: 'IST0130',
  *evaluate(ctx) {
    for (const vs of ctx.objects.list('virtualservices.networking.istio.io') as readonly VirtualService[]) {
      const dead = [...unreachable(vs.spec.http ?? [], 'http'), ...unreachable(vs.spec.tls ?? [], 'tls'), ...unreachable(vs.spec.tcp ?? [], 'tcp')];
      if (dead.length === 0) continue;
      const draft: FindingDraft = {
        subject: subjectOf(vs),
        message: `VirtualService ${vs.metadata.namespace}/${vs.metadata.name}: ${dead.join('; ')} — those rules never match`,
        evidence: {rules: dead.length, first: dead[0]},
      };
      yield draft;
    }
  },
});
