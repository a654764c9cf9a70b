/**
 * MD5302 — a ServiceIntentions entry names a destination or source that no injected pod registers
 * in Consul (nor a terminating gateway service): the intention matches nothing, so the allow or
 * deny it was written for does not happen. `*`, peered, partitioned and sameness-group sources
 * cannot be judged from this cluster and are skipped. Known services are the names injected pods
 * register (`consul.hashicorp.com/connect-service`, else their Service's name); Consul Enterprise
 * namespaces are not modelled.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, nameList, notApplicable, subjectOf} from '../../src/core/index.js';
import {knownConsulServices, terminatingGatewayServices} from '../../src/mesh/consul/catalog.js';

export default defineCheck({
  id: 'MD5302',
  slug: 'consul-intentions-ref-not-found',
  title: 'Consul intentions name services that are registered',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['consul'],
  inputs: {kinds: ['serviceintentions.consul.hashicorp.com', 'pods', 'services'], optionalKinds: ['terminatinggateways.consul.hashicorp.com']},
  anchor: 'none — gap',
  evaluate(ctx) {
    if (ctx.scope.mode === 'namespaces') return notApplicable('the Consul catalog spans every namespace; registered services cannot be known from a -n subset (run without -n)');
    const known = new Set([...knownConsulServices(ctx.objects), ...terminatingGatewayServices(ctx.objects)]);
    const findings: FindingDraft[] = [];
    for (const si of ctx.objects.list('serviceintentions.consul.hashicorp.com')) {
      const unknown: string[] = [];
      const dest = si.spec?.destination?.name;
      if (dest && dest !== '*' && !known.has(dest)) unknown.push(`destination ${dest}`);
      for (const src of si.spec?.sources ?? []) {
        if (!src.name || src.name === '*' || src.peer || src.partition || src.samenessGroup) continue;
        if (!known.has(src.name)) unknown.push(`source ${src.name}`);
      }
      if (unknown.length === 0) continue;
      findings.push({
        subject: subjectOf(si),
        message: `ServiceIntentions ${si.metadata.namespace}/${si.metadata.name} names ${nameList(unknown)}, which no injected pod registers in Consul: the intention matches nothing`,
        evidence: {unknown: unknown.join(','), knownServices: known.size},
      });
    }
    return findings;
  },
});
