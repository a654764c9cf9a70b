/**
 * MD5002 — an SMI TrafficSplit (split.smi-spec.io; linkerd-smi, OSM) that cannot be applied: its
 * apex Service or a weighted backend Service is missing in its namespace, or every backend weight
 * is 0. On Linkerd, TrafficSplits only take effect through the deprecated linkerd-smi adaptor; without
 * it the split is ignored (warning). Backends with weight 0 are not traffic targets and may be gone.
 * The apex is read as each implementation reads it: OSM parses `spec.service` as a hostname
 * (`bookstore.bookstore` is Service bookstore, the bookstore demo's own spelling; src/mesh/osm/
 * hostnames.ts), linkerd-smi takes it verbatim as a Service name (it builds `<service>.<ns>.svc.<domain>`).
 */
import type {FindingDraft, Severity} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {SMI_ADAPTOR} from '../../src/mesh/linkerd/components.js';
import {osmServiceFromHostname} from '../../src/mesh/osm/hostnames.js';
import {absenceIsKnown} from '../../src/mesh/references.js';
import {parseWeight} from '../../src/mesh/weights.js';

export default defineCheck({
  id: 'MD5002',
  slug: 'smi-trafficsplit-ref-not-found',
  title: 'SMI TrafficSplits name existing Services, carry weight, and have an implementation',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['linkerd', 'osm'],
  inputs: {
    kinds: ['trafficsplits.split.smi-spec.io'],
    optionalKinds: ['services', 'deployments.apps', 'namespaces'],
  },
  anchor: 'none — gap',
  evaluate(ctx) {
    const servicesKnown = absenceIsKnown(ctx.objects, ctx.mode, 'services');
    // OSM implements SMI itself; on Linkerd only the linkerd-smi adaptor does.
    const needsAdaptor = ctx.mesh('linkerd') !== undefined && ctx.mesh('osm') === undefined;
    const adaptor = needsAdaptor && ctx.objects.list('deployments.apps').some((d) => d.metadata.name === SMI_ADAPTOR || (d.metadata.labels?.['linkerd.io/extension'] === 'smi' && d.metadata.labels?.component === SMI_ADAPTOR));
    const osm = ctx.mesh('osm') !== undefined;
    const namespacesKnown = absenceIsKnown(ctx.objects, ctx.mode, 'namespaces');
    const isNamespace = (name: string) => (ctx.objects.get('namespaces', undefined, name) ? true : namespacesKnown ? false : undefined);
    const findings: FindingDraft[] = [];
    for (const split of ctx.objects.list('trafficsplits.split.smi-spec.io')) {
      const ns = split.metadata.namespace ?? 'default';
      const errors: string[] = [];
      const missing = (name: string) => servicesKnown && !ctx.objects.get('services', ns, name);
      const apex = osm ? osmServiceFromHostname(split.spec.service, isNamespace) : split.spec.service;
      if (missing(apex)) errors.push(`apex Service ${ns}/${apex}${apex === split.spec.service ? '' : ` (from "${split.spec.service}")`} does not exist`);
      const backends = split.spec.backends ?? [];
      let total = 0;
      for (const b of backends) {
        const weight = parseWeight(b.weight);
        if (weight === undefined) {
          errors.push(`backend ${b.service} has an unreadable weight "${b.weight}"`);
          continue;
        }
        total += weight;
        if (weight > 0 && missing(b.service)) errors.push(`backend Service ${ns}/${b.service} (weight ${b.weight}) does not exist`);
      }
      if (backends.length === 0) errors.push('it has no backends');
      else if (total === 0) errors.push('every backend weight is 0, so no traffic can be routed');
      let severity: Severity | undefined = errors.length > 0 ? 'error' : undefined;
      const problems = [...errors];
      if (needsAdaptor && !adaptor) {
        severity ??= 'warning';
        problems.push('no linkerd-smi adaptor (Deployment smi-adaptor) is installed, so Linkerd ignores the split; the SMI extension is deprecated, prefer an HTTPRoute with weighted backendRefs');
      }
      if (problems.length > 0) {
        findings.push({subject: subjectOf(split), severity, message: `TrafficSplit ${ns}/${split.metadata.name}: ${problems.join('; ')}`, evidence: {apex: split.spec.service, backends: backends.length}});
      }
    }
    return findings;
  },
});
