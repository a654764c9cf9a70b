/**
 * MD2302 — the consul-k8s connect-injector has no available replica (error): it runs the injection
 * webhook, registers endpoints as Consul services and syncs config-entry CRDs, so all three stop.
 * The webhook-cert-manager with no available replica is a warning: the injector's caBundle is no
 * longer refreshed, which breaks injection when its certificate rotates.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, nameList, subjectOf} from '../../src/core/index.js';
import {podProblem, podReady} from '../../src/mesh/readiness.js';

export default defineCheck({
  id: 'MD2302',
  slug: 'consul-connect-injector-not-ready',
  title: 'the Consul connect-injector (and its webhook-cert-manager) have available replicas',
  block: 'control-plane',
  severity: 'error',
  meshes: ['consul'],
  runtime: true,
  inputs: {kinds: ['deployments.apps'], optionalKinds: ['pods']},
  anchor: 'none — gap',
  evaluate(ctx) {
    const graceMs = ctx.thresholds().grace.statusSeconds * 1000;
    const findings: FindingDraft[] = [];
    const components = [
      {component: 'connect-injector', severity: 'error' as const, impact: 'pod injection, service registration and config-entry sync are stopped'},
      {component: 'webhook-cert-manager', severity: 'warning' as const, impact: 'the injector webhook caBundle is no longer refreshed'},
    ];
    for (const {component, severity, impact} of components) {
      for (const d of ctx.objects.select('deployments.apps', undefined, {app: 'consul', component})) {
        if (d.spec.replicas === 0 || (d.status?.availableReplicas ?? 0) > 0) continue;
        const created = Date.parse(d.metadata.creationTimestamp ?? '');
        if (!Number.isNaN(created) && ctx.now.getTime() - created < graceMs) continue;
        const pods = ctx.objects.select('pods', d.metadata.namespace, d.spec.selector ?? {app: 'consul', component}).filter((p) => !podReady(p));
        findings.push({
          subject: subjectOf(d),
          severity,
          message: `Deployment ${d.metadata.namespace}/${d.metadata.name} (${component}) has no available replica: ${impact}${pods.length ? ` (${nameList(pods.map(podProblem), 3)})` : ''}`,
          evidence: {component, desired: d.spec.replicas ?? 1, available: d.status?.availableReplicas ?? 0},
        });
      }
    }
    return findings;
  },
});
