/**
 * MD5502 — a Gateway API route is not attached to its parent: the parent it names (a Gateway, a
 * Service for mesh routing — with a ClusterIP for Linkerd, which rejects headless parents — or a
 * Linkerd Server) does not exist, or the controller reports `Accepted=False` for it
 * (NoMatchingParent, NotAllowedByListeners, NoMatchingListenerHostname, RouteReasonConflicted…).
 * A parent that exists but that no controller has answered for after the status grace is a
 * warning: nothing implements the route. Statuses are not judged in a manifest-only run.
 */
import type {FindingDraft, Severity} from '../../src/core/index.js';
import {defineCheck, notApplicable, subjectOf} from '../../src/core/index.js';
import {currentCondition, GATEWAY_GROUP, LINKERD_POLICY_GROUP, listRoutes, parentTarget, refText, ROUTE_KINDS, sameParent} from '../../src/mesh/gateway-api/routes.js';
import {absenceIsKnown} from '../../src/mesh/references.js';

export default defineCheck({
  id: 'MD5502',
  slug: 'gateway-api-route-not-accepted',
  title: 'Gateway API routes are attached to parents that exist and accept them',
  block: 'traffic-config',
  severity: 'error',
  meshes: 'any',
  inputs: {
    optionalKinds: [...ROUTE_KINDS, 'gateways.gateway.networking.k8s.io', 'services', 'servers.policy.linkerd.io'],
  },
  anchor: 'IST0171; KIA1401; linkerd reason NoMatchingParent',
  evaluate(ctx) {
    if (ROUTE_KINDS.every((k) => ['absent', 'not-provided'].includes(ctx.objects.availability(k).state))) return notApplicable('no Gateway API route kinds are installed or provided');
    const linkerd = ctx.mesh('linkerd') !== undefined;
    const graceMs = ctx.thresholds().grace.statusSeconds * 1000;
    const findings: FindingDraft[] = [];
    for (const {route} of listRoutes(ctx.objects)) {
      const ns = route.metadata.namespace ?? 'default';
      const created = Date.parse(route.metadata.creationTimestamp ?? '');
      const settled = Number.isNaN(created) || ctx.now.getTime() - created >= graceMs;
      const errors: string[] = [];
      const warnings: string[] = [];
      for (const ref of route.spec.parentRefs ?? []) {
        const t = parentTarget(ref, ns);
        let exists: boolean | undefined;
        if (t.kind === 'Gateway' && t.group === GATEWAY_GROUP) {
          if (absenceIsKnown(ctx.objects, ctx.mode, 'gateways.gateway.networking.k8s.io')) exists = ctx.objects.get('gateways.gateway.networking.k8s.io', t.namespace, t.name) !== undefined;
        } else if (t.kind === 'Service' && t.group === '') {
          const svc = ctx.objects.get('services', t.namespace, t.name);
          if (absenceIsKnown(ctx.objects, ctx.mode, 'services')) exists = svc !== undefined;
          if (svc && linkerd && svc.spec.clusterIP === 'None') {
            errors.push(`parent Service ${t.namespace}/${t.name} is headless; Linkerd only attaches routes to Services with a cluster IP`);
            continue;
          }
        } else if (t.kind === 'Server' && t.group === LINKERD_POLICY_GROUP) {
          if (absenceIsKnown(ctx.objects, ctx.mode, 'servers.policy.linkerd.io')) exists = ctx.objects.get('servers.policy.linkerd.io', t.namespace, t.name) !== undefined;
        }
        if (exists === false) {
          errors.push(`parent ${refText(t)} does not exist`);
          continue;
        }
        if (ctx.mode === 'manifests') continue;
        const statuses = (route.status?.parents ?? []).filter((p) => sameParent(parentTarget(p.parentRef, ns), t));
        for (const s of statuses) {
          const accepted = currentCondition(s.conditions, 'Accepted', route.metadata.generation);
          if (accepted?.status === 'False') errors.push(`${s.controllerName ?? 'the controller'} did not accept it on ${refText(t)} (${accepted.reason ?? 'no reason'}${accepted.message ? `: ${accepted.message}` : ''})`);
        }
        if (statuses.length === 0 && exists === true && settled) warnings.push(`no controller reports status for parent ${refText(t)}: nothing implements this route there`);
      }
      const problems = [...errors, ...warnings];
      if (problems.length === 0) continue;
      const severity: Severity = errors.length > 0 ? 'error' : 'warning';
      findings.push({
        subject: subjectOf(route),
        severity,
        message: `${route.kind} ${ns}/${route.metadata.name}: ${problems.join('; ')}`,
        evidence: {parents: (route.spec.parentRefs ?? []).length, problems: problems.length},
      });
    }
    return findings;
  },
});
