/**
 * MD1004 — a namespace runs meshed pods (Running, older than `podMinAge`) but the metrics source
 * has no presence series for it (Istio/Consul `envoy_server_live`, Linkerd `proxy_build_info`, OSM
 * by `source_namespace`): its proxies are not scraped, so every metric check there would pass on
 * no data. Not evaluated for a mesh while MD1005 finds its workload labels missing.
 */
import type {MeshName} from '../../src/core/index.js';
import {defineCheck, nameList, subjectOf} from '../../src/core/index.js';
import {proxyMeshes} from '../../src/mesh/markers.js';
import {olderThan} from '../../src/mesh/pods.js';

export default defineCheck({
  id: 'MD1004',
  slug: 'mesh-metrics-absent',
  title: 'the proxies of every meshed namespace are scraped',
  block: 'cluster',
  severity: 'warning',
  meshes: 'any',
  runtime: true,
  inputs: {signals: ['presence'], kinds: ['namespaces', 'pods']},
  anchor: 'l5d-data-plane-prom',
  *evaluate(ctx) {
    const rows = ctx.signals.get('presence')?.rows ?? [];
    const present = new Set(rows.filter((r) => r.namespace).map((r) => `${r.mesh}/${r.namespace}`));
    // MD1005 first: series without namespace (or Linkerd workload) labels cannot be placed anywhere.
    const unlabelled = new Set<MeshName>();
    for (const mesh of ['linkerd', 'osm'] as const) {
      const mine = rows.filter((r) => r.mesh === mesh);
      if (mine.length > 0 && (mine.every((r) => r.namespace === null) || (mesh === 'linkerd' && mine.every((r) => !r.hasWorkloadLabels)))) unlabelled.add(mesh);
    }
    const minAge = ctx.thresholds().grace.podMinAgeSeconds;
    const missing = new Map<string, {mesh: MeshName; pods: string[]}>();
    for (const pod of ctx.objects.list('pods')) {
      const ns = pod.metadata.namespace ?? 'default';
      const mesh = proxyMeshes(pod)[0];
      if (!mesh || unlabelled.has(mesh) || pod.status?.phase !== 'Running' || !olderThan(pod, ctx.now, minAge)) continue;
      if (present.has(`${mesh}/${ns}`)) continue;
      const entry = missing.get(ns) ?? {mesh, pods: []};
      entry.pods.push(pod.metadata.name);
      missing.set(ns, entry);
    }
    for (const [ns, {mesh, pods}] of missing) {
      const namespace = ctx.objects.get('namespaces', undefined, ns);
      yield {
        subject: namespace ? subjectOf(namespace) : {kind: 'Namespace', apiVersion: 'v1', name: ns},
        message: `namespace ${ns} runs ${pods.length} meshed pod(s) (${nameList(pods)}) but the metrics source has no ${mesh} proxy series for it: metric checks cannot see it`,
        evidence: {mesh, pods: pods.length, source: ctx.signals.set?.source ?? null},
      };
    }
  },
});
