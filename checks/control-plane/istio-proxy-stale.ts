/**
 * MD2102 — istiod pushed configuration that a proxy has not acknowledged for longer than
 * `proxySync.staleAfter`: the proxy runs on old routes, clusters or endpoints. When a large share of
 * one replica's proxies are stale, the replica itself is the problem (one error on the istiod pod).
 */
import type {FindingDraft, Subject} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList, notApplicable} from '../../src/core/index.js';
import {connectedProxies, lastPush, proxyOwner, synczNotApplicable, typeStatuses} from '../../src/mesh/istio/syncz.js';

type Stale = {proxy: string; istiod: string; istiodNamespace: string; types: string[]; oldest: number; subject: Subject};

export default defineCheck({
  id: 'MD2102',
  slug: 'istio-proxy-stale',
  title: 'proxies acknowledge the configuration istiod pushes to them',
  block: 'control-plane',
  severity: 'warning',
  meshes: ['istio'],
  runtime: true,
  inputs: {facts: ['istioSyncz'], kinds: ['pods']},
  anchor: 'none — gap (istio#8320, istio#51612)',
  evaluate(ctx) {
    const fact = ctx.facts.get('istioSyncz');
    const na = synczNotApplicable(ctx.mesh('istio')?.controlPlane, fact.value);
    if (na) return notApplicable(na);
    const {staleAfterSeconds, massStaleShare} = ctx.thresholds().proxySync;
    const stale: Stale[] = [];
    const perReplica = new Map<string, {total: number; stale: number; namespace: string}>();
    for (const {proxy, istiod, istiodNamespace} of connectedProxies(fact.value!)) {
      const counts = perReplica.get(`${istiodNamespace}/${istiod}`) ?? {total: 0, stale: 0, namespace: istiodNamespace};
      counts.total++;
      perReplica.set(`${istiodNamespace}/${istiod}`, counts);
      const types: string[] = [];
      let oldest = 0;
      for (const t of typeStatuses(proxy)) {
        if (t.status !== 'STALE') continue;
        const at = lastPush(t.state);
        // Without a push time there is no age to judge; a single sample cannot tell slow from stuck.
        if (!at) continue;
        const age = (ctx.now.getTime() - at.getTime()) / 1000;
        if (age < staleAfterSeconds) continue;
        types.push(t.short);
        oldest = Math.max(oldest, age);
      }
      if (types.length === 0) continue;
      const owner = proxyOwner(ctx.objects, ctx.workloads, proxy.proxy);
      if (!owner) continue;
      counts.stale++;
      stale.push({proxy: proxy.proxy, istiod, istiodNamespace, types, oldest, subject: owner.subject});
    }
    const findings: FindingDraft[] = [];
    for (const {subject, items} of groupBySubject(stale, (s) => s.subject).values()) {
      const types = [...new Set(items.flatMap((i) => i.types))];
      const oldest = Math.round(Math.max(...items.map((i) => i.oldest)));
      findings.push({
        subject,
        message: `${items.length} proxy(ies) have not acknowledged istiod's last ${types.join('/')} push for up to ${oldest}s: ${nameList(items.map((i) => i.proxy))}`,
        evidence: {types: types.join(','), oldestSeconds: oldest, proxies: items.length, istiod: [...new Set(items.map((i) => i.istiod))].join(',')},
      });
    }
    for (const [key, counts] of perReplica) {
      // "Mass" needs more than one proxy: a single stale proxy is its workload's finding above.
      if (counts.stale >= 2 && counts.stale / counts.total >= massStaleShare) {
        const name = key.slice(key.indexOf('/') + 1);
        findings.push({
          subject: fact.value!.direct ? null : {kind: 'Pod', apiVersion: 'v1', namespace: counts.namespace, name},
          severity: 'error',
          message: `${counts.stale} of ${counts.total} proxies connected to istiod ${key} are stale: the replica is not getting acknowledgements (overloaded, or its push connections are broken)`,
          evidence: {stale: counts.stale, connected: counts.total, share: Math.round((counts.stale / counts.total) * 100) / 100},
        });
      }
    }
    return findings;
  },
});
