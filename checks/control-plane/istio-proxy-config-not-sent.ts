/**
 * MD2105 — a sidecar that has been up past the readiness grace has never received clusters (CDS)
 * or listeners (LDS) from istiod: it cannot route anything. NOT SENT for RDS, EDS and ECDS is normal
 * (nothing to send) and ignored.
 */
import type {FindingDraft, Subject} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList, notApplicable} from '../../src/core/index.js';
import {connectedProxies, proxyOwner, synczNotApplicable, typeStatuses} from '../../src/mesh/istio/syncz.js';

const ESSENTIAL = new Set(['CDS', 'LDS']);

type NotSent = {proxy: string; types: string[]; subject: Subject};

export default defineCheck({
  id: 'MD2105',
  slug: 'istio-proxy-config-not-sent',
  title: 'every sidecar has received its clusters and listeners',
  block: 'control-plane',
  severity: 'warning',
  meshes: ['istio'],
  runtime: true,
  inputs: {facts: ['istioSyncz'], kinds: ['pods']},
  anchor: 'none — gap',
  evaluate(ctx) {
    const fact = ctx.facts.get('istioSyncz');
    const na = synczNotApplicable(ctx.mesh('istio')?.controlPlane, fact.value);
    if (na) return notApplicable(na);
    const grace = ctx.thresholds().grace.readinessSeconds;
    const notSent: NotSent[] = [];
    for (const {proxy} of connectedProxies(fact.value!)) {
      if (proxy.proxyType && proxy.proxyType !== 'sidecar') continue;
      const types = typeStatuses(proxy).filter((t) => ESSENTIAL.has(t.short) && t.status === 'NOT SENT').map((t) => t.short);
      if (types.length === 0) continue;
      const owner = proxyOwner(ctx.objects, ctx.workloads, proxy.proxy);
      // Unknown pods have no start time: no verdict within the grace rule.
      if (!owner?.pod) continue;
      const status = owner.pod.status?.containerStatuses?.find((c) => c.name === 'istio-proxy') ?? owner.pod.status?.initContainerStatuses?.find((c) => c.name === 'istio-proxy');
      const started = Date.parse(status?.state?.running?.startedAt ?? owner.pod.status?.startTime ?? '');
      if (Number.isNaN(started) || (ctx.now.getTime() - started) / 1000 < grace) continue;
      notSent.push({proxy: proxy.proxy, types, subject: owner.subject});
    }
    const findings: FindingDraft[] = [];
    for (const {subject, items} of groupBySubject(notSent, (n) => n.subject).values()) {
      const types = [...new Set(items.flatMap((i) => i.types))];
      findings.push({
        subject,
        message: `istiod has sent no ${types.join(' or ')} to ${items.length} sidecar(s) running past the readiness grace: ${nameList(items.map((i) => i.proxy))}`,
        evidence: {types: types.join(','), proxies: items.length, example: items[0].proxy},
      });
    }
    return findings;
  },
});
