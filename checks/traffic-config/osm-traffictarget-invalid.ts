/**
 * MD5401 — an SMI TrafficTarget OSM cannot use: it is not in its destination's namespace (OSM only
 * honours TrafficTargets living there), it has no rules or rules of a kind other than
 * HTTPRouteGroup/TCPRoute, a rule names a missing HTTPRouteGroup/TCPRoute, or names matches the
 * HTTPRouteGroup does not define (errors); its destination or a source ServiceAccount does not exist
 * (warning). With permissive mode off, the access it was meant to grant does not exist.
 */
import type {FindingDraft, Severity} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {absenceIsKnown, serviceAccountExists} from '../../src/mesh/references.js';

export default defineCheck({
  id: 'MD5401',
  slug: 'osm-traffictarget-invalid',
  title: 'OSM TrafficTargets live in their destination namespace and reference existing rules and accounts',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['osm'],
  inputs: {
    kinds: ['traffictargets.access.smi-spec.io'],
    optionalKinds: ['httproutegroups.specs.smi-spec.io', 'tcproutes.specs.smi-spec.io', 'serviceaccounts'],
  },
  anchor: 'none — gap (OSM admission validator)',
  evaluate(ctx) {
    const accountsKnown = absenceIsKnown(ctx.objects, ctx.mode, 'serviceaccounts');
    const findings: FindingDraft[] = [];
    for (const tt of ctx.objects.list('traffictargets.access.smi-spec.io')) {
      const ns = tt.metadata.namespace ?? 'default';
      const errors: string[] = [];
      const warnings: string[] = [];
      const dest = tt.spec.destination;
      if ((dest?.namespace ?? '') !== ns) errors.push(`spec.destination.namespace (${dest?.namespace ?? 'unset'}) is not the TrafficTarget's namespace ${ns}; OSM ignores it`);
      const rules = tt.spec.rules ?? [];
      if (rules.length === 0) errors.push('it has no rules, so it allows nothing');
      for (const rule of rules) {
        if (rule.kind === 'HTTPRouteGroup') {
          const group = ctx.objects.get('httproutegroups.specs.smi-spec.io', ns, rule.name);
          if (!group) {
            if (absenceIsKnown(ctx.objects, ctx.mode, 'httproutegroups.specs.smi-spec.io')) errors.push(`rule HTTPRouteGroup ${ns}/${rule.name} does not exist`);
            continue;
          }
          const defined = new Set((group.spec.matches ?? []).map((m) => m.name));
          const missing = (rule.matches ?? []).filter((m) => !defined.has(m));
          if (missing.length > 0) errors.push(`rule HTTPRouteGroup ${rule.name} has no match named ${missing.join(', ')} (it defines ${[...defined].join(', ') || 'none'})`);
        } else if (rule.kind === 'TCPRoute') {
          if (!ctx.objects.get('tcproutes.specs.smi-spec.io', ns, rule.name) && absenceIsKnown(ctx.objects, ctx.mode, 'tcproutes.specs.smi-spec.io')) errors.push(`rule TCPRoute ${ns}/${rule.name} does not exist`);
        } else {
          errors.push(`rule kind ${rule.kind} is not HTTPRouteGroup or TCPRoute`);
        }
      }
      if (accountsKnown) {
        if (dest?.kind === 'ServiceAccount' && !serviceAccountExists(ctx.objects, dest.namespace ?? ns, dest.name)) warnings.push(`destination ServiceAccount ${dest.namespace ?? ns}/${dest.name} does not exist`);
        for (const src of tt.spec.sources ?? []) {
          if (src.kind === 'ServiceAccount' && !serviceAccountExists(ctx.objects, src.namespace ?? ns, src.name)) warnings.push(`source ServiceAccount ${src.namespace ?? ns}/${src.name} does not exist`);
        }
      }
      const problems = [...errors, ...warnings];
      if (problems.length === 0) continue;
      const severity: Severity = errors.length > 0 ? 'error' : 'warning';
      findings.push({subject: subjectOf(tt), severity, message: `TrafficTarget ${ns}/${tt.metadata.name}: ${problems.join('; ')}`, evidence: {problems: problems.length, destination: dest ? `${dest.namespace ?? '?'}/${dest.name}` : null}});
    }
    return findings;
  },
});
