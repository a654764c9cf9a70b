/**
 * MD5202 — a Linkerd Server whose access policy is deny (the default for v1beta3 Servers, and the
 * only behaviour of older versions) has nothing that authorises traffic to it: no
 * AuthorizationPolicy targeting the Server, its namespace, or a route attached to it, and no
 * ServerAuthorization naming or selecting it. Every request or connection to that port is refused
 * (HTTP 403, gRPC PermissionDenied, TCP close).
 */
import type {FindingDraft, LinkerdServer, Route} from '../../src/core/index.js';
import {defineCheck, matchesSelector, subjectOf} from '../../src/core/index.js';
import {normGroup, POLICY_GROUP, routeAttachedToServer, serverAccessPolicy} from '../../src/mesh/linkerd/policy.js';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export default defineCheck({
  id: 'MD5202',
  slug: 'linkerd-server-no-authorization',
  title: 'every Linkerd Server that denies by default has an authorization',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {
    kinds: ['servers.policy.linkerd.io'],
    optionalKinds: [
      'authorizationpolicies.policy.linkerd.io', 'serverauthorizations.policy.linkerd.io',
      'httproutes.policy.linkerd.io', 'httproutes.gateway.networking.k8s.io', 'grpcroutes.gateway.networking.k8s.io',
    ],
  },
  anchor: 'none — gap',
  evaluate(ctx) {
    const findings: FindingDraft[] = [];
    for (const server of ctx.objects.list('servers.policy.linkerd.io')) {
      const access = serverAccessPolicy(server);
      if (access !== 'deny') continue;
      const ns = server.metadata.namespace ?? 'default';
      const routes: {route: Route; group: string; kind: string}[] = [
        ...ctx.objects.list('httproutes.policy.linkerd.io', ns).map((route) => ({route, group: POLICY_GROUP, kind: 'HTTPRoute'})),
        ...ctx.objects.list('httproutes.gateway.networking.k8s.io', ns).map((route) => ({route, group: GATEWAY_GROUP, kind: 'HTTPRoute'})),
        ...ctx.objects.list('grpcroutes.gateway.networking.k8s.io', ns).map((route) => ({route, group: GATEWAY_GROUP, kind: 'GRPCRoute'})),
      ].filter((r) => routeAttachedToServer(r.route, server));
      const targets = (s: LinkerdServer) =>
        ctx.objects.list('authorizationpolicies.policy.linkerd.io', ns).some((p) => {
          const t = p.spec.targetRef;
          const group = normGroup(t.group);
          if (t.kind === 'Server') return group === POLICY_GROUP && t.name === s.metadata.name;
          if (t.kind === 'Namespace') return group === '' && t.name === ns;
          return routes.some((r) => r.kind === t.kind && r.group === (group || POLICY_GROUP) && r.route.metadata.name === t.name);
        });
      const legacy = ctx.objects.list('serverauthorizations.policy.linkerd.io', ns).some(
        (a) => a.spec.server.name === server.metadata.name || (a.spec.server.selector !== undefined && matchesSelector(server.metadata.labels, a.spec.server.selector)),
      );
      if (targets(server) || legacy) continue;
      findings.push({
        subject: subjectOf(server),
        message: `Server ${ns}/${server.metadata.name} (port ${server.spec.port}) denies by default${server.spec.accessPolicy ? '' : ' (no accessPolicy set)'} and no AuthorizationPolicy or ServerAuthorization allows anything: all traffic to that port is refused`,
        evidence: {port: String(server.spec.port), accessPolicy: access, routes: routes.map((r) => r.route.metadata.name).join(',') || null},
      });
    }
    return findings;
  },
});
