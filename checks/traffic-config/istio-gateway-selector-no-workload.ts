/**
 * MD5111 — a Gateway's selector matches no running gateway pod (KIA0302): no proxy serves its
 * servers, so its hosts are unreachable. With istiod's PILOT_SCOPE_GATEWAY_TO_NAMESPACE=true only pods
 * in the Gateway's own namespace count.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, selectorText, subjectOf} from '../../src/core/index.js';
import {gatewayPods, gatewaySelectorScopedToNamespace} from '../../src/mesh/istio/gateways.js';

export default defineCheck({
  id: 'MD5111',
  slug: 'istio-gateway-selector-no-workload',
  title: 'every Gateway selects running gateway pods',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['istio'],
  runtime: true,
  inputs: {kinds: ['gateways.networking.istio.io', 'pods'], optionalKinds: ['deployments.apps']},
  anchor: 'KIA0302',
  *evaluate(ctx) {
    const scoped = gatewaySelectorScopedToNamespace(ctx.objects);
    for (const gw of ctx.objects.list('gateways.networking.istio.io')) {
      if (Object.keys(gw.spec.selector ?? {}).length === 0) continue;
      const pods = gatewayPods(ctx.objects, gw, scoped).filter((p) => p.status?.phase === 'Running');
      if (pods.length > 0) continue;
      const draft: FindingDraft = {
        subject: subjectOf(gw),
        message: `Gateway ${gw.metadata.namespace}/${gw.metadata.name} selects ${selectorText(gw.spec.selector)} but no running pod${scoped ? ` in ${gw.metadata.namespace} (PILOT_SCOPE_GATEWAY_TO_NAMESPACE)` : ''} has those labels: nothing serves its hosts`,
        evidence: {selector: selectorText(gw.spec.selector), scopedToNamespace: scoped},
      };
      yield draft;
    }
  },
});
