/**
 * MD5116 — an EnvoyFilter without a priority uses a relative patch (IST0151, IST0155): INSERT_BEFORE,
 * INSERT_AFTER or REPLACE depend on another filter being present when the patch is applied, which
 * changes with creation order and upgrades; with `proxyVersion` matching, MERGE and DELETE break the
 * same way across an upgrade. The patch is then silently skipped.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';

const RELATIVE = new Set(['INSERT_BEFORE', 'INSERT_AFTER', 'REPLACE']);
const VERSIONED = new Set([...RELATIVE, 'MERGE', 'DELETE']);

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
        if (RELATIVE.has(op) || (versioned && VERSIONED.has(op))) risky.push(`configPatches[${i}] ${op}${versioned ? ` with proxyVersion ${p.match!.proxy!.proxyVersion}` : ''}`);
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
