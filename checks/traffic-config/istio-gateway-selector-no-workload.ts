/**
 * MD5111 — a Gateway's selector matches no running gateway pod (KIA0302): no proxy serves its
 * servers, so its hosts are unreachable. With istiod's PILOT_SCOPE_GATEWAY_TO_NAMESPACE=true only pods
 * in the Gateway's own namespace count. In files as written, a declared pod (a workload's template, a
 * Pod without status) counts as one that would run; absence is only said when the files hold gateway
 * workloads.
 */
import type {CheckContext, FindingDraft, Pod} from '../../src/core/index.js';
import {carriesState, defineCheck, notApplicable, selectorText, subjectOf} from '../../src/core/index.js';
import {gatewayPods, gatewaySelectorScopedToNamespace, isIstioGatewayPod} from '../../src/mesh/istio/gateways.js';

function* unserved(ctx: CheckContext, serving: (p: Pod) => boolean): Generator<FindingDraft> {
  const scoped = gatewaySelectorScopedToNamespace(ctx.objects);
  for (const gw of ctx.objects.list('gateways.networking.istio.io')) {
    if (Object.keys(gw.spec.selector ?? {}).length === 0) continue;
    if (gatewayPods(ctx.objects, gw, scoped).some(serving)) continue;
    yield {
      subject: subjectOf(gw),
      message: `Gateway ${gw.metadata.namespace}/${gw.metadata.name} selects ${selectorText(gw.spec.selector)} but no running pod${scoped ? ` in ${gw.metadata.namespace} (PILOT_SCOPE_GATEWAY_TO_NAMESPACE)` : ''} has those labels: nothing serves its hosts`,
      evidence: {selector: selectorText(gw.spec.selector), scopedToNamespace: scoped},
    };
  }
}

export default defineCheck({
  id: 'MD5111',
  slug: 'istio-gateway-selector-no-workload',
  title: 'every Gateway selects running gateway pods',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['istio'],
  inputs: {kinds: ['gateways.networking.istio.io', 'pods'], optionalKinds: ['deployments.apps']},
  anchor: 'KIA0302',
  evaluate(ctx) {
    // A dump holds pods with status and is judged as the cluster it shows. Files as written hold
    // declared pods only: one would run, but a missing gateway can only be said when the files hold
    // the gateway workloads at all.
    const pods = ctx.objects.list('pods');
    const declared = ctx.mode === 'manifests' && !pods.some((p) => carriesState('pods', p));
    if (declared && !pods.some(isIstioGatewayPod)) return notApplicable('the given files hold no Istio gateway workload (installed from another repository?)');
    return unserved(ctx, (p) => p.status?.phase === 'Running' || (declared && !carriesState('pods', p)));
  },
});
