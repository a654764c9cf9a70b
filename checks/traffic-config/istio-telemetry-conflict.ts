/**
 * MD5123 — Telemetry resources compete (IST0159, IST0160). istiod applies one namespace-wide
 * Telemetry per namespace (no selector and no targetRef): with two or more, it takes the oldest
 * and ignores the rest (pilot/pkg/model/telemetry.go namespaceWideTelemetryConfig, over configs
 * sorted by creation time). Workload Telemetries that select the same pod are all applied, merged
 * in creation order, the newer overriding the older — which one wins changes when one is recreated.
 *
 * Severity differs from upstream (error) on purpose: telemetry never breaks traffic; the cost is
 * metrics, access logs or traces silently not configured as written (warning).
 */
import type {FindingDraft, Telemetry} from '../../src/core/index.js';
import {defineCheck, nameList, subjectOf} from '../../src/core/index.js';
import {policyHasTargets, policySelector} from '../../src/mesh/istio/policy-attachment.js';

const byAge = (a: Telemetry, b: Telemetry): number =>
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name);

export default defineCheck({
  id: 'MD5123',
  slug: 'istio-telemetry-conflict',
  title: 'each namespace and workload is configured by one Telemetry per level',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['telemetries.telemetry.istio.io'], optionalKinds: ['pods']},
  anchor: 'IST0159, IST0160',
  evaluate(ctx) {
    const reasons = new Map<Telemetry, string[]>();
    const add = (t: Telemetry, text: string) => {
      const list = reasons.get(t) ?? [];
      if (!list.includes(text)) list.push(text);
      reasons.set(t, list);
    };
    const byNamespace = new Map<string, Telemetry[]>();
    for (const t of ctx.objects.list('telemetries.telemetry.istio.io')) {
      const ns = t.metadata.namespace ?? 'default';
      let list = byNamespace.get(ns);
      if (!list) byNamespace.set(ns, (list = []));
      list.push(t);
    }
    for (const [ns, list] of byNamespace) {
      const wide = list.filter((t) => !policySelector(t) && !policyHasTargets(t)).sort(byAge);
      if (wide.length >= 2) {
        const dated = wide.every((t) => t.metadata.creationTimestamp);
        const names = wide.map((t) => t.metadata.name);
        for (const t of wide) {
          add(t, dated
            ? `${wide.length} namespace-wide Telemetries in ${ns} (${names.join(', ')}): only the oldest, ${names[0]}, is applied`
            : `${wide.length} namespace-wide Telemetries in ${ns} (${names.join(', ')}): only the oldest is applied`);
        }
      }
      const podsToTelemetries = new Map<string, {pod: string; subject: string; telemetries: Telemetry[]}>();
      for (const t of list) {
        const labels = policySelector(t);
        if (!labels || policyHasTargets(t)) continue;
        for (const pod of ctx.objects.select('pods', ns, labels)) {
          const key = pod.metadata.name;
          let entry = podsToTelemetries.get(key);
          if (!entry) {
            const owner = ctx.workloads.ownerOf(pod);
            podsToTelemetries.set(key, (entry = {pod: key, subject: `${owner.kind} ${ns}/${owner.name}`, telemetries: []}));
          }
          entry.telemetries.push(t);
        }
      }
      for (const {subject, telemetries} of podsToTelemetries.values()) {
        if (telemetries.length < 2) continue;
        const names = [...telemetries].sort(byAge).map((t) => t.metadata.name);
        for (const t of telemetries) add(t, `${subject} is selected by ${nameList(names)}: their settings merge in creation order, the newest winning`);
      }
    }
    const findings: FindingDraft[] = [];
    for (const [t, list] of reasons) {
      findings.push({
        subject: subjectOf(t),
        message: `Telemetry ${t.metadata.namespace}/${t.metadata.name} competes with another Telemetry: ${list.slice(0, 3).join('; ')}${list.length > 3 ? ` (+${list.length - 3} more)` : ''}`,
        evidence: {reason: list[0], reasons: list.length},
      });
    }
    return findings;
  },
});
