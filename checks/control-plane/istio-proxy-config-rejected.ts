/**
 * MD2103 — a proxy rejected (NACKed) the last configuration istiod pushed: Envoy keeps running the
 * previous version of that resource type, so recent VirtualService/DestinationRule/EnvoyFilter
 * changes are not in effect for it. The error text from Envoy is the evidence.
 */
import type {FindingDraft, Subject} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList, notApplicable} from '../../src/core/index.js';
import {connectedProxies, proxyOwner, synczNotApplicable, typeStatuses} from '../../src/mesh/istio/syncz.js';

type Rejected = {proxy: string; istiod: string; typeUrl: string; short: string; error: string; subject: Subject};

export default defineCheck({
  id: 'MD2103',
  slug: 'istio-proxy-config-rejected',
  title: 'no proxy rejects the configuration istiod pushes',
  block: 'control-plane',
  severity: 'error',
  meshes: ['istio'],
  runtime: true,
  inputs: {facts: ['istioSyncz'], kinds: ['pods']},
  anchor: 'none — gap (pilot_total_xds_rejects)',
  evaluate(ctx) {
    const fact = ctx.facts.get('istioSyncz');
    const na = synczNotApplicable(ctx.mesh('istio')?.controlPlane, fact.value);
    if (na) return notApplicable(na);
    const rejected: Rejected[] = [];
    for (const {proxy, istiod} of connectedProxies(fact.value!)) {
      for (const t of typeStatuses(proxy)) {
        if (t.status !== 'ERROR') continue;
        const owner = proxyOwner(ctx.objects, ctx.workloads, proxy.proxy);
        if (!owner) continue;
        rejected.push({proxy: proxy.proxy, istiod, typeUrl: t.typeUrl, short: t.short, error: t.state.lastError ?? '', subject: owner.subject});
      }
    }
    const findings: FindingDraft[] = [];
    for (const {subject, items} of groupBySubject(rejected, (r) => r.subject).values()) {
      const first = items[0];
      const proxies = [...new Set(items.map((i) => i.proxy))];
      const types = [...new Set(items.map((i) => i.short))];
      findings.push({
        subject,
        message: `${proxies.length} proxy(ies) rejected istiod's ${types.join('/')} configuration: ${nameList(proxies)}${first.error ? ` — ${first.error.slice(0, 160)}` : ''}`,
        evidence: {typeUrl: first.typeUrl, error: first.error.slice(0, 300), istiod: first.istiod, proxies: proxies.length},
      });
    }
    return findings;
  },
});
