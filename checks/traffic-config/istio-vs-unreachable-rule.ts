/**
 * MD5105 — a VirtualService rule can never match (IST0130): an earlier rule has no match (a
 * catch-all), or every match block of this rule is taken by earlier blocks — repeated exactly, or
 * covered (an earlier `prefix: /api` takes `prefix: /api/v2` with the same other conditions). Routes
 * are tried in order, so the rule's destinations, retries or faults are silently dead. Rules that
 * still match something but have some dead match blocks are MD5122's.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {analyzeVirtualService} from '../../src/mesh/istio/route-shadowing.js';

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
    for (const vs of ctx.objects.list('virtualservices.networking.istio.io')) {
      const dead = analyzeVirtualService(vs.spec).dead.map((d) =>
        d.reason === 'after-catch-all' ? `${d.kind}[${d.rule}] follows the catch-all ${d.kind}[${d.by}]` : `${d.kind}[${d.rule}] repeats or is covered by matches of earlier rules (first: ${d.kind}[${d.by}])`,
      );
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
