/**
 * MD5113 — several Gateways on the same gateway workload serve different hosts with the same
 * certificate (IST0138). Browsers reuse one HTTP/2 connection for every host the certificate covers;
 * the second host's requests then reach the first Gateway's routes and get 404. Use one Gateway
 * listing all those hosts instead.
 * As upstream (istio/istio pkg/config/analysis/analyzers/gateway/certificate.go), only Gateways on
 * the same workload pods are compared — the same credential on different gateway deployments is
 * fine — and credentials match by `credentialName`, or by `serverCertificate` and `privateKey` files.
 * A Gateway is reported when another one's selector contains all of its own (that Gateway's pods are
 * among its pods; an empty selector covers every Gateway), so of `{istio: ingressgateway}` and
 * `{istio: ingressgateway, type: internal}` the wider one is reported, as upstream. Narrower than
 * upstream on purpose: with pods known for both, they must share one; servers for the same hosts are
 * not reported (no cross-host connection reuse; same port and host is MD5110's).
 */
import type {FindingDraft, GatewayServer, IstioGateway} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {gatewayPods, gatewaySelectorScopedToNamespace} from '../../src/mesh/istio/gateways.js';

function credentialKey(server: GatewayServer): string | undefined {
  const tls = server.tls;
  if (!tls) return undefined;
  if (tls.credentialName) return `credentialName ${tls.credentialName}`;
  if (tls.serverCertificate && tls.privateKey) return `certificate ${tls.serverCertificate} (key ${tls.privateKey})`;
  return undefined;
}

/** Every pair of `a`'s selector is in `b`'s (b's pods are a subset of a's). */
function selectorWithin(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === v);
}

export default defineCheck({
  id: 'MD5113',
  slug: 'istio-gateway-duplicate-certificate',
  title: 'each TLS certificate is served by one Gateway per gateway workload',
  block: 'traffic-config',
  severity: 'warning',
  meshes: ['istio'],
  inputs: {kinds: ['gateways.networking.istio.io'], optionalKinds: ['pods', 'deployments.apps']},
  anchor: 'IST0138',
  evaluate(ctx) {
    const scoped = gatewaySelectorScopedToNamespace(ctx.objects);
    const pods = new Map<IstioGateway, Set<string>>();
    const podsOf = (gw: IstioGateway) => {
      let set = pods.get(gw);
      if (!set) pods.set(gw, (set = new Set(gatewayPods(ctx.objects, gw, scoped).map((p) => `${p.metadata.namespace}/${p.metadata.name}`))));
      return set;
    };
    // `a` shares workload with `b` when b's pods are among a's (a's selector within b's).
    const shareWorkload = (a: IstioGateway, b: IstioGateway): boolean => {
      if (scoped && a.metadata.namespace !== b.metadata.namespace) return false;
      const sa = a.spec.selector ?? {};
      if (Object.keys(sa).length === 0) return true;
      if (!selectorWithin(sa, b.spec.selector ?? {})) return false;
      const pa = podsOf(a);
      const pb = podsOf(b);
      return pa.size === 0 || pb.size === 0 || [...pb].some((p) => pa.has(p));
    };
    const uses = new Map<string, {gw: IstioGateway; hosts: string}[]>();
    for (const gw of ctx.objects.list('gateways.networking.istio.io')) {
      for (const server of gw.spec.servers ?? []) {
        const key = credentialKey(server);
        if (!key) continue;
        const list = uses.get(key) ?? [];
        list.push({gw, hosts: [...(server.hosts ?? [])].sort().join(',')});
        uses.set(key, list);
      }
    }
    const dup = new Map<IstioGateway, Set<string>>();
    for (const [key, list] of uses) {
      for (const a of list) {
        const partners = list.filter((b) => b.gw !== a.gw && b.hosts !== a.hosts && shareWorkload(a.gw, b.gw)).map((b) => `${b.gw.metadata.namespace}/${b.gw.metadata.name}`);
        if (partners.length === 0) continue;
        const set = dup.get(a.gw) ?? new Set<string>();
        set.add(`${key} shared with ${[...new Set(partners)].join(', ')}`);
        dup.set(a.gw, set);
      }
    }
    const findings: FindingDraft[] = [];
    for (const [gw, set] of dup) {
      const list = [...set];
      findings.push({
        subject: subjectOf(gw),
        message: `Gateway ${gw.metadata.namespace}/${gw.metadata.name} serves a certificate another Gateway on the same gateway pods also serves for other hosts (${list.join('; ')}): HTTP/2 connection reuse sends requests to the wrong Gateway (404)`,
        evidence: {shared: list.join('; ')},
      });
    }
    return findings;
  },
});
