/**
 * MD5203 — a Linkerd AuthorizationPolicy names a target (Server, HTTPRoute of either group,
 * GRPCRoute, Namespace) or a required authentication (MeshTLSAuthentication,
 * NetworkAuthentication, ServiceAccount) that does not exist. Linkerd then ignores the whole
 * policy: the clients it was meant to allow are denied. A Namespace target must be the policy's own
 * namespace.
 */
import type {FindingDraft, LinkerdTargetRef, ResourceKey} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {normGroup, POLICY_GROUP} from '../../src/mesh/linkerd/policy.js';
import {absenceIsKnown, serviceAccountExists} from '../../src/mesh/references.js';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** The resource key a target reference of this group/kind lives under, if Linkerd accepts it. */
function targetKind(ref: LinkerdTargetRef): ResourceKey | 'namespace' | undefined {
  const group = normGroup(ref.group);
  if (ref.kind === 'Server' && group === POLICY_GROUP) return 'servers.policy.linkerd.io';
  if (ref.kind === 'HTTPRoute' && (group === POLICY_GROUP || group === '')) return 'httproutes.policy.linkerd.io';
  if (ref.kind === 'HTTPRoute' && group === GATEWAY_GROUP) return 'httproutes.gateway.networking.k8s.io';
  if (ref.kind === 'GRPCRoute' && group === GATEWAY_GROUP) return 'grpcroutes.gateway.networking.k8s.io';
  if (ref.kind === 'Namespace' && group === '') return 'namespace';
  return undefined;
}

function authenticationKind(ref: LinkerdTargetRef): ResourceKey | undefined {
  const group = normGroup(ref.group);
  if (ref.kind === 'MeshTLSAuthentication' && group === POLICY_GROUP) return 'meshtlsauthentications.policy.linkerd.io';
  if (ref.kind === 'NetworkAuthentication' && group === POLICY_GROUP) return 'networkauthentications.policy.linkerd.io';
  if (ref.kind === 'ServiceAccount' && group === '') return 'serviceaccounts';
  return undefined;
}

export default defineCheck({
  id: 'MD5203',
  slug: 'linkerd-authz-ref-not-found',
  title: 'Linkerd AuthorizationPolicies target and require objects that exist',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['linkerd'],
  inputs: {
    kinds: ['authorizationpolicies.policy.linkerd.io'],
    optionalKinds: [
      'servers.policy.linkerd.io', 'httproutes.policy.linkerd.io', 'httproutes.gateway.networking.k8s.io', 'grpcroutes.gateway.networking.k8s.io',
      'meshtlsauthentications.policy.linkerd.io', 'networkauthentications.policy.linkerd.io', 'serviceaccounts',
    ],
  },
  anchor: 'none — gap',
  evaluate(ctx) {
    const findings: FindingDraft[] = [];
    for (const policy of ctx.objects.list('authorizationpolicies.policy.linkerd.io')) {
      const ns = policy.metadata.namespace ?? 'default';
      const problems: string[] = [];
      const t = policy.spec.targetRef;
      const kind = targetKind(t);
      if (kind === undefined) problems.push(`targetRef ${t.group ? `${t.group}/` : ''}${t.kind} ${t.name} is not a kind Linkerd can target (Server, HTTPRoute, GRPCRoute, Namespace)`);
      else if (kind === 'namespace') {
        if (t.name !== ns) problems.push(`targetRef Namespace ${t.name} is not the policy's own namespace (${ns}); namespace targets only apply locally`);
      } else if (absenceIsKnown(ctx.objects, ctx.mode, kind) && !ctx.objects.get(kind, ns, t.name)) {
        problems.push(`targetRef ${t.kind} ${ns}/${t.name} does not exist`);
      }
      for (const ref of policy.spec.requiredAuthenticationRefs ?? []) {
        const refNs = ref.namespace ?? ns;
        const authKind = authenticationKind(ref);
        if (!authKind) {
          problems.push(`requiredAuthenticationRefs names ${ref.group ? `${ref.group}/` : ''}${ref.kind} ${ref.name}, which is not an authentication kind`);
          continue;
        }
        if (!absenceIsKnown(ctx.objects, ctx.mode, authKind)) continue;
        const exists = authKind === 'serviceaccounts' ? serviceAccountExists(ctx.objects, refNs, ref.name) : ctx.objects.get(authKind, refNs, ref.name) !== undefined;
        if (!exists) problems.push(`required ${ref.kind} ${refNs}/${ref.name} does not exist`);
      }
      if (problems.length > 0) {
        findings.push({
          subject: subjectOf(policy),
          message: `AuthorizationPolicy ${ns}/${policy.metadata.name}: ${problems.join('; ')}; Linkerd ignores the policy, so the clients it should allow are denied`,
          evidence: {problems: problems.length, target: `${t.kind}/${t.name}`},
        });
      }
    }
    return findings;
  },
});
