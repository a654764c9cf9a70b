/**
 * MD5106 — two or more VirtualServices bound to the mesh (sidecars) declare the same host and are
 * visible to a common namespace (IST0109, KIA1106): sidecars apply only one of them, so the others'
 * routes silently do nothing. Delegate VirtualServices (no hosts) and ones bound only to gateways are
 * not mesh-bound; `exportTo` that keeps two of them apart is honoured.
 * Overlapping (not identical) hosts conflict as upstream has them (istio/istio pkg/config/analysis/
 * analyzers/virtualservice/conflictingmeshgatewayhosts.go; testdata
 * virtualservice_conflictingmeshgatewayhosts_with_exportto.yaml): a host of a VirtualService exported
 * to some namespaces against a host of one exported everywhere that covers it or that it covers
 * (`*.productpage.d` exported to `.` and `*.d` exported to `*`). Two VirtualServices both exported
 * everywhere conflict on identical hosts only, as upstream.
 */
import type {FindingDraft, VirtualService} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {fqdnOf, hostMatches} from '../../src/mesh/istio/hosts.js';

function meshBound(vs: VirtualService): boolean {
  const gws = vs.spec.gateways ?? [];
  return gws.length === 0 || gws.includes('mesh');
}

/** `*` or the set of namespaces an object is exported to. */
function audience(vs: VirtualService): '*' | Set<string> {
  const own = vs.metadata.namespace ?? 'default';
  const list = vs.spec.exportTo ?? [];
  if (list.length === 0 || list.includes('*')) return '*';
  return new Set(list.filter((e) => e !== '~').map((e) => (e === '.' ? own : e)));
}

function overlap(a: '*' | Set<string>, b: '*' | Set<string>): boolean {
  if (a === '*') return b === '*' || b.size > 0;
  if (b === '*') return a.size > 0;
  return [...a].some((n) => b.has(n));
}

export default defineCheck({
  id: 'MD5106',
  slug: 'istio-vs-conflicting-mesh-hosts',
  title: 'one mesh VirtualService per host',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['istio'],
  inputs: {kinds: ['virtualservices.networking.istio.io']},
  anchor: 'IST0109; KIA1106',
  evaluate(ctx) {
    const hosts = {fqdn: (h: string, ns: string) => fqdnOf(h, ns, ctx.options.clusterDomain)};
    const byHost = new Map<string, VirtualService[]>();
    for (const vs of ctx.objects.list('virtualservices.networking.istio.io')) {
      if (!meshBound(vs)) continue;
      for (const h of new Set((vs.spec.hosts ?? []).map((x) => hosts.fqdn(x, vs.metadata.namespace ?? 'default')))) {
        byHost.set(h, [...(byHost.get(h) ?? []), vs]);
      }
    }
    const conflicts = new Map<VirtualService, Set<string>>();
    const note = (vs: VirtualService, text: string) => conflicts.set(vs, (conflicts.get(vs) ?? new Set<string>()).add(text));
    // Overlapping hosts between a namespace-scoped VirtualService and one exported everywhere.
    const everywhere: {host: string; vs: VirtualService}[] = [];
    const scoped: {host: string; vs: VirtualService}[] = [];
    for (const [host, list] of byHost) for (const vs of list) (audience(vs) === '*' ? everywhere : scoped).push({host, vs});
    const everywhereWildcards = everywhere.filter((e) => e.host.startsWith('*'));
    for (const s of scoped) {
      if ((audience(s.vs) as Set<string>).size === 0) continue; // exportTo ~: applies nowhere
      const candidates = s.host.startsWith('*') ? everywhere : everywhereWildcards;
      for (const e of candidates) {
        if (e.host === s.host || e.vs === s.vs || !(hostMatches(e.host, s.host) || hostMatches(s.host, e.host))) continue;
        note(s.vs, `${s.host} overlaps ${e.host} (${e.vs.metadata.namespace}/${e.vs.metadata.name})`);
        note(e.vs, `${e.host} overlaps ${s.host} (${s.vs.metadata.namespace}/${s.vs.metadata.name})`);
      }
    }
    for (const [host, list] of byHost) {
      if (list.length < 2) continue;
      for (const a of list) {
        const others = list.filter((b) => b !== a && overlap(audience(a), audience(b)));
        if (others.length === 0) continue;
        note(a, `${host} (also ${others.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).join(', ')})`);
      }
    }
    const findings: FindingDraft[] = [];
    for (const [vs, list] of conflicts) {
      findings.push({
        subject: subjectOf(vs),
        message: `VirtualService ${vs.metadata.namespace}/${vs.metadata.name} shares mesh host(s) with other VirtualServices: ${[...list].join('; ')} — sidecars apply only one`,
        evidence: {hosts: [...list].join('; ')},
      });
    }
    return findings;
  },
});
