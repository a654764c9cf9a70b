/**
 * MD5501 — a Gateway API route (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute; and Linkerd's
 * policy.linkerd.io HTTPRoute) sends traffic to a backend that cannot be resolved: a missing
 * Service, a port the Service does not expose, a cross-namespace reference without a
 * ReferenceGrant, or a kind no mesh implements. The controller's own `ResolvedRefs=False`
 * (BackendNotFound, RefNotPermitted, InvalidKind) is reported too. Requests for that backend get
 * 500s (HTTP) or are dropped.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, notApplicable, subjectOf} from '../../src/core/index.js';
import {backendUses, currentCondition, listRoutes, refText, referenceGranted, ROUTE_KINDS, routeGroup} from '../../src/mesh/gateway-api/routes.js';
import {absenceIsKnown} from '../../src/mesh/references.js';

const ISTIO_GROUP = 'networking.istio.io';
const LINKERD_POLICY = 'policy.linkerd.io';

export default defineCheck({
  id: 'MD5501',
  slug: 'gateway-api-backend-not-found',
  title: 'Gateway API route backends resolve to existing Services and ports',
  block: 'traffic-config',
  severity: 'error',
  meshes: 'any',
  inputs: {
    optionalKinds: [...ROUTE_KINDS, 'services', 'referencegrants.gateway.networking.k8s.io', 'serviceentries.networking.istio.io', 'egressnetworks.policy.linkerd.io'],
  },
  anchor: 'KIA1402; linkerd reason BackendNotFound',
  evaluate(ctx) {
    if (ROUTE_KINDS.every((k) => ['absent', 'not-provided'].includes(ctx.objects.availability(k).state))) return notApplicable('no Gateway API route kinds are installed or provided');
    const servicesKnown = absenceIsKnown(ctx.objects, ctx.mode, 'services');
    const findings: FindingDraft[] = [];
    for (const {route} of listRoutes(ctx.objects)) {
      const ns = route.metadata.namespace ?? 'default';
      const from = {group: routeGroup(route), kind: route.kind, namespace: ns};
      const problems: string[] = [];
      const resolvedByController = (route.status?.parents ?? []).some((p) => currentCondition(p.conditions, 'ResolvedRefs', route.metadata.generation)?.status === 'True');
      const seen = new Set<string>();
      for (const {target: t, where} of backendUses(route)) {
        const key = `${t.group}/${t.kind}/${t.namespace}/${t.name}/${t.port ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const granted = referenceGranted(ctx.objects, from, t);
        if (!granted) problems.push(`${where} refers to ${refText(t)} in another namespace and no ReferenceGrant in ${t.namespace} allows ${route.kind} from ${ns}`);
        if (t.kind === 'Service' && t.group === '') {
          const svc = ctx.objects.get('services', t.namespace, t.name);
          if (!svc) {
            if (servicesKnown) problems.push(`${where} sends to Service ${t.namespace}/${t.name}, which does not exist`);
          } else if (t.port !== undefined && !(svc.spec.ports ?? []).some((p) => p.port === t.port)) {
            problems.push(`${where} sends to port ${t.port} of Service ${t.namespace}/${t.name}, which exposes ${(svc.spec.ports ?? []).map((p) => p.port).join(', ') || 'no port'}`);
          }
        } else if (t.group === ISTIO_GROUP && t.kind === 'ServiceEntry') {
          if (absenceIsKnown(ctx.objects, ctx.mode, 'serviceentries.networking.istio.io') && !ctx.objects.get('serviceentries.networking.istio.io', t.namespace, t.name)) problems.push(`${where} sends to ServiceEntry ${t.namespace}/${t.name}, which does not exist`);
        } else if (t.group === ISTIO_GROUP && t.kind === 'Hostname') {
          // Istio resolves Hostname backends by DNS name: nothing to look up.
        } else if (t.group === LINKERD_POLICY && t.kind === 'EgressNetwork') {
          if (absenceIsKnown(ctx.objects, ctx.mode, 'egressnetworks.policy.linkerd.io') && !ctx.objects.get('egressnetworks.policy.linkerd.io', t.namespace, t.name)) problems.push(`${where} sends to EgressNetwork ${t.namespace}/${t.name}, which does not exist`);
        } else if (!resolvedByController) {
          problems.push(`${where} uses backend kind ${t.group ? `${t.group}/` : ''}${t.kind}, which no mesh implements (Service, Istio ServiceEntry/Hostname, Linkerd EgressNetwork)`);
        }
      }
      if (ctx.mode !== 'manifests') {
        for (const parent of route.status?.parents ?? []) {
          const c = currentCondition(parent.conditions, 'ResolvedRefs', route.metadata.generation);
          if (c?.status === 'False') problems.push(`${parent.controllerName ?? 'the controller'} reports ResolvedRefs=False for parent ${parent.parentRef.name} (${c.reason ?? 'no reason'}${c.message ? `: ${c.message}` : ''})`);
        }
      }
      if (problems.length > 0) {
        findings.push({
          subject: subjectOf(route),
          message: `${route.kind} ${ns}/${route.metadata.name}: ${problems.join('; ')}`,
          evidence: {problems: problems.length, group: from.group},
        });
      }
    }
    return findings;
  },
});
