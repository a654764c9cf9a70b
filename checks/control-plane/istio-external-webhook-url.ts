/**
 * MD2106 — an Istio webhook that points at an external control plane has an unusable address
 * (IST0163) or an IP address instead of a host name (IST0164). Remote clusters of an external
 * istiod reach it by `clientConfig.url` on the injector and validator webhooks; an entry with no
 * address, or a URL the API server cannot call (not https, no host, user info, query or fragment),
 * fails every call.
 *
 * Severity, stricter than upstream's warning where it matters: a broken address on a webhook with
 * `failurePolicy: Fail` (the admissionregistration/v1 default) rejects every pod creation in injected
 * namespaces (injector) or every Istio config change (validator) — error; with `Ignore`, pods start
 * without a sidecar or config goes unvalidated — warning. An IP literal works but breaks when the
 * address moves and needs an IP SAN on the serving certificate — info, as upstream.
 */
import type {FindingDraft, KubeObject, MutatingWebhookConfiguration, Severity, ValidatingWebhookConfiguration} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';

const RANK: Readonly<Record<Severity, number>> = {info: 0, warning: 1, error: 2};

/** Istio's injector and validator webhooks, by configuration name or entry name (istio/istio externalcontrolplane.go). */
function isIstioWebhook(config: KubeObject, entry: string): boolean {
  const name = config.metadata.name;
  if (config.kind === 'MutatingWebhookConfiguration') return name.startsWith('istio-sidecar-injector') || entry.endsWith('sidecar-injector.istio.io');
  return name === 'istiod-default-validator' || name.startsWith('istio-validator') || entry.endsWith('validation.istio.io');
}

/** Why the API server cannot call this URL, or 'ip' when it is an IP literal, or undefined when fine. */
function urlProblem(url: string): string | 'ip' | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL';
  }
  if (parsed.protocol !== 'https:') return `uses ${parsed.protocol.replace(/:$/, '')}, the API server calls webhooks over https only`;
  if (parsed.hostname === '') return 'has no host';
  if (parsed.username || parsed.password) return 'carries user info, which the API server rejects';
  if (parsed.search || parsed.hash) return 'has a query or fragment, which the API server rejects';
  // WHATWG URL parsing canonicalises IPv4 hosts to dotted quads and keeps IPv6 hosts in brackets.
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(parsed.hostname) || parsed.hostname.startsWith('[') ? 'ip' : undefined;
}

export default defineCheck({
  id: 'MD2106',
  slug: 'istio-external-webhook-url',
  title: 'Istio webhooks that call an external control plane have a usable host-name URL',
  block: 'control-plane',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {optionalKinds: ['mutatingwebhookconfigurations.admissionregistration.k8s.io', 'validatingwebhookconfigurations.admissionregistration.k8s.io']},
  anchor: 'IST0163, IST0164',
  *evaluate(ctx) {
    const configs: readonly (MutatingWebhookConfiguration | ValidatingWebhookConfiguration)[] = [
      ...ctx.objects.list('mutatingwebhookconfigurations.admissionregistration.k8s.io'),
      ...ctx.objects.list('validatingwebhookconfigurations.admissionregistration.k8s.io'),
    ];
    for (const config of configs) {
      const problems: string[] = [];
      let severity: Severity | undefined;
      const raise = (s: Severity) => {
        if (severity === undefined || RANK[s] > RANK[severity]) severity = s;
      };
      for (const hook of config.webhooks ?? []) {
        const name = hook.name;
        if (!isIstioWebhook(config, name)) continue;
        const url = hook.clientConfig.url;
        const hasService = hook.clientConfig.service !== undefined;
        const broken = hook.failurePolicy === 'Ignore' ? 'warning' : 'error';
        if (!url) {
          if (!hasService) {
            problems.push(`${name} has neither a url nor a service`);
            raise(broken);
          }
          continue;
        }
        if (hasService) {
          problems.push(`${name} sets both url and service (exactly one is allowed)`);
          raise(broken);
          continue;
        }
        const problem = urlProblem(url);
        if (problem === 'ip') {
          problems.push(`${name} reaches the external control plane at an IP address (${url})`);
          raise('info');
        } else if (problem) {
          problems.push(`${name} url ${url} ${problem}`);
          raise(broken);
        }
      }
      if (problems.length === 0 || severity === undefined) continue;
      const draft: FindingDraft = {
        subject: subjectOf(config),
        severity,
        message: `${config.kind} ${config.metadata.name}: ${problems.join('; ')}`,
        evidence: {webhooks: problems.length, first: problems[0]},
      };
      yield draft;
    }
  },
});
