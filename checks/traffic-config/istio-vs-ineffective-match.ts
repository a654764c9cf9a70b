/**
 * MD5122 — a VirtualService match block can never be reached, in a rule that is still reached
 * through its other blocks (IST0131): an earlier block repeats it, or covers it (`prefix: /api`
 * before `prefix: /api/v2` or `exact: /api/v1`, with the other conditions equal or looser).
 * Whole-rule cases are MD5105's (IST0130), so one dead rule is reported once.
 *
 * Severity differs from upstream (info) on purpose: when the covering block belongs to an earlier
 * *rule*, the requests the author wanted routed here go to that rule's destinations — routing is
 * silently not what was written (warning). When the covering block is earlier in the *same* rule,
 * the dead block is only redundant (info). Coverage is also wider than istiod's analysis: an earlier
 * prefix covers later exact URIs, and looser earlier blocks (fewer conditions) cover stricter ones.
 */
import type {FindingDraft, Severity} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import type {BlockRef, RouteKind} from '../../src/mesh/istio/route-shadowing.js';
import {analyzeVirtualService} from '../../src/mesh/istio/route-shadowing.js';

const ref = (kind: RouteKind, r: BlockRef): string => `${kind}[${r.rule}].match[${r.match}]`;

export default defineCheck({
  id: 'MD5122',
  slug: 'istio-vs-ineffective-match',
  title: 'every match block of a VirtualService rule can match some request',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['virtualservices.networking.istio.io']},
  anchor: 'IST0131',
  *evaluate(ctx) {
    for (const vs of ctx.objects.list('virtualservices.networking.istio.io')) {
      const shadowed = analyzeVirtualService(vs.spec).shadowed;
      if (shadowed.length === 0) continue;
      const crossRule = shadowed.some((s) => s.by.rule !== s.at.rule);
      const severity: Severity = crossRule ? 'warning' : 'info';
      const parts = shadowed.map((s) => `${ref(s.kind, s.at)} is ${s.duplicate ? 'a repeat of' : 'covered by'} ${ref(s.kind, s.by)}${s.by.rule === s.at.rule ? ' (same rule: redundant)' : ' (its requests take the earlier rule)'}`);
      const draft: FindingDraft = {
        subject: subjectOf(vs),
        severity,
        message: `VirtualService ${vs.metadata.namespace}/${vs.metadata.name}: ${parts.join('; ')}`,
        evidence: {blocks: shadowed.length, first: parts[0]},
      };
      yield draft;
    }
  },
});
