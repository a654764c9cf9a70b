/**
 * MD4002 — a workload receives plaintext traffic although it runs a proxy: Istio
 * `connection_security_policy="none"` at the destination (HTTP and TCP); Linkerd `tls!="true"` on
 * inbound responses, kubelet probes (route `probe`) excluded since they are plaintext by design.
 * Either unmeshed callers reach it, or mTLS is off on some path.
 */
import {defineCheck} from '../../src/core/index.js';
import {enoughTraffic, percent, window, windowSeconds, workloadSubject} from '../../src/mesh/traffic-health.js';

export default defineCheck({
  id: 'MD4002',
  slug: 'plaintext-traffic-observed',
  title: 'meshed workloads receive only mTLS traffic',
  block: 'security',
  severity: 'warning',
  meshes: ['istio', 'linkerd'],
  runtime: true,
  inputs: {signals: ['plaintext'], optionalKinds: ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps']},
  anchor: 'none — gap (IST0113 retired; KIA0205–0208 are config-only)',
  *evaluate(ctx) {
    const groups = new Map<string, {namespace: string; workload: string; total: number; plaintext: number; sources: Map<string, number>}>();
    for (const r of ctx.signals.get('plaintext')?.rows ?? []) {
      const key = `${r.namespace}/${r.workload}`;
      const g = groups.get(key) ?? {namespace: r.namespace, workload: r.workload, total: 0, plaintext: 0, sources: new Map<string, number>()};
      g.total += r.total;
      g.plaintext += r.plaintext;
      if (r.plaintext > 0) {
        const src = r.srcWorkload ? `${r.srcNamespace}/${r.srcWorkload}` : 'unknown (no proxy)';
        g.sources.set(src, (g.sources.get(src) ?? 0) + r.plaintext);
      }
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const t = ctx.thresholds(g.namespace, g.workload);
      if (!enoughTraffic(g.total, windowSeconds(ctx), t) || g.plaintext < t.flags.minCount) continue;
      const share = g.plaintext / g.total;
      if (share < t.mtls.plaintextWarnShare) continue;
      const top = [...g.sources].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([s, n]) => `${s} (${Math.round(n)})`);
      yield {
        subject: workloadSubject(ctx, g.namespace, g.workload),
        message: `${percent(share)} of ${Math.round(g.total)} inbound requests/connections to ${g.namespace}/${g.workload} in the last ${window(ctx)} were plaintext${top.length ? `; from ${top.join(', ')}` : ''}`,
        evidence: {plaintext: Math.round(g.plaintext), total: Math.round(g.total), share: Number(share.toFixed(4)), topSources: top.join(', ') || null, window: window(ctx)},
      };
    }
  },
});
