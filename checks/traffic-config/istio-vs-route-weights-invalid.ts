/**
 * MD5119 — the weights of a split route do not say what they mean: not summing to 100 (Istio ≥ 1.15
 * normalises them, so 90/20 sends 82 %/18 %; older releases rejected the object), or a negative
 * weight / all weights 0 (nothing can be routed). The evidence gives the effective percentages.
 */
import type {FindingDraft, RouteDestination, Severity} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';

export default defineCheck({
  id: 'MD5119',
  slug: 'istio-vs-route-weights-invalid',
  title: 'weighted VirtualService routes add up to 100',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['virtualservices.networking.istio.io']},
  anchor: 'none (Istio validation before 1.15; KIA route-weight warnings)',
  *evaluate(ctx) {
    for (const vs of ctx.objects.list('virtualservices.networking.istio.io')) {
      const problems: {severity: Severity; text: string; effective?: string}[] = [];
      const check = (route: readonly RouteDestination[] | undefined, where: string) => {
        if (!route || route.length < 2) return;
        const weights = route.map((r) => r.weight ?? 0);
        const sum = weights.reduce((a, b) => a + b, 0);
        if (weights.some((w) => w < 0)) problems.push({severity: 'error', text: `${where} has a negative weight (${weights.join('/')})`});
        else if (sum === 0) problems.push({severity: 'error', text: `${where} weights are all 0: no destination receives traffic`});
        else if (sum !== 100) {
          const effective = route.map((r, i) => `${r.destination?.host}${r.destination?.subset ? `/${r.destination.subset}` : ''}=${Math.round((weights[i] / sum) * 1000) / 10}%`).join(', ');
          problems.push({severity: 'warning', text: `${where} weights ${weights.join('/')} sum to ${sum}, so traffic splits ${effective}`, effective});
        }
      };
      (vs.spec.http ?? []).forEach((r, i) => check(r.route, `http[${i}]`));
      (vs.spec.tls ?? []).forEach((r, i) => check(r.route, `tls[${i}]`));
      (vs.spec.tcp ?? []).forEach((r, i) => check(r.route, `tcp[${i}]`));
      if (problems.length === 0) continue;
      const severity: Severity = problems.some((p) => p.severity === 'error') ? 'error' : 'warning';
      const draft: FindingDraft = {
        subject: subjectOf(vs),
        severity,
        message: `VirtualService ${vs.metadata.namespace}/${vs.metadata.name}: ${problems.map((p) => p.text).join('; ')}`,
        evidence: {problems: problems.length, first: problems[0].text, effective: problems.find((p) => p.effective)?.effective ?? null},
      };
      yield draft;
    }
  },
});
