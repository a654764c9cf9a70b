/**
 * MD1002 — the Gateway API CRDs a mesh reads routes from are missing or too old. Linkerd 2.18+
 * refuses to work without `httproutes`/`grpcroutes` (gateway.networking.k8s.io) serving v1; Istio
 * ignores Gateway API objects whose CRD serves no v1, and — per CRD, from the release that set the
 * floor (src/mesh/istio/gateway-api-versions.ts) — a CRD whose bundle-version annotation is below its
 * minimum or missing: grpcroutes 1.1.0, backendtlspolicies 1.4.0, tlsroutes 1.5.0 (1.30+), tcproutes
 * 1.6.0 (1.31+) (IST0176). Below the minimum is an error when objects of that kind exist (they are not
 * processed: their traffic fails) and a warning otherwise (upstream: warning either way).
 */
import type {CustomResourceDefinition, FindingDraft} from '../../src/core/index.js';
import {defineCheck, notApplicable, parseLinkerdTag, parseSemverTag, subjectOf} from '../../src/core/index.js';
import {bundleBelow, istioGatewayApiMinimums, parseBundleVersion} from '../../src/mesh/istio/gateway-api-versions.js';
import {requiresGatewayApi} from '../../src/mesh/linkerd/versions.js';

const GROUP = 'gateway.networking.k8s.io';
const BUNDLE_ANNOTATION = 'gateway.networking.k8s.io/bundle-version';

function servesV1(crd: CustomResourceDefinition): boolean {
  return crd.spec.versions.some((v) => v.name === 'v1' && v.served);
}

function evidence(crd: CustomResourceDefinition) {
  return {
    crd: crd.metadata.name,
    served: crd.spec.versions.filter((v) => v.served).map((v) => v.name).join(',') || 'none',
    bundleVersion: crd.metadata.annotations?.[BUNDLE_ANNOTATION] ?? null,
  };
}

export default defineCheck({
  id: 'MD1002',
  slug: 'gateway-api-crds-missing',
  title: 'the Gateway API CRDs the mesh reads are installed and serve v1',
  block: 'cluster',
  severity: 'error',
  meshes: ['linkerd', 'istio'],
  inputs: {
    kinds: ['customresourcedefinitions.apiextensions.k8s.io'],
    optionalKinds: ['gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io', 'grpcroutes.gateway.networking.k8s.io', 'tlsroutes.gateway.networking.k8s.io', 'tcproutes.gateway.networking.k8s.io'],
  },
  anchor: 'linkerd gateway-api-crd; IST0156, IST0176',
  evaluate(ctx) {
    const crds = new Map(ctx.objects.list('customresourcedefinitions.apiextensions.k8s.io').map((c) => [c.metadata.name, c]));
    const findings: FindingDraft[] = [];
    const reported = new Set<string>();
    const linkerd = ctx.mesh('linkerd');
    const istio = ctx.mesh('istio');
    let evaluated = false;
    const notEvaluated: string[] = [];

    if (linkerd) {
      const needs = requiresGatewayApi(parseLinkerdTag(linkerd.version));
      if (needs === undefined) notEvaluated.push('Linkerd version unknown (image tag not parseable)');
      else if (!needs) notEvaluated.push(`Linkerd ${linkerd.version} predates the Gateway API requirement (2.18)`);
      else {
        evaluated = true;
        const routes = ['httproutes', 'grpcroutes'].map((p) => crds.get(`${p}.${GROUP}`));
        if (routes.every((c) => c === undefined)) {
          findings.push({
            subject: null,
            message: `Linkerd ${linkerd.version} needs the Gateway API CRDs, but neither httproutes.${GROUP} nor grpcroutes.${GROUP} is installed`,
            evidence: {linkerdVersion: linkerd.version ?? null},
          });
        }
        for (const crd of routes) {
          if (crd && !servesV1(crd)) {
            reported.add(crd.metadata.name);
            findings.push({subject: subjectOf(crd), message: `${crd.metadata.name} serves no v1 version; Linkerd ${linkerd.version} needs Gateway API v1.1.1 or later`, evidence: evidence(crd)});
          }
        }
      }
    }
    if (istio) {
      const istioVersion = parseSemverTag(istio.version);
      const minimums = istioVersion ? istioGatewayApiMinimums(istioVersion) : new Map<string, readonly [number, number, number]>();
      if (istioVersion && [...minimums.keys()].some((name) => crds.has(name))) {
        evaluated = true;
        const inUse: Record<string, number> = {
          'grpcroutes.gateway.networking.k8s.io': ctx.objects.list('grpcroutes.gateway.networking.k8s.io').length,
          'tlsroutes.gateway.networking.k8s.io': ctx.objects.list('tlsroutes.gateway.networking.k8s.io').length,
          'tcproutes.gateway.networking.k8s.io': ctx.objects.list('tcproutes.gateway.networking.k8s.io').length,
        };
        for (const [name, minimum] of minimums) {
          const crd = crds.get(name);
          if (!crd || reported.has(name)) continue;
          const bundleText = crd.metadata.annotations?.[BUNDLE_ANNOTATION];
          const bundle = parseBundleVersion(bundleText);
          if (bundle && !bundleBelow(bundle, minimum)) continue;
          reported.add(name);
          const objects = inUse[name] ?? 0;
          const why = bundleText === undefined ? `has no ${BUNDLE_ANNOTATION} annotation` : `is at bundle ${bundleText}, below the minimum v${minimum.join('.')}`;
          findings.push({
            subject: subjectOf(crd),
            severity: objects > 0 ? 'error' : 'warning',
            message: `${name} ${why} Istio ${istioVersion.text} requires, so istiod ignores it${objects > 0 ? `: ${objects} ${crd.spec.names.kind} object(s) are not processed` : ' (resources of this kind will not be processed)'}; upgrade the Gateway API CRDs`,
            evidence: {...evidence(crd), minimumBundle: `v${minimum.join('.')}`, istioVersion: istioVersion.text, objects},
          });
        }
      }
      const used = ctx.objects.list('gateways.gateway.networking.k8s.io').length + ctx.objects.list('httproutes.gateway.networking.k8s.io').length > 0;
      if (!used) notEvaluated.push('no Gateway API objects in use with Istio');
      else {
        evaluated = true;
        for (const plural of ['gateways', 'httproutes']) {
          const crd = crds.get(`${plural}.${GROUP}`);
          if (crd && !servesV1(crd) && !reported.has(crd.metadata.name)) {
            findings.push({subject: subjectOf(crd), message: `Gateway API objects exist but ${crd.metadata.name} serves no v1 version; Istio ignores them`, evidence: evidence(crd)});
          }
        }
      }
    }
    return evaluated ? findings : notApplicable(notEvaluated.join('; '));
  },
});
