/**
 * MD5114 — which Sidecar applies is ambiguous (IST0110, IST0111): two Sidecars without a
 * workloadSelector in one namespace (root namespace included: the mesh default), or a pod that two
 * Sidecar selectors match. Istio picks one by creation time, so egress scoping and ports change
 * when objects are re-created.
 */
import type {FindingDraft, Sidecar} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';

export default defineCheck({
  id: 'MD5114',
  slug: 'istio-sidecar-ambiguous',
  title: 'at most one Sidecar applies to each namespace and pod',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['istio'],
  inputs: {kinds: ['sidecars.networking.istio.io', 'pods']},
  anchor: 'IST0110, IST0111; KIA0002, KIA0003',
  evaluate(ctx) {
    const reasons = new Map<Sidecar, string[]>();
    const add = (sc: Sidecar, text: string) => reasons.set(sc, [...new Set([...(reasons.get(sc) ?? []), text])]);
    const byNamespace = new Map<string, Sidecar[]>();
    for (const sc of ctx.objects.list('sidecars.networking.istio.io')) {
      const ns = sc.metadata.namespace ?? 'default';
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), sc]);
    }
    for (const [ns, list] of byNamespace) {
      const global = list.filter((s) => Object.keys(s.spec.workloadSelector?.labels ?? {}).length === 0);
      if (global.length >= 2) for (const s of global) add(s, `${global.length} Sidecars without workloadSelector in ${ns} (${global.map((g) => g.metadata.name).join(', ')})`);
      const selective = list.filter((s) => Object.keys(s.spec.workloadSelector?.labels ?? {}).length > 0);
      if (selective.length < 2) continue;
      const byPod = new Map<string, Sidecar[]>();
      for (const s of selective) {
        for (const pod of ctx.objects.select('pods', ns, s.spec.workloadSelector!.labels!)) byPod.set(pod.metadata.name, [...(byPod.get(pod.metadata.name) ?? []), s]);
      }
      for (const [pod, scs] of byPod) {
        if (scs.length < 2) continue;
        for (const s of scs) add(s, `pod ${ns}/${pod} is selected by ${scs.map((x) => x.metadata.name).join(' and ')}`);
      }
    }
    const findings: FindingDraft[] = [];
    for (const [sc, list] of reasons) {
      findings.push({
        subject: subjectOf(sc),
        message: `Sidecar ${sc.metadata.namespace}/${sc.metadata.name} competes with another Sidecar: ${list.slice(0, 3).join('; ')} — Istio applies only one`,
        evidence: {reason: list[0], reasons: list.length},
      });
    }
    return findings;
  },
});
