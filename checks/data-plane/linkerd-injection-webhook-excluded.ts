/**
 * MD3203 — a namespace asks Linkerd to inject its pods (`linkerd.io/inject: enabled|ingress` on
 * the namespace or on its pods' templates) but the proxy injector's webhook never sees them: its
 * `namespaceSelector` leaves the namespace out. The chart's selector skips namespaces labelled
 * `config.linkerd.io/admission-webhooks: disabled` (the label the linkerd namespace carries, often
 * copied) and `kube-system`, `cert-manager` (proxyInjector.namespaceSelector in
 * charts/linkerd-control-plane/values.yaml, linkerd/linkerd2). Every pod there starts without a
 * proxy, silently. The selector of the installed MutatingWebhookConfiguration is used when it was
 * read; otherwise (a manifest repository) the chart's default.
 */
import type {FindingDraft, LabelSelector, Namespace, Pod} from '../../src/core/index.js';
import {defineCheck, matchesSelector, nameList, selectorText, subjectKey, subjectOf} from '../../src/core/index.js';

const INJECTOR_SERVICE = 'linkerd-proxy-injector';
const DEFAULT_NAMESPACE_SELECTOR: LabelSelector = {
  matchExpressions: [
    {key: 'config.linkerd.io/admission-webhooks', operator: 'NotIn', values: ['disabled']},
    {key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'cert-manager']},
  ],
};
const ASKS = new Set(['enabled', 'ingress']);

function asksForInjection(obj: Namespace | Pod): boolean {
  const value = obj.metadata?.annotations?.['linkerd.io/inject'];
  return typeof value === 'string' && ASKS.has(value);
}

export default defineCheck({
  id: 'MD3203',
  slug: 'linkerd-injection-webhook-excluded',
  title: 'namespaces that ask for Linkerd injection are seen by the proxy injector',
  block: 'data-plane',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {kinds: ['namespaces'], optionalKinds: ['pods', 'mutatingwebhookconfigurations.admissionregistration.k8s.io']},
  anchor: 'none — gap (MD3002 sees the pods without a proxy afterwards)',
  evaluate(ctx) {
    const linkerdNs = ctx.mesh('linkerd')?.namespace;
    let selector = DEFAULT_NAMESPACE_SELECTOR;
    let source = 'the chart default';
    for (const mwc of ctx.objects.list('mutatingwebhookconfigurations.admissionregistration.k8s.io')) {
      const hook = (Array.isArray(mwc.webhooks) ? mwc.webhooks : []).find((w) => w?.clientConfig?.service?.name === INJECTOR_SERVICE && (!linkerdNs || w.clientConfig.service.namespace === linkerdNs));
      if (!hook) continue;
      selector = hook.namespaceSelector && typeof hook.namespaceSelector === 'object' ? hook.namespaceSelector : {};
      source = `MutatingWebhookConfiguration ${mwc.metadata.name}`;
      break;
    }
    const findings: FindingDraft[] = [];
    for (const ns of ctx.objects.list('namespaces')) {
      const name = ns.metadata.name;
      if (name === linkerdNs) continue;
      // kubernetes.io/metadata.name is set by the API server on every namespace (absent from manifests).
      const labels = {...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name};
      if (matchesSelector(labels, selector)) continue;
      const own = asksForInjection(ns);
      const pods = ctx.objects.list('pods', name).filter((p) => p.metadata.annotations?.['linkerd.io/inject'] !== 'disabled' && (own || asksForInjection(p)));
      if (!own && pods.length === 0) continue;
      const workloads = [...new Set(pods.map((p) => subjectKey(ctx.workloads.ownerOf(p))))];
      findings.push({
        subject: subjectOf(ns),
        message: `namespace ${name} asks for Linkerd injection${own ? '' : ' (on its pods)'} but the proxy injector's namespaceSelector {${selectorText(selector)}} (${source}) leaves it out: ${workloads.length ? `${nameList(workloads, 3)} start` : 'its pods start'} without a proxy`,
        evidence: {selector: selectorText(selector), source, workloads: nameList(workloads) || null},
      });
    }
    return findings;
  },
});
