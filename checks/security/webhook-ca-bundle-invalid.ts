/**
 * MD4001 — a mesh webhook's caBundle is empty, unparsable or fully expired. The API server cannot
 * verify the webhook: with failurePolicy Fail every pod create in injected namespaces fails with
 * "x509: certificate signed by unknown authority"; with Ignore, pods start without a proxy.
 */
import type {APIService, FindingDraft, KubeObject} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {caBundleProblem, meshOwnedWebhooks} from '../../src/mesh/webhooks.js';

const CERT_MANAGER_INJECT = 'cert-manager.io/inject-ca-from';
const TAP_APISERVICE = 'v1alpha1.tap.linkerd.io';

export default defineCheck({
  id: 'MD4001',
  slug: 'webhook-ca-bundle-invalid',
  title: 'mesh webhooks carry a valid caBundle',
  block: 'security',
  severity: 'error',
  meshes: 'any',
  runtime: true,
  inputs: {
    kinds: ['mutatingwebhookconfigurations.admissionregistration.k8s.io'],
    optionalKinds: ['validatingwebhookconfigurations.admissionregistration.k8s.io', 'apiservices.apiregistration.k8s.io'],
  },
  anchor: 'IST0139 (partly); consul-k8s #808',
  evaluate(ctx) {
    const graceMs = ctx.thresholds().grace.statusSeconds * 1000;
    // cert-manager's CA injector fills the bundle shortly after creation; give it the status grace.
    const waitingForInjector = (obj: KubeObject) => {
      if (!obj.metadata.annotations?.[CERT_MANAGER_INJECT]) return false;
      const created = Date.parse(obj.metadata.creationTimestamp ?? '');
      return !Number.isNaN(created) && ctx.now.getTime() - created < graceMs;
    };
    const problems = new Map<KubeObject, string[]>();
    for (const {config, webhook} of meshOwnedWebhooks(ctx.objects, ctx.meshes)) {
      if (waitingForInjector(config)) continue;
      const problem = caBundleProblem(webhook.clientConfig.caBundle, ctx.now);
      if (problem) problems.set(config, [...(problems.get(config) ?? []), `${webhook.name}: ${problem}`]);
    }
    if (ctx.mesh('linkerd')) {
      const tap = ctx.objects.get('apiservices.apiregistration.k8s.io', undefined, TAP_APISERVICE) as APIService | undefined;
      if (tap && !waitingForInjector(tap)) {
        const problem = caBundleProblem(tap.spec?.caBundle, ctx.now);
        if (problem) problems.set(tap, [problem]);
      }
    }
    const findings: FindingDraft[] = [];
    for (const [obj, list] of problems) {
      findings.push({subject: subjectOf(obj), message: `${obj.kind} ${obj.metadata.name}: ${list.join('; ')}`, evidence: {entries: list.length, first: list[0]}});
    }
    return findings;
  },
});
