/**
 * MD5303 — a Consul L7 entry points at a service or subset that does not exist: a ServiceRouter
 * destination, a ServiceSplitter split, a ServiceResolver redirect or failover target names a
 * service no injected pod registers (error), or a `serviceSubset`/`defaultSubset` the target's
 * ServiceResolver does not define (error). The entry's own name not being a registered service
 * is a warning (it applies to nothing). Requests routed there fail with "no healthy upstream".
 */
import type {ConsulServiceTarget, FindingDraft, ServiceResolver, ServiceRouter, ServiceSplitter, Severity} from '../../src/core/index.js';
import {defineCheck, notApplicable, subjectOf} from '../../src/core/index.js';
import {knownConsulServices, terminatingGatewayServices} from '../../src/mesh/consul/catalog.js';

export default defineCheck({
  id: 'MD5303',
  slug: 'consul-l7-ref-not-found',
  title: 'Consul routers, splitters and resolvers point at registered services and defined subsets',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['consul'],
  inputs: {
    kinds: ['pods', 'services'],
    optionalKinds: ['servicerouters.consul.hashicorp.com', 'servicesplitters.consul.hashicorp.com', 'serviceresolvers.consul.hashicorp.com', 'terminatinggateways.consul.hashicorp.com'],
  },
  anchor: 'none — gap',
  evaluate(ctx) {
    if (ctx.scope.mode === 'namespaces') return notApplicable('the Consul catalog spans every namespace; registered services cannot be known from a -n subset (run without -n)');
    const known = new Set([...knownConsulServices(ctx.objects), ...terminatingGatewayServices(ctx.objects)]);
    const resolvers = new Map<string, ServiceResolver>();
    for (const r of ctx.objects.list('serviceresolvers.consul.hashicorp.com')) if (!resolvers.has(r.metadata.name)) resolvers.set(r.metadata.name, r);
    const findings: FindingDraft[] = [];

    const judge = (entry: ServiceResolver | ServiceRouter | ServiceSplitter, targets: readonly {where: string; target: ConsulServiceTarget}[]) => {
      const errors: string[] = [];
      const warnings: string[] = [];
      const self = entry.metadata.name;
      if (!known.has(self)) warnings.push(`its name ${self} is not a registered Consul service, so it applies to nothing`);
      for (const {where, target} of targets) {
        if (target.peer || target.partition || target.samenessGroup || target.datacenter) continue;
        const service = target.service ?? self;
        if (service === self && !known.has(self)) continue; // already said: the entry's own service is unknown
        if (!known.has(service)) {
          errors.push(`${where} names service ${service}, which no injected pod registers`);
          continue;
        }
        if (target.serviceSubset) {
          const subsets = Object.keys(resolvers.get(service)?.spec?.subsets ?? {});
          if (!subsets.includes(target.serviceSubset)) errors.push(`${where} names subset ${target.serviceSubset} of ${service}, but ${resolvers.has(service) ? `its ServiceResolver defines ${subsets.join(', ') || 'no subsets'}` : 'no ServiceResolver defines subsets for it'}`);
        }
      }
      const problems = [...errors, ...warnings];
      if (problems.length === 0) return;
      const severity: Severity = errors.length > 0 ? 'error' : 'warning';
      findings.push({subject: subjectOf(entry), severity, message: `${entry.kind} ${entry.metadata.namespace}/${self}: ${problems.join('; ')}`, evidence: {problems: problems.length}});
    };

    for (const router of ctx.objects.list('servicerouters.consul.hashicorp.com')) {
      judge(router, (router.spec?.routes ?? []).filter((r) => r.destination).map((r, i) => ({where: `routes[${i}].destination`, target: r.destination!})));
    }
    for (const splitter of ctx.objects.list('servicesplitters.consul.hashicorp.com')) {
      judge(splitter, (splitter.spec?.splits ?? []).map((s, i) => ({where: `splits[${i}]`, target: s})));
    }
    for (const resolver of resolvers.values()) {
      const spec = resolver.spec ?? {};
      const targets: {where: string; target: ConsulServiceTarget}[] = [];
      if (spec.defaultSubset) targets.push({where: 'defaultSubset', target: {service: resolver.metadata.name, serviceSubset: spec.defaultSubset}});
      if (spec.redirect) targets.push({where: 'redirect', target: spec.redirect});
      for (const [key, f] of Object.entries(spec.failover ?? {})) {
        if (f.service || f.serviceSubset) targets.push({where: `failover[${key}]`, target: {service: f.service, serviceSubset: f.serviceSubset, namespace: f.namespace, samenessGroup: f.samenessGroup, datacenter: f.datacenters?.[0]}});
        (f.targets ?? []).forEach((t, i) => targets.push({where: `failover[${key}].targets[${i}]`, target: t}));
      }
      judge(resolver, targets);
    }
    return findings;
  },
});
