/**
 * MD5121 — an EnvoyFilter patch uses an operation istiod never applies to its `applyTo` (IST0152
 * REPLACE, IST0153 ADD, IST0154 REMOVE). istiod accepts the object and then skips the patch without
 * a word, so the filter, route or cluster change the author wanted never reaches a proxy.
 *
 * The table is what istiod's patchers do (pilot/pkg/networking/core/envoyfilter/*_patch.go), not
 * what the upstream analyzer claims, and it deliberately differs from istioctl:
 * - ADD and REMOVE on HTTP_ROUTE are applied (rc_patch.go patchHTTPRoutes/patchHTTPRoute), and so
 *   is REPLACE on LISTENER_FILTER (listener_patch.go): istioctl reports them, meshdoctor does not;
 * - INSERT_* on CLUSTER, LISTENER, FILTER_CHAIN, ROUTE_CONFIGURATION and VIRTUAL_HOST, and anything
 *   but ADD on EXTENSION_CONFIG, are skipped too: istioctl misses them, meshdoctor reports them.
 * Operations and applyTo values not in the table (newer releases) are not judged.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';

const INSERTS = ['INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST'];

/** applyTo → operations istiod skips for it. */
const IGNORED: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['ROUTE_CONFIGURATION', new Set(['ADD', 'REMOVE', 'REPLACE', ...INSERTS])],
  ['CLUSTER', new Set(['REPLACE', ...INSERTS])],
  ['LISTENER', new Set(['REPLACE', ...INSERTS])],
  ['FILTER_CHAIN', new Set(['REPLACE', ...INSERTS])],
  ['VIRTUAL_HOST', new Set(INSERTS)],
  ['HTTP_ROUTE', new Set(['REPLACE'])],
  ['EXTENSION_CONFIG', new Set(['MERGE', 'REMOVE', 'REPLACE', ...INSERTS])],
]);

export default defineCheck({
  id: 'MD5121',
  slug: 'istio-envoyfilter-operation-ignored',
  title: 'every EnvoyFilter patch uses an operation istiod applies to its target',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['envoyfilters.networking.istio.io']},
  anchor: 'IST0152, IST0153, IST0154',
  *evaluate(ctx) {
    for (const ef of ctx.objects.list('envoyfilters.networking.istio.io')) {
      const ignored: string[] = [];
      (ef.spec.configPatches ?? []).forEach((p, i) => {
        const applyTo = (p.applyTo ?? '').toUpperCase();
        const op = (p.patch?.operation ?? '').toUpperCase();
        if (IGNORED.get(applyTo)?.has(op)) ignored.push(`configPatches[${i}] ${op} on ${applyTo}`);
      });
      if (ignored.length === 0) continue;
      const draft: FindingDraft = {
        subject: subjectOf(ef),
        message: `EnvoyFilter ${ef.metadata.namespace}/${ef.metadata.name}: ${ignored.join('; ')} — istiod does not apply that operation there, so the patch is silently skipped`,
        evidence: {patches: ignored.length, first: ignored[0]},
      };
      yield draft;
    }
  },
});
