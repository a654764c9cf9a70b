/**
 * MD5124 — a policy uses a workload `selector` on proxies that ignore selectors (IST0166). istiod
 * attaches AuthorizationPolicy, RequestAuthentication, Telemetry and WasmPlugin to a Gateway API
 * proxy only through `targetRefs` in two cases (pilot/pkg/model/policyattachment.go
 * ShouldAttachPolicy): always for waypoints, and for other Gateway API gateways when istiod runs with
 * ENABLE_SELECTOR_BASED_K8S_GATEWAY_POLICY=false. A selector that picks those pods is dropped there.
 *
 * Deliberately narrower than upstream: istioctl reports every selector that matches a pod labelled
 * `gateway.networking.k8s.io/gateway-name`, but that flag defaults to true (pilot/pkg/features), so
 * ordinary Gateway API gateways do honour selectors unless the flag is off. Severity: error for
 * AuthorizationPolicy and RequestAuthentication (a security control is not in effect there), warning
 * for Telemetry and WasmPlugin.
 */
import type {FindingDraft, KubeObject, Pod, Severity} from '../../src/core/index.js';
import {defineCheck, nameList, subjectOf} from '../../src/core/index.js';
import type {TargetablePolicy} from '../../src/mesh/istio/policy-attachment.js';
import {policyHasTargets, policySelector} from '../../src/mesh/istio/policy-attachment.js';

const GATEWAY_NAME = 'gateway.networking.k8s.io/gateway-name';
const GATEWAY_CLASS = 'gateway.networking.k8s.io/gateway-class-name';
const MANAGED = 'gateway.istio.io/managed';
const SELECTOR_FLAG = 'ENABLE_SELECTOR_BASED_K8S_GATEWAY_POLICY';

const POLICY_KINDS = [
  ['authorizationpolicies.security.istio.io', 'error'],
  ['requestauthentications.security.istio.io', 'error'],
  ['telemetries.telemetry.istio.io', 'warning'],
  ['wasmplugins.extensions.istio.io', 'warning'],
] as const;

function isWaypoint(pod: Pod): boolean {
  const l = pod.metadata.labels ?? {};
  return l[GATEWAY_CLASS] === 'istio-waypoint' || l[MANAGED] === 'istio.io-mesh-controller';
}

export default defineCheck({
  id: 'MD5124',
  slug: 'istio-policy-selector-ineffective',
  title: 'policies reach Gateway API proxies through targetRefs where selectors are ignored',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {
    kinds: ['pods'],
    optionalKinds: ['authorizationpolicies.security.istio.io', 'requestauthentications.security.istio.io', 'telemetries.telemetry.istio.io', 'wasmplugins.extensions.istio.io', 'deployments.apps'],
  },
  anchor: 'IST0166',
  *evaluate(ctx) {
    // The flag lives on istiod's environment; any revision turning it off makes its gateways ignore selectors.
    const gatewaysIgnoreSelectors = ctx.objects.select('deployments.apps', undefined, {app: 'istiod'}).some((d) =>
      d.spec.template.spec.containers.some((c) => (c.env ?? []).some((e) => e.name === SELECTOR_FLAG && e.value?.toLowerCase() === 'false')),
    );
    const root = ctx.mesh('istio')?.rootNamespace;
    for (const [kind, severity] of POLICY_KINDS) {
      for (const policy of ctx.objects.list(kind) as readonly (KubeObject & TargetablePolicy)[]) {
        const labels = policySelector(policy);
        if (!labels || policyHasTargets(policy)) continue;
        const ns = policy.metadata.namespace ?? 'default';
        // Security policies in the root namespace select workloads of every namespace.
        const everywhere = ns === root && severity === 'error';
        const ignoring = new Map<string, string>();
        for (const pod of ctx.objects.select('pods', everywhere ? undefined : ns, labels)) {
          const gateway = pod.metadata.labels?.[GATEWAY_NAME];
          if (gateway === undefined) continue;
          if (isWaypoint(pod)) ignoring.set(`${pod.metadata.namespace}/${gateway}`, 'waypoint');
          else if (gatewaysIgnoreSelectors) ignoring.set(`${pod.metadata.namespace}/${gateway}`, 'gateway');
        }
        if (ignoring.size === 0) continue;
        const names = [...ignoring.keys()];
        const what = [...new Set(ignoring.values())].map((w) => (w === 'waypoint' ? 'waypoints never honour selectors' : `istiod runs with ${SELECTOR_FLAG}=false`)).join('; ');
        const draft: FindingDraft = {
          subject: subjectOf(policy),
          severity: severity as Severity,
          message: `${policy.kind} ${ns}/${policy.metadata.name} selects Gateway API proxies ${nameList(names)} by label, which they ignore (${what}): attach it with targetRefs (kind Gateway, name ${names[0].split('/')[1]})`,
          evidence: {gateways: names.join(','), reason: [...new Set(ignoring.values())].join(',')},
        };
        yield draft;
      }
    }
  },
});
