/**
 * MD3301 — a Consul-injected pod is selected by no Kubernetes Service, or by several (and does not
 * say which one with `consul.hashicorp.com/kubernetes-service`). consul-k8s registers the pod under
 * the one Service that selects it; otherwise registration fails ("did not find correct number of
 * services", consul-k8s #522, #764) and the pod never becomes ready. Multi-port pods
 * (comma-separated `connect-service`) and Services labelled `consul.hashicorp.com/service-ignore`
 * are exempt. Per workload (D4).
 */
import type {FindingDraft, Pod} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList} from '../../src/core/index.js';
import {consulInjected, KUBERNETES_SERVICE, multiPort, selectingServices} from '../../src/mesh/consul/catalog.js';
import {podActive} from '../../src/mesh/pods.js';

export default defineCheck({
  id: 'MD3301',
  slug: 'consul-pod-service-count',
  title: 'every Consul-injected pod is selected by exactly one Service',
  block: 'data-plane',
  severity: 'error',
  meshes: ['consul'],
  inputs: {kinds: ['pods', 'services']},
  anchor: 'none — gap (consul-k8s #522, #764)',
  evaluate(ctx) {
    const bad: {pod: Pod; services: string[]}[] = [];
    for (const pod of ctx.objects.list('pods')) {
      if (!podActive(pod) || !consulInjected(pod) || multiPort(pod)) continue;
      const services = selectingServices(ctx.objects, pod).map((s) => s.metadata.name);
      const chosen = pod.metadata.annotations?.[KUBERNETES_SERVICE];
      if (services.length === 1 || (chosen && services.includes(chosen))) continue;
      bad.push({pod, services});
    }
    const findings: FindingDraft[] = [];
    for (const {subject, items} of groupBySubject(bad, (b) => ctx.workloads.ownerOf(b.pod)).values()) {
      const services = [...new Set(items.flatMap((i) => i.services))];
      const names = items.map((i) => i.pod.metadata.name);
      findings.push({
        subject,
        message:
          services.length === 0
            ? `${names.length} Consul-injected pod(s) are selected by no Service in ${subject.namespace}: consul-k8s cannot register them (${nameList(names)})`
            : `${names.length} Consul-injected pod(s) are selected by ${services.length} Services (${services.join(', ')}): consul-k8s needs exactly one, or the annotation ${KUBERNETES_SERVICE} (${nameList(names)})`,
        evidence: {pods: names.length, services: services.join(',') || null, example: names[0]},
      });
    }
    return findings;
  },
});
