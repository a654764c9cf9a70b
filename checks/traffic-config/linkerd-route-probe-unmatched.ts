/**
 * MD5211 — a Linkerd Server has inbound HTTPRoutes, and a kubelet HTTP probe of the pods it
 * selects (on the Server's port) matches none of them. For a Server without routes the policy
 * controller adds a default route and a route authorising the pod's probe paths; once any HTTPRoute
 * is attached to the Server both are gone, the proxy answers requests that match no route with
 * 404, and the probe fails: readiness takes the pods out of their Services, liveness restarts them,
 * startup never lets them start. Linkerd's per-route policy guide asks for a probe route for this
 * reason; nothing reports its absence. Probes that match a route are not judged further (whether
 * that route's AuthorizationPolicy admits the kubelet is left to MD6201's denial metrics).
 */
import type {FindingDraft, LinkerdServer} from '../../src/core/index.js';
import {defineCheck, nameList, subjectKey, subjectOf} from '../../src/core/index.js';
import {inboundRoutesByServer, routeMatches, routesOf} from '../../src/mesh/linkerd/inbound-routes.js';
import {linkerdMeshed} from '../../src/mesh/linkerd/meshed.js';
import {governingClaims, podServerClaims} from '../../src/mesh/linkerd/servers.js';
import {httpProbes} from '../../src/mesh/probes.js';

type Miss = {server: LinkerdServer; probes: Set<string>; kinds: Set<string>; pods: string[]; routes: string[]};

export default defineCheck({
  id: 'MD5211',
  slug: 'linkerd-route-probe-unmatched',
  title: 'kubelet probes on a Linkerd Server with HTTPRoutes match one of its routes',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['linkerd'],
  inputs: {
    kinds: ['servers.policy.linkerd.io'],
    optionalKinds: ['pods', 'namespaces', 'httproutes.policy.linkerd.io', 'httproutes.gateway.networking.k8s.io'],
  },
  anchor: 'none — gap (linkerd.io per-route policy guide: "the default route for probes will no longer be used")',
  evaluate(ctx) {
    const routeIndex = inboundRoutesByServer(ctx.objects);
    if (routeIndex.size === 0) return [];
    const misses = new Map<string, Miss>();
    for (const {pod, claims} of podServerClaims(ctx.objects)) {
      const probes = httpProbes(pod);
      if (probes.length === 0) continue;
      if (!linkerdMeshed(pod, ctx.objects.get('namespaces', undefined, pod.metadata.namespace ?? 'default'), ctx.mode)) continue;
      const governing = governingClaims(claims);
      for (const probe of probes) {
        const server = governing.get(probe.port)?.server;
        if (!server) continue;
        const routes = routesOf(routeIndex, server);
        if (routes.length === 0 || routes.some((r) => routeMatches(r, {method: 'GET', path: probe.path, headers: probe.headers}))) continue;
        const key = subjectKey(subjectOf(server));
        let miss = misses.get(key);
        if (!miss) misses.set(key, (miss = {server, probes: new Set(), kinds: new Set(), pods: [], routes: routes.map((r) => r.metadata.name).sort()}));
        miss.probes.add(`${probe.kind} GET ${probe.path}`);
        miss.kinds.add(probe.kind);
        if (!miss.pods.includes(pod.metadata.name)) miss.pods.push(pod.metadata.name);
      }
    }
    const findings: FindingDraft[] = [];
    for (const {server, probes, kinds, pods, routes} of misses.values()) {
      const effect = [
        kinds.has('readiness') ? 'the pods go unready and leave their Services' : '',
        kinds.has('liveness') ? 'the kubelet restarts them' : '',
        kinds.has('startup') ? 'they never finish starting' : '',
      ].filter(Boolean).join('; ');
      findings.push({
        subject: subjectOf(server),
        message: `Server ${server.metadata.namespace ?? 'default'}/${server.metadata.name} has HTTPRoutes (${nameList(routes, 3)}) but none matches the kubelet's ${[...probes].sort().join(', ')} on ${pods.length} pod(s) (${nameList(pods, 3)}): with routes attached Linkerd drops its default probe route, the proxy answers 404, and ${effect}`,
        evidence: {probes: [...probes].sort().join(','), routes: routes.join(','), pods: nameList(pods)},
      });
    }
    return findings;
  },
});
