/**
 * MD1201 — meshed pods whose default inbound policy is `deny`, in a namespace where nothing
 * authorises Prometheus to scrape the proxy's admin port (4191, `linkerd-admin`): their metrics
 * disappear, and every golden-metrics check goes blind there. Authorised means an
 * AuthorizationPolicy named `prometheus-scrape` (what `linkerd viz allow-scrapes` creates), or one
 * targeting a Server that selects the pod's admin port (or a route attached to it), or such a
 * Server whose own accessPolicy lets the traffic in.
 */
import type {FindingDraft, LinkerdServer, Pod} from '../../src/core/index.js';
import {defineCheck, groupBySubject, nameList, subjectOf} from '../../src/core/index.js';
import {injectionTargets} from '../../src/mesh/injection.js';
import {proxyContainer} from '../../src/mesh/markers.js';
import {defaultInboundPolicy, normGroup, POLICY_GROUP, PROXY_ADMIN_PORT, PROXY_ADMIN_PORT_NAME, routeAttachedToServer, serverAccessPolicy, serverSelectsPod} from '../../src/mesh/linkerd/policy.js';
import {podActive} from '../../src/mesh/pods.js';

const SCRAPE_POLICY = 'prometheus-scrape';

export default defineCheck({
  id: 'MD1201',
  slug: 'linkerd-prometheus-scrape-denied',
  title: 'Prometheus is authorised to scrape meshed pods whose default inbound policy is deny',
  block: 'cluster',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {
    kinds: ['pods', 'namespaces'],
    optionalKinds: ['servers.policy.linkerd.io', 'authorizationpolicies.policy.linkerd.io', 'httproutes.policy.linkerd.io', 'httproutes.gateway.networking.k8s.io'],
  },
  anchor: 'l5d-viz-data-plane-prom-authz',
  evaluate(ctx) {
    const denied: {pod: Pod; namespace: string}[] = [];
    for (const pod of ctx.objects.list('pods')) {
      if (!podActive(pod)) continue;
      const ns = ctx.objects.get('namespaces', undefined, pod.metadata.namespace ?? '');
      const meshed = proxyContainer(pod, 'linkerd') !== undefined || (ctx.mode === 'manifests' && injectionTargets(pod, ns, ['linkerd']).length > 0);
      if (meshed && defaultInboundPolicy(pod, ns) === 'deny') denied.push({pod, namespace: pod.metadata.namespace ?? 'default'});
    }
    const findings: FindingDraft[] = [];
    const byNamespace = new Map<string, {pod: Pod; namespace: string}[]>();
    for (const d of denied) byNamespace.set(d.namespace, [...(byNamespace.get(d.namespace) ?? []), d]);
    for (const [namespace, items] of byNamespace) {
      const policies = ctx.objects.list('authorizationpolicies.policy.linkerd.io', namespace);
      if (policies.some((p) => p.metadata.name === SCRAPE_POLICY)) continue;
      const servers = ctx.objects.list('servers.policy.linkerd.io', namespace).filter((s) => s.spec.port === PROXY_ADMIN_PORT || s.spec.port === PROXY_ADMIN_PORT_NAME);
      const routes = [...ctx.objects.list('httproutes.policy.linkerd.io', namespace), ...ctx.objects.list('httproutes.gateway.networking.k8s.io', namespace)];
      const opens = (server: LinkerdServer) =>
        serverAccessPolicy(server) !== 'deny' ||
        policies.some((p) => {
          const t = p.spec.targetRef;
          if (t.kind === 'Server' && normGroup(t.group) === POLICY_GROUP) return t.name === server.metadata.name;
          if (t.kind === 'HTTPRoute') return routes.some((r) => r.metadata.name === t.name && r.apiVersion.startsWith(`${normGroup(t.group) || POLICY_GROUP}/`) && routeAttachedToServer(r, server));
          return false;
        });
      const blocked = items.filter(({pod}) => !servers.some((s) => serverSelectsPod(s, pod) && opens(s)));
      if (blocked.length === 0) continue;
      const ns = ctx.objects.get('namespaces', undefined, namespace);
      const workloads = [...groupBySubject(blocked, (b) => ctx.workloads.ownerOf(b.pod)).values()].map((g) => `${g.subject.kind.toLowerCase()}/${g.subject.name}`);
      findings.push({
        subject: ns ? subjectOf(ns) : {kind: 'Namespace', apiVersion: 'v1', name: namespace},
        message: `${blocked.length} meshed pod(s) in ${namespace} deny inbound traffic by default and no AuthorizationPolicy lets Prometheus scrape port ${PROXY_ADMIN_PORT} (${PROXY_ADMIN_PORT_NAME}): ${nameList(workloads)}; their proxy metrics are missing`,
        evidence: {pods: blocked.length, workloads: nameList(workloads), example: blocked[0].pod.metadata.name},
      });
    }
    return findings;
  },
});
