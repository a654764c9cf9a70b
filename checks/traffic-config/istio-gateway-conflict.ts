/**
 * MD5110 — two Gateways apply to the same gateway pods and both have a server on the same port with
 * overlapping hosts (IST0145, KIA0301): the gateway keeps one and drops the other's server, so part of
 * the configuration is silently ignored. Gateways apply to the same pods when their selectors are
 * equal or, as upstream (istio/istio pkg/config/analysis/analyzers/gateway/conflictinggateway.go,
 * testdata conflicting-gateways-subSelector.yaml), when one selector is contained in the other and a
 * pod matches both — with pods known, any pod both select. Hosts overlap by wildcard (upstream
 * compares exact host strings only: stricter on purpose, a `*.example.com` server hides
 * `a.example.com` on the same port just the same).
 */
import type {FindingDraft, GatewayServer, IstioGateway} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {gatewayPods, gatewaySelectorScopedToNamespace, serverHostsOverlap} from '../../src/mesh/istio/gateways.js';

function selectorKey(gw: IstioGateway): string {
  return JSON.stringify(Object.entries(gw.spec.selector ?? {}).sort(([a], [b]) => a.localeCompare(b)));
}

/** Conflicting servers of `a` against `b` (same port number, overlapping hosts), as readable text. */
function clashes(a: IstioGateway, b: IstioGateway): string[] {
  const out: string[] = [];
  const byPort = new Map<number, GatewayServer[]>();
  for (const sb of b.spec.servers ?? []) if (typeof sb.port?.number === 'number') byPort.set(sb.port.number, [...(byPort.get(sb.port.number) ?? []), sb]);
  for (const sa of a.spec.servers ?? []) {
    for (const sb of byPort.get(sa.port?.number) ?? []) {
      const pair = (sa.hosts ?? []).flatMap((ha) => (sb.hosts ?? []).filter((hb) => serverHostsOverlap(ha, hb)).map((hb) => `${ha} overlaps ${hb}`));
      if (pair.length > 0) out.push(`port ${sa.port.number} ${pair[0]} in ${b.metadata.namespace}/${b.metadata.name}`);
    }
  }
  return out;
}

export default defineCheck({
  id: 'MD5110',
  slug: 'istio-gateway-conflict',
  title: 'Gateways on the same workload do not claim the same port and host',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['istio'],
  inputs: {kinds: ['gateways.networking.istio.io'], optionalKinds: ['pods', 'deployments.apps']},
  anchor: 'IST0145; KIA0301',
  evaluate(ctx) {
    const scoped = gatewaySelectorScopedToNamespace(ctx.objects);
    // Groups of Gateways that apply to one workload: equal selectors, and every set of Gateways
    // selecting a common pod (pods with the same set of Gateways form one group).
    const groups = new Map<string, IstioGateway[]>();
    const byPod = new Map<string, IstioGateway[]>();
    for (const gw of ctx.objects.list('gateways.networking.istio.io')) {
      if (Object.keys(gw.spec.selector ?? {}).length === 0) continue;
      const key = `selector ${scoped ? `${gw.metadata.namespace} ` : ''}${selectorKey(gw)}`;
      groups.set(key, [...(groups.get(key) ?? []), gw]);
      for (const pod of gatewayPods(ctx.objects, gw, scoped)) {
        const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
        byPod.set(podKey, [...(byPod.get(podKey) ?? []), gw]);
      }
    }
    for (const list of byPod.values()) {
      if (list.length < 2) continue;
      groups.set(`pods ${list.map((g) => `${g.metadata.namespace}/${g.metadata.name}`).join(',')}`, list);
    }
    const found = new Map<IstioGateway, Set<string>>();
    for (const group of groups.values()) {
      for (const a of group) {
        for (const b of group) {
          if (a === b) continue;
          for (const text of clashes(a, b)) found.set(a, (found.get(a) ?? new Set()).add(text));
        }
      }
    }
    const findings: FindingDraft[] = [];
    for (const [gw, set] of found) {
      const list = [...set];
      findings.push({
        subject: subjectOf(gw),
        message: `Gateway ${gw.metadata.namespace}/${gw.metadata.name} conflicts with another Gateway on the same workload: ${list.join('; ')} — one server is dropped`,
        evidence: {conflicts: list.length, first: list[0], selector: JSON.stringify(gw.spec.selector ?? {})},
      });
    }
    return findings;
  },
});
