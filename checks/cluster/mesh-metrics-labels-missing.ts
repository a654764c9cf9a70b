/**
 * MD1005 — the mesh's proxy metrics are in Prometheus but without the labels its queries group by:
 * no `namespace` (Linkerd, OSM `source_namespace`), or — Linkerd — none of `deployment`,
 * `statefulset`, `daemonset`. The scrape configuration lacks the mesh's relabelling (linkerd-viz's
 * `linkerd-proxy` job), so per-workload queries return nothing.
 */
import {defineCheck} from '../../src/core/index.js';

export default defineCheck({
  id: 'MD1005',
  slug: 'mesh-metrics-labels-missing',
  title: "the mesh's proxy metrics carry namespace and workload labels",
  block: 'cluster',
  severity: 'warning',
  meshes: ['linkerd', 'osm'],
  runtime: true,
  inputs: {signals: ['presence']},
  anchor: 'none — gap (linkerd website#178, linkerd2#10329)',
  *evaluate(ctx) {
    const rows = ctx.signals.get('presence')?.rows ?? [];
    for (const mesh of ['linkerd', 'osm'] as const) {
      if (!ctx.mesh(mesh)) continue;
      const mine = rows.filter((r) => r.mesh === mesh);
      if (mine.length === 0) continue;
      const series = mine.reduce((a, r) => a + r.series, 0);
      const noNamespace = mine.every((r) => r.namespace === null);
      const noWorkload = mesh === 'linkerd' && mine.every((r) => !r.hasWorkloadLabels);
      if (!noNamespace && !noWorkload) continue;
      const family = mesh === 'linkerd' ? 'proxy_build_info' : 'envoy_server_live';
      const missing = noNamespace ? (mesh === 'osm' ? 'source_namespace' : 'namespace') : 'deployment/statefulset/daemonset';
      yield {
        subject: null,
        message: `${series} ${family} series exist but none carries a ${missing} label: the Prometheus scrape configuration lacks ${mesh === 'linkerd' ? "linkerd-viz's" : "OSM's"} relabelling, so per-workload metrics are empty`,
        evidence: {mesh, family, series, missing},
      };
    }
  },
});
