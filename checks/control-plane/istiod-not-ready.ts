/**
 * MD2101 — an istiod revision has no available replica, or its Service has no ready endpoint:
 * no config pushes, no certificate signing (workload certs expire within a day), and with the
 * injector webhook failing closed, no new pods in injected namespaces.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, nameList, subjectOf} from '../../src/core/index.js';
import {istiodRevision} from '../../src/mesh/istio/detect.js';
import {podProblem, podReady, readyEndpointCount} from '../../src/mesh/readiness.js';

export default defineCheck({
  id: 'MD2101',
  slug: 'istiod-not-ready',
  title: 'every istiod revision has ready replicas behind its Service',
  block: 'control-plane',
  severity: 'error',
  meshes: ['istio'],
  runtime: true,
  inputs: {kinds: ['deployments.apps', 'pods', 'services', 'endpointslices.discovery.k8s.io']},
  anchor: 'none (Istio docs: no endpoints available for service istiod)',
  *evaluate(ctx) {
    for (const d of ctx.objects.select('deployments.apps', undefined, {app: 'istiod'})) {
      const ns = d.metadata.namespace;
      const rev = istiodRevision(d.metadata.labels);
      const serviceName = rev === 'default' ? 'istiod' : `istiod-${rev}`;
      const service = ctx.objects.get('services', ns, serviceName);
      const endpoints = service ? readyEndpointCount(ctx.objects, service) : 0;
      const available = d.status?.availableReplicas ?? 0;
      const desired = d.spec.replicas ?? 1;
      const pods = ctx.objects.select('pods', ns, d.spec.selector ?? {app: 'istiod'});
      const problems = pods.filter((p) => !podReady(p)).map(podProblem);
      const evidence = {
        revision: rev,
        desired,
        available,
        service: service ? `${ns}/${serviceName}` : null,
        readyEndpoints: endpoints,
        pods: nameList(problems, 5) || null,
      };
      let draft: FindingDraft | undefined;
      if (available === 0) {
        draft = {subject: subjectOf(d), message: `istiod revision ${rev} has no available replica (0/${desired})${problems.length ? `: ${nameList(problems, 3)}` : ''}`, evidence};
      } else if (service && endpoints === 0) {
        draft = {subject: subjectOf(d), message: `Service ${ns}/${serviceName} has no ready endpoint although ${available} istiod replica(s) are available`, evidence};
      } else if (!service) {
        draft = {subject: subjectOf(d), message: `Service ${ns}/${serviceName} for istiod revision ${rev} does not exist`, evidence};
      } else if (desired >= 2 && available <= 1) {
        draft = {subject: subjectOf(d), severity: 'warning', message: `istiod revision ${rev} is degraded: ${available} of ${desired} replicas available`, evidence};
      }
      if (draft) yield draft;
    }
  },
});
