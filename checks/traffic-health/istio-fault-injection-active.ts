/**
 * MD6107 — requests are being aborted or delayed by fault injection (flags FI, DI): chaos
 * configuration (`http[].fault` in a VirtualService) left in place. Info: it may be intended.
 */
import {defineCheck} from '../../src/core/index.js';
import {serviceFor, window} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD6107',
  slug: 'istio-fault-injection-active',
  title: 'no requests are aborted or delayed by fault injection',
  block: 'traffic-health',
  severity: 'info',
  meshes: ['istio'],
  runtime: true,
  inputs: {signals: ['serviceClient'], optionalKinds: ['services', 'virtualservices.networking.istio.io']},
  anchor: 'none',
  *evaluate(ctx) {
    const domain = ctx.options.clusterDomain;
    for (const row of ctx.signals.get('serviceClient')?.rows ?? []) {
      if (row.mesh !== 'istio') continue;
      const injected = (row.flags['FI|DI'] ?? 0) + (row.connectionFlags?.['FI|DI'] ?? 0);
      if (injected < 1) continue;
      const {subject} = serviceFor(ctx, row);
      const names = new Set([row.service, `${row.service}.${row.namespace}`, `${row.service}.${row.namespace}.svc`, `${row.service}.${row.namespace}.svc.${domain}`]);
      const faulty = ctx.objects.list('virtualservices.networking.istio.io')
        .filter((vs) => (vs.spec.hosts ?? []).some((h) => names.has(h) && (vs.metadata.namespace === row.namespace || h.includes('.'))))
        .filter((vs) => (vs.spec.http ?? []).some((r) => (r as {fault?: unknown}).fault !== undefined))
        .map((vs) => `${vs.metadata.namespace}/${vs.metadata.name}`);
      yield {
        subject,
        message: `${Math.round(injected)} requests to ${row.namespace}/${row.service} in the last ${window(ctx)} were aborted or delayed by fault injection${faulty.length ? ` (VirtualService ${faulty.join(', ')})` : ''}`,
        evidence: {injected: Math.round(injected), requests: Math.round(row.requests), virtualServices: faulty.join(',') || null, window: window(ctx)},
      };
    }
  },
});
