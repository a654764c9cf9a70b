/**
 * MD2002 — a mesh's admission webhook cannot be reached: no injector webhook at all, or an entry
 * whose Service is missing, lacks the port, or has no ready endpoint (IST0139). With
 * `failurePolicy: Fail` the API server refuses every pod the webhook matches; with `Ignore` pods start
 * without a proxy and config is not validated. When the Service's pods belong to a control-plane
 * Deployment with no available replica, the readiness check of that Deployment owns the finding.
 */
import type {FindingDraft, KubeObject, MeshInfo, Service, Severity} from '../../src/core/index.js';
import {defineCheck, matchesLabels, notApplicable, subjectOf} from '../../src/core/index.js';
import {readyEndpointCount} from '../../src/mesh/readiness.js';
import {meshOwnedWebhooks} from '../../src/mesh/webhooks.js';

export default defineCheck({
  id: 'MD2002',
  slug: 'mesh-webhook-unavailable',
  title: 'mesh admission webhooks point at a Service with ready endpoints',
  block: 'control-plane',
  severity: 'error',
  meshes: 'any',
  runtime: true,
  inputs: {
    kinds: ['mutatingwebhookconfigurations.admissionregistration.k8s.io', 'services', 'endpointslices.discovery.k8s.io'],
    optionalKinds: ['validatingwebhookconfigurations.admissionregistration.k8s.io', 'deployments.apps'],
  },
  anchor: 'IST0139; l5d-existence-mwc, l5d-existence-vwc',
  evaluate(ctx) {
    const inCluster = ctx.meshes.filter((m) => m.controlPlane === 'in-cluster');
    if (inCluster.length === 0) return notApplicable('no in-cluster control plane (external, managed, or absent)');
    const owned = meshOwnedWebhooks(ctx.objects, ctx.meshes);
    const findings: FindingDraft[] = [];
    for (const mesh of inCluster) {
      // Consul and OSM register their injector from the control plane too; every mesh needs one.
      const hasInjector = owned.some((o) => o.mesh === mesh && o.config.kind === 'MutatingWebhookConfiguration');
      if (!hasInjector) {
        findings.push({
          subject: null,
          message: `${mesh.name} control plane runs in ${mesh.namespace} but no MutatingWebhookConfiguration points at it: pods are never injected`,
          evidence: {mesh: mesh.name, namespace: mesh.namespace},
        });
      }
    }
    const downDeployment = (mesh: MeshInfo, svc: Service): string | undefined => {
      const selector = svc.spec.selector;
      if (!selector) return undefined;
      const d = ctx.objects.list('deployments.apps', svc.metadata.namespace).find((dep) => matchesLabels(dep.spec.template.metadata?.labels, selector));
      void mesh;
      return d && (d.status?.availableReplicas ?? 0) === 0 ? `${d.metadata.namespace}/${d.metadata.name}` : undefined;
    };
    const problems = new Map<KubeObject, {entries: string[]; severity: Severity}>();
    for (const {config, webhook, mesh} of owned) {
      const ref = webhook.clientConfig.service!;
      const port = ref.port ?? 443;
      const svc = ctx.objects.get('services', ref.namespace, ref.name);
      let problem: string | undefined;
      if (!svc) problem = `Service ${ref.namespace}/${ref.name} does not exist`;
      else if (!(svc.spec.ports ?? []).some((p) => p.port === port)) problem = `Service ${ref.namespace}/${ref.name} has no port ${port}`;
      else if (readyEndpointCount(ctx.objects, svc) === 0) {
        if (downDeployment(mesh, svc)) continue;
        problem = `Service ${ref.namespace}/${ref.name} has no ready endpoint`;
      }
      if (!problem) continue;
      const severity: Severity = (webhook.failurePolicy ?? 'Fail') === 'Ignore' ? 'warning' : 'error';
      const entry = problems.get(config) ?? {entries: [], severity: 'warning' as Severity};
      entry.entries.push(`${webhook.name}: ${problem} (failurePolicy ${webhook.failurePolicy ?? 'Fail'})`);
      if (severity === 'error') entry.severity = 'error';
      problems.set(config, entry);
    }
    for (const [config, {entries, severity}] of problems) {
      findings.push({
        subject: subjectOf(config),
        severity,
        message: `${config.kind} ${config.metadata.name}: ${entries.join('; ')} — ${severity === 'error' ? 'the API server rejects matching requests (pod creation blocked)' : 'matching pods start without a proxy / config is not validated'}`,
        evidence: {entries: entries.length, first: entries[0]},
      });
    }
    return findings;
  },
});
