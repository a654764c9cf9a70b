/**
 * MD5110 — two Gateways select the same gateway pods (equal selectors) and both have a server on the
 * same port with overlapping hosts (IST0145, KIA0301): the gateway keeps one and drops the other's
 * server, so part of the configuration is silently ignored.
 */
import type {FindingDraft, IstioGateway} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {serverHostsOverlap} from '../../src/mesh/istio/gateways.js';

function selectorKey(gw: IstioGateway): string {
  return JSON.stringify(Object.entries(gw.spec.selector ?? {}).sort(([a], [b]) => a.localeCompare(b)));
}

export default defineCheck({
  id: 'MD5110',
  slug: 'istio-gateway-conflict',
  title: 'Gateways on the same workload do not claim the same port and host',
  block: 'traffic-config',
  severity: 'error',
  meshes: ['istio'],
  inputs: {kinds: ['gateways.networking.istio.io']},
  anchor: 'IST0145; KIA0301',
  evaluate(ctx) {
    const bySelector = new Map<string, IstioGateway[]>();
    for (const gw of ctx.objects.list('gateways.networking.istio.io')) {
      if (Object.keys(gw.spec.selector ?? {}).length === 0) continue;
      const key = selectorKey(gw);
      bySelector.set(key, [...(bySelector.get(key) ?? []), gw]);
    }
    const clashes = new Map<IstioGateway, string[]>();
    for (const group of bySelector.values()) {
      for (const a of group) {
        for (const b of group) {
          if (a === b) continue;
          for (const sa of a.spec.servers ?? []) {
            for (const sb of b.spec.servers ?? []) {
              if (sa.port.number !== sb.port.number) continue;
              const pair = (sa.hosts ?? []).flatMap((ha) => (sb.hosts ?? []).filter((hb) => serverHostsOverlap(ha, hb)).map((hb) => `${ha}~${hb}`));
              if (pair.length === 0) continue;
              const text = `port ${sa.port.number} ${pair[0].replace('~', ' overlaps ')} in ${b.metadata.namespace}/${b.metadata.name}`;
              const list = clashes.get(a) ?? [];
              if (!list.includes(text)) list.push(text);
              clashes.set(a, list);
            }
          }
        }
      }
    }
    const findings: FindingDraft[] = [];
    for (const [gw, list] of clashes) {
      findings.push({
        subject: subjectOf(gw),
        message: `Gateway ${gw.metadata.namespace}/${gw.metadata.name} conflicts with another Gateway on the same workload: ${list.join('; ')} — one server is dropped`,
        evidence: {conflicts: list.length, first: list[0], selector: JSON.stringify(gw.spec.selector ?? {})},
      });
    }
    return findings;
  },
});
