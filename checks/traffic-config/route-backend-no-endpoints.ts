/**
 * MD5001 — a routing object sends traffic to a Service that exists but has no ready endpoint (D5):
 * a VirtualService destination, a Gateway API or Linkerd route backend, an SMI TrafficSplit
 * backend, a Consul ServiceRouter destination or ServiceSplitter split. Only destinations that
 * receive traffic count: weight > 0, or the only destination of its route. Missing Services are
 * left to the kind-specific reference checks (MD5103, MD5501, MD5002, MD5303), ExternalName
 * Services never have endpoints, and mirrors are best-effort copies.
 */
import type {FindingDraft, KubeObject, Service} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {kubernetesServiceFor} from '../../src/mesh/consul/catalog.js';
import {backendUses, ROUTE_KINDS} from '../../src/mesh/gateway-api/routes.js';
import {IstioHosts} from '../../src/mesh/istio/hosts.js';
import {readyEndpointCount} from '../../src/mesh/readiness.js';
import {parseWeight} from '../../src/mesh/weights.js';

type Use = Readonly<{service: Service | undefined; weight: number | undefined; where: string; written?: number | string}>;

/** Which uses of a destination list carry traffic: weight > 0, the only destination, or no weights at all. */
function carrying(uses: readonly Use[]): Use[] {
  if (uses.length === 1) return [...uses];
  if (uses.every((u) => u.weight === undefined)) return [...uses];
  return uses.filter((u) => (u.weight ?? 0) > 0);
}

export default defineCheck({
  id: 'MD5001',
  slug: 'route-backend-no-endpoints',
  title: 'routing objects send traffic only to Services with ready endpoints',
  block: 'traffic-config',
  severity: 'error',
  meshes: 'any',
  runtime: true,
  inputs: {
    kinds: ['services', 'endpointslices.discovery.k8s.io'],
    optionalKinds: [
      'virtualservices.networking.istio.io', ...ROUTE_KINDS.filter((k) => k.startsWith('httproutes') || k.startsWith('grpcroutes')),
      'trafficsplits.split.smi-spec.io', 'servicerouters.consul.hashicorp.com', 'servicesplitters.consul.hashicorp.com',
    ],
  },
  anchor: 'POP-1105 (analog); k8sgpt Service analyzer',
  evaluate(ctx) {
    const findings: FindingDraft[] = [];
    const endpoints = new Map<Service, number>();
    const ready = (svc: Service) => {
      let n = endpoints.get(svc);
      if (n === undefined) endpoints.set(svc, (n = readyEndpointCount(ctx.objects, svc)));
      return n;
    };
    const judge = (obj: KubeObject, groups: readonly (readonly Use[])[]) => {
      const empty = new Map<string, {svc: Service; where: string; weight?: number | string}>();
      for (const uses of groups) {
        for (const u of carrying(uses)) {
          if (!u.service || u.service.spec.type === 'ExternalName' || ready(u.service) > 0) continue;
          const key = `${u.service.metadata.namespace}/${u.service.metadata.name}`;
          if (!empty.has(key)) empty.set(key, {svc: u.service, where: u.where, weight: u.written ?? u.weight});
        }
      }
      if (empty.size === 0) return;
      const list = [...empty.values()];
      findings.push({
        subject: subjectOf(obj),
        message: `${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name} sends traffic to ${list.map((e) => `Service ${e.svc.metadata.namespace}/${e.svc.metadata.name} (${e.where}${e.weight !== undefined ? `, weight ${e.weight}` : ''})`).join(', ')}, which ${list.length > 1 ? 'have' : 'has'} no ready endpoint: those requests fail`,
        evidence: {services: list.map((e) => `${e.svc.metadata.namespace}/${e.svc.metadata.name}`).join(','), first: list[0].where},
      });
    };

    const istio = ctx.mesh('istio');
    const hosts = new IstioHosts(ctx.objects, ctx.options.clusterDomain, istio?.rootNamespace ?? istio?.namespace ?? 'istio-system', {serviceEntries: false, destinationRules: false});
    for (const vs of ctx.objects.list('virtualservices.networking.istio.io')) {
      const ns = vs.metadata.namespace ?? 'default';
      const groups: Use[][] = [];
      for (const kind of ['http', 'tls', 'tcp'] as const) {
        (vs.spec[kind] ?? []).forEach((r, i) => {
          groups.push((r.route ?? []).filter((d) => d.destination?.host).map((d, j) => ({service: hosts.serviceFor(d.destination.host, ns), weight: d.weight, where: `${kind}[${i}].route[${j}]`})));
        });
      }
      judge(vs, groups);
    }

    for (const key of ROUTE_KINDS) {
      if (!key.startsWith('httproutes') && !key.startsWith('grpcroutes')) continue;
      for (const route of ctx.objects.list(key)) {
        const byRule = new Map<string, Use[]>();
        for (const use of backendUses(route)) {
          if (use.mirror || use.target.kind !== 'Service' || use.target.group !== '') continue;
          const rule = use.where.slice(0, use.where.indexOf(']') + 1);
          byRule.set(rule, [...(byRule.get(rule) ?? []), {service: ctx.objects.get('services', use.target.namespace, use.target.name), weight: use.target.weight, where: use.where}]);
        }
        judge(route, [...byRule.values()]);
      }
    }

    for (const split of ctx.objects.list('trafficsplits.split.smi-spec.io')) {
      const ns = split.metadata.namespace ?? 'default';
      judge(split, [(split.spec.backends ?? []).map((b, i) => ({service: ctx.objects.get('services', ns, b.service), weight: parseWeight(b.weight) ?? 0, where: `backends[${i}]`, written: b.weight}))]);
    }

    for (const router of ctx.objects.list('servicerouters.consul.hashicorp.com')) {
      const ns = router.metadata.namespace ?? 'default';
      const groups = (router.spec?.routes ?? []).map((r, i) => [{service: kubernetesServiceFor(ctx.objects, r.destination?.service ?? router.metadata.name, ns), weight: undefined, where: `routes[${i}]`}]);
      judge(router, groups);
    }
    for (const splitter of ctx.objects.list('servicesplitters.consul.hashicorp.com')) {
      const ns = splitter.metadata.namespace ?? 'default';
      judge(splitter, [(splitter.spec?.splits ?? []).map((s, i) => ({service: kubernetesServiceFor(ctx.objects, s.service ?? splitter.metadata.name, ns), weight: parseWeight(s.weight) ?? 0, where: `splits[${i}]`, written: s.weight}))]);
    }
    return findings;
  },
});
