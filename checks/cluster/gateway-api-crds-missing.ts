/**
 * MD1002 — the Gateway API CRDs a mesh reads routes from are missing or too old. Linkerd 2.18+
 * refuses to work without `httproutes`/`grpcroutes` (gateway.networking.k8s.io) serving v1; Istio
 * ignores Gateway API objects whose CRD serves no v1.
 */
import type {CustomResourceDefinition, FindingDraft} from '../../src/core/index.js';
import {defineCheck, notApplicable, parseLinkerdTag, subjectOf} from '../../src/core/index.js';
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
    optionalKinds: ['gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io'],
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
