/**
 * MD5301 — a Consul config-entry CRD (ServiceDefaults, ServiceIntentions, routers, splitters,
 * resolvers, gateways…) is not applied in Consul: the connect-injector's controller reports
 * `Synced=False` (error: ACL denied, conflicting entry, an L7 entry for a `tcp` service…), or has
 * not reported `Synced=True` long after the object was created or last changed (warning).
 * Kubernetes shows the object; Consul does not enforce it.
 */
import type {FindingDraft} from '../../src/core/index.js';
import {defineCheck, notApplicable, subjectOf} from '../../src/core/index.js';
import {CONFIG_ENTRY_KINDS} from '../../src/mesh/consul/catalog.js';

export default defineCheck({
  id: 'MD5301',
  slug: 'consul-config-entry-not-synced',
  title: 'Consul config-entry resources are synced to Consul',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['consul'],
  runtime: true,
  inputs: {optionalKinds: [...CONFIG_ENTRY_KINDS]},
  anchor: 'none — gap (CRD Synced printer column)',
  evaluate(ctx) {
    if (CONFIG_ENTRY_KINDS.every((k) => ctx.objects.availability(k).state !== 'ok')) return notApplicable('no Consul config-entry CRDs are installed');
    const graceMs = ctx.thresholds().grace.statusSeconds * 1000;
    const findings: FindingDraft[] = [];
    for (const kind of CONFIG_ENTRY_KINDS) {
      for (const entry of ctx.objects.list(kind)) {
        const synced = entry.status?.conditions?.find((c) => c.type === 'Synced');
        const ns = entry.metadata.namespace;
        const name = `${entry.kind} ${ns ? `${ns}/` : ''}${entry.metadata.name}`;
        if (synced?.status === 'False') {
          findings.push({
            subject: subjectOf(entry),
            message: `${name} is not synced to Consul (${synced.reason ?? 'no reason'}${synced.message ? `: ${synced.message}` : ''}): Consul does not apply it`,
            evidence: {synced: 'False', reason: synced.reason ?? null, lastSyncedTime: entry.status?.lastSyncedTime ?? null},
          });
          continue;
        }
        if (synced?.status === 'True') continue;
        // Unknown or absent: give the controller the status grace from the last transition (or creation).
        const since = Date.parse(synced?.lastTransitionTime ?? entry.metadata.creationTimestamp ?? '');
        if (!Number.isNaN(since) && ctx.now.getTime() - since < graceMs) continue;
        findings.push({
          subject: subjectOf(entry),
          severity: 'warning',
          message: `${name} has ${synced ? 'Synced=Unknown' : 'no Synced condition'}${Number.isNaN(since) ? '' : ` since ${new Date(since).toISOString()}`}: the connect-injector has not applied it to Consul (is it running?)`,
          evidence: {synced: synced?.status ?? 'absent', reason: synced?.reason ?? null},
        });
      }
    }
    return findings;
  },
});
