/**
 * MD5205 — a ServiceProfile that Linkerd never serves, or that points at nothing. Profiles are
 * looked up by the destination's fully qualified name, `<svc>.<ns>.svc.<clusterDomain>`; any other
 * name (`cart`, `cart.shop`, a wrong cluster domain) is silently unused, so its retries, timeouts
 * and routes never apply. A profile for a missing Service is also unused. A `dstOverrides` entry
 * with weight sends that share of traffic to its authority: a missing Service there fails requests,
 * hence an error. A profile in another namespace is a client-side profile and is valid.
 */
import type {FindingDraft, Severity} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {linkerdValues} from '../../src/mesh/linkerd/config.js';
import {authorityTarget, profileName, profileTarget} from '../../src/mesh/linkerd/profiles.js';
import {absenceIsKnown} from '../../src/mesh/references.js';
import {parseWeight} from '../../src/mesh/weights.js';

export default defineCheck({
  id: 'MD5205',
  slug: 'linkerd-serviceprofile-unresolved',
  title: 'ServiceProfiles are named after an existing Service and their overrides point at existing Services',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['linkerd'],
  inputs: {
    kinds: ['serviceprofiles.linkerd.io'],
    optionalKinds: ['services'],
    named: [{kind: 'configmaps', mesh: 'linkerd', where: 'control-plane', names: ['linkerd-config']}],
  },
  anchor: 'none — gap',
  evaluate(ctx) {
    const linkerd = ctx.mesh('linkerd')!;
    const domain = linkerdValues(ctx.objects.get('configmaps', linkerd.namespace, 'linkerd-config')).clusterDomain ?? ctx.options.clusterDomain;
    const servicesKnown = absenceIsKnown(ctx.objects, ctx.mode, 'services');
    const findings: FindingDraft[] = [];
    for (const sp of ctx.objects.list('serviceprofiles.linkerd.io')) {
      const ns = sp.metadata.namespace ?? 'default';
      const name = sp.metadata.name;
      const problems: string[] = [];
      let severity: Severity = 'warning';
      const target = profileTarget(name, domain);
      if (!target) {
        const parts = name.split('.');
        const hint = parts.length === 1 ? profileName(name, ns, domain) : parts.length === 2 ? `${name}.svc.${domain}` : undefined;
        problems.push(`its name is not <service>.<namespace>.svc.${domain}, so Linkerd never serves it${hint ? ` (did you mean ${hint}?)` : ''}`);
      } else if (servicesKnown && !ctx.objects.get('services', target.namespace, target.service)) {
        problems.push(`Service ${target.namespace}/${target.service} does not exist, so the profile is unused`);
      }
      for (const o of sp.spec.dstOverrides ?? []) {
        const weight = parseWeight(o.weight);
        if (weight === undefined || weight <= 0) continue;
        const dst = authorityTarget(o.authority, domain);
        if (dst && servicesKnown && !ctx.objects.get('services', dst.namespace, dst.service)) {
          severity = 'error';
          problems.push(`dstOverrides sends weight ${o.weight} to ${o.authority}, but Service ${dst.namespace}/${dst.service} does not exist: that share of requests fails`);
        }
      }
      if (problems.length > 0) {
        findings.push({
          subject: subjectOf(sp),
          severity,
          message: `ServiceProfile ${ns}/${name}: ${problems.join('; ')}`,
          evidence: {clusterDomain: domain, target: target ? `${target.namespace}/${target.service}` : null},
        });
      }
    }
    return findings;
  },
});
