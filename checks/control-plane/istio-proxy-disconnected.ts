/**
 * MD2104 — a running pod with an istio-proxy is connected to no istiod replica (absent from every
 * syncz): its configuration is frozen and its workload certificate (24 h by default) cannot rotate.
 * Needs every replica's answer: one silent replica could hold the connection.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, notApplicable, skipped, subjectOf} from '../../src/core/index.js';
import {proxyContainer} from '../../src/mesh/markers.js';
import {connectedProxies, synczNotApplicable} from '../../src/mesh/istio/syncz.js';

export default defineCheck({
  id: 'MD2104',
  slug: 'istio-proxy-disconnected',
  title: 'every running Istio proxy is connected to an istiod',
  block: 'control-plane',
  severity: 'error',
  meshes: ['istio'],
  runtime: true,
  inputs: {facts: ['istioSyncz'], kinds: ['pods']},
  anchor: 'none — gap (proxy-status: absent = not connected)',
  evaluate(ctx) {
    const fact = ctx.facts.get('istioSyncz');
    const istio = ctx.mesh('istio');
    if (fact.value?.direct || istio?.controlPlane === 'external') return notApplicable('istiod runs outside the cluster: its syncz cannot be matched against every replica');
    const na = synczNotApplicable(istio?.controlPlane, fact.value);
    if (na) return notApplicable(na);
    const failed = fact.value!.replicas.filter((r) => r.state !== 'ok');
    if (failed.length > 0) return skipped(`istiod replica(s) ${failed.map((r) => r.pod).join(', ')} did not answer syncz (MD1101)`);
    if (fact.value!.replicas.length === 0) return skipped('no running istiod replica to ask');
    const connected = new Set(connectedProxies(fact.value!).map((c) => c.proxy.proxy));
    const grace = ctx.thresholds().grace.readinessSeconds;
    const findings: FindingDraft[] = [];
    for (const pod of ctx.objects.list('pods')) {
      if (pod.status?.phase !== 'Running' || !proxyContainer(pod, 'istio')) continue;
      const status = [...(pod.status.containerStatuses ?? []), ...(pod.status.initContainerStatuses ?? [])].find((c) => c.name === 'istio-proxy');
      const started = Date.parse(status?.state?.running?.startedAt ?? '');
      if (Number.isNaN(started) || (ctx.now.getTime() - started) / 1000 < grace) continue;
      const id = `${pod.metadata.name}.${pod.metadata.namespace}`;
      if (connected.has(id)) continue;
      findings.push({
        subject: subjectOf(pod),
        message: `pod ${pod.metadata.namespace}/${pod.metadata.name} runs istio-proxy (started ${Math.round((ctx.now.getTime() - started) / 1000)}s ago) but no istiod replica lists ${id} in its syncz: its config is frozen and its certificate cannot rotate`,
        evidence: {proxy: id, replicas: fact.value!.replicas.map((r) => r.pod).join(','), ready: status?.ready ?? false},
      });
    }
    return findings;
  },
});
