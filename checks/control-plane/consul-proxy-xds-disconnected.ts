/**
 * MD2303 — a Consul dataplane's Envoy lost its xDS stream: `envoy_control_plane_connected_state`
 * stayed 0 over 2 × the metrics window, so its configuration (routes, intentions, certificates) is
 * frozen. Subject: the pod, else the Service its `local_cluster` names.
 */
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {serviceFor} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD2303',
  slug: 'consul-proxy-xds-disconnected',
  title: 'Consul dataplanes stay connected to the Consul servers (xDS)',
  block: 'control-plane',
  severity: 'warning',
  meshes: ['consul'],
  runtime: true,
  inputs: {signals: ['xdsConnected'], optionalKinds: ['pods', 'services']},
  anchor: 'none — gap (Consul observability docs staleness query)',
  *evaluate(ctx) {
    const span = `${Math.round((ctx.signals.set?.windowSeconds ?? ctx.thresholds().metrics.windowSeconds) * 2)}s`;
    for (const row of ctx.signals.get('xdsConnected')?.rows ?? []) {
      if (row.connected) continue;
      const pod = row.namespace && row.pod ? ctx.objects.get('pods', row.namespace, row.pod) : undefined;
      const subject = pod ? subjectOf(pod)
        : row.namespace && row.pod ? {kind: 'Pod', apiVersion: 'v1', namespace: row.namespace, name: row.pod}
        : serviceFor(ctx, {service: row.localCluster ?? 'unknown'}).subject;
      yield {
        subject,
        message: `Envoy in ${row.pod ? `${row.namespace}/${row.pod}` : `service ${row.localCluster}`} has not been connected to the Consul control plane for ${span}: its configuration is frozen`,
        evidence: {localCluster: row.localCluster ?? null, span},
      };
    }
  },
});
