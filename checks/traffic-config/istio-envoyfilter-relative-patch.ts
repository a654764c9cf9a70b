/**
 * MD5116 — an EnvoyFilter without a priority uses a relative patch (IST0151, IST0155): INSERT_BEFORE,
 * INSERT_AFTER, REPLACE and REMOVE depend on another filter being present when the patch is applied,
 * which changes with creation order and upgrades. The patch is then silently skipped.
 * As upstream (istio/istio pkg/config/analysis/analyzers/envoyfilter/envoyfilter.go): REPLACE counts
 * where it is valid (NETWORK_FILTER, HTTP_FILTER, VIRTUAL_HOST) and REMOVE where it is not ignored
 * (anything but ROUTE_CONFIGURATION and HTTP_ROUTE); the invalid uses are IST0152/IST0154 misuse, not
 * ordering. With `proxyVersion` matching, MERGE breaks the same way across an upgrade (IST0155's
 * description; upstream's code only reports the relative operations).
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';

/** Relative operations for this applyTo (undefined applyTo: Envoy's default, counted as relative). */
function relative(op: string, applyTo: string): boolean {
  switch (op) {
    case 'INSERT_BEFORE':
    case 'INSERT_AFTER':
      return true;
    case 'REPLACE':
      return applyTo === '' || ['NETWORK_FILTER', 'HTTP_FILTER', 'VIRTUAL_HOST'].includes(applyTo);
    case 'REMOVE':
      return !['ROUTE_CONFIGURATION', 'HTTP_ROUTE'].includes(applyTo);
    default:
      return false;
  }
}

export default defineCheck({
  id: 'MD5116',
  slug: 'istio-envoyfilter-relative-patch',
  title: 'EnvoyFilters with relative patches set a priority',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['envoyfilters.networking.istio.io']},
  anchor: 'IST0151, IST0155',
  *evaluate(ctx) {
    for (const ef of ctx.objects.list('envoyfilters.networking.istio.io')) {
      if ((ef.spec.priority ?? 0) !== 0) continue;
      const risky: string[] = [];
      (ef.spec.configPatches ?? []).forEach((p, i) => {
        const op = (p.patch?.operation ?? '').toUpperCase();
        const versioned = p.match?.proxy?.proxyVersion !== undefined;
        if (relative(op, (p.applyTo ?? '').toUpperCase()) || (versioned && op === 'MERGE')) risky.push(`configPatches[${i}] ${op}${versioned ? ` with proxyVersion ${p.match!.proxy!.proxyVersion}` : ''}`);
      });
      if (risky.length === 0) continue;
      const draft: FindingDraft = {
        subject: subjectOf(ef),
        message: `EnvoyFilter ${ef.metadata.namespace}/${ef.metadata.name} has no priority and relative patch(es): ${risky.join('; ')} — it may be skipped depending on filter order or after an upgrade`,
        evidence: {patches: risky.length, first: risky[0]},
      };
      yield draft;
    }
  },
});
