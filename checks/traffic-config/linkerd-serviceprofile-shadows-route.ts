/**
 * MD5206 — a route or split that Linkerd does not apply because a ServiceProfile wins. When a
 * server-side ServiceProfile exists for Service S (named `S.<ns>.svc.<clusterDomain>` in S's
 * namespace), Linkerd uses it and ignores HTTPRoutes/GRPCRoutes whose parentRef is S. SMI
 * TrafficSplits are applied by the linkerd-smi adaptor writing the apex's profile `dstOverrides`;
 * a split whose apex profile carries none of its backends is therefore not in effect either.
 */
import type {FindingDraft, KubeObject, Route, ServiceProfile, TrafficSplit} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {linkerdValues} from '../../src/mesh/linkerd/config.js';
import {normGroup} from '../../src/mesh/linkerd/policy.js';
import {authorityTarget, profileTarget} from '../../src/mesh/linkerd/profiles.js';

export default defineCheck({
  id: 'MD5206',
  slug: 'linkerd-serviceprofile-shadows-route',
  title: 'no ServiceProfile silently overrides an HTTPRoute, GRPCRoute or TrafficSplit',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {
    kinds: ['serviceprofiles.linkerd.io'],
    optionalKinds: ['httproutes.policy.linkerd.io', 'httproutes.gateway.networking.k8s.io', 'grpcroutes.gateway.networking.k8s.io', 'trafficsplits.split.smi-spec.io'],
    named: [{kind: 'configmaps', mesh: 'linkerd', where: 'control-plane', names: ['linkerd-config']}],
  },
  anchor: 'none — gap (documented precedence)',
  evaluate(ctx) {
    const linkerd = ctx.mesh('linkerd')!;
    const domain = linkerdValues(ctx.objects.get('configmaps', linkerd.namespace, 'linkerd-config')).clusterDomain ?? ctx.options.clusterDomain;
    const serverSide = new Map<string, ServiceProfile>();
    for (const sp of ctx.objects.list('serviceprofiles.linkerd.io')) {
      const t = profileTarget(sp.metadata.name, domain);
      if (t && t.namespace === sp.metadata.namespace) serverSide.set(`${t.namespace}/${t.service}`, sp);
    }
    const findings: FindingDraft[] = [];
    if (serverSide.size === 0) return findings;
    const shadowed = (obj: KubeObject, sp: ServiceProfile, what: string) =>
      findings.push({
        subject: subjectOf(obj),
        message: `${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}: ${what}; ServiceProfile ${sp.metadata.namespace}/${sp.metadata.name} takes precedence while it exists`,
        evidence: {serviceProfile: `${sp.metadata.namespace}/${sp.metadata.name}`},
      });
    const routes: Route[] = [
      ...ctx.objects.list('httproutes.policy.linkerd.io'),
      ...ctx.objects.list('httproutes.gateway.networking.k8s.io'),
      ...ctx.objects.list('grpcroutes.gateway.networking.k8s.io'),
    ];
    for (const route of routes) {
      const ns = route.metadata.namespace ?? 'default';
      const hit = (route.spec.parentRefs ?? [])
        .filter((p) => p.kind === 'Service' && normGroup(p.group) === '')
        .map((p) => ({ref: p, sp: serverSide.get(`${p.namespace ?? ns}/${p.name}`)}))
        .find((x) => x.sp);
      if (hit) shadowed(route, hit.sp!, `its parent Service ${hit.ref.namespace ?? ns}/${hit.ref.name} has a ServiceProfile, so the route is not applied`);
    }
    for (const split of ctx.objects.list('trafficsplits.split.smi-spec.io') as readonly TrafficSplit[]) {
      const ns = split.metadata.namespace ?? 'default';
      const sp = serverSide.get(`${ns}/${split.spec.service}`);
      if (!sp) continue;
      const backends = new Set((split.spec.backends ?? []).map((b) => `${ns}/${b.service}`));
      const applied = (sp.spec.dstOverrides ?? []).some((o) => {
        const t = authorityTarget(o.authority, domain);
        return t !== undefined && backends.has(`${t.namespace}/${t.service}`);
      });
      if (!applied) shadowed(split, sp, `the apex Service ${ns}/${split.spec.service} has a ServiceProfile whose dstOverrides name none of the split's backends, so the split is not applied`);
    }
    return findings;
  },
});
