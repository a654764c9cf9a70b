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
import type {FindingDraft, IstioGateway} from '../../src/core/index.js';
import {defineCheck, subjectOf} from '../../src/core/index.js';
import {gatewayPods, gatewaySelectorScopedToNamespace, serverHostsOverlap, splitServerHost} from '../../src/mesh/istio/gateways.js';

function selectorKey(gw: IstioGateway): string {
  return JSON.stringify(Object.entries(gw.spec.selector ?? {}).sort(([a], [b]) => a.localeCompare(b)));
}

type HostEntry = Readonly<{gw: IstioGateway; entry: string; host: string}>;

/**
 * Conflicts inside one group of Gateways on the same pods: per port, identical hosts from different
 * Gateways, and wildcard hosts against every host they cover (no all-pairs scan of servers).
 */
function groupConflicts(group: readonly IstioGateway[], note: (gw: IstioGateway, text: string) => void): void {
  const byPort = new Map<number, HostEntry[]>();
  for (const gw of group) {
    for (const server of gw.spec.servers ?? []) {
      const port = server.port.number;
      const list = byPort.get(port) ?? [];
      for (const entry of server.hosts) list.push({gw, entry, host: splitServerHost(entry)[1]});
      byPort.set(port, list);
    }
  }
  const name = (gw: IstioGateway) => `${gw.metadata.namespace}/${gw.metadata.name}`;
  const clash = (port: number, a: HostEntry, b: HostEntry) => {
    note(a.gw, `port ${port} ${a.entry} overlaps ${b.entry} in ${name(b.gw)}`);
    note(b.gw, `port ${port} ${b.entry} overlaps ${a.entry} in ${name(a.gw)}`);
  };
  for (const [port, entries] of byPort) {
    const exact = new Map<string, HostEntry[]>();
    for (const e of entries) exact.set(e.host, [...(exact.get(e.host) ?? []), e]);
    for (const same of exact.values()) {
      for (const a of same) {
        const other = same.find((b) => b.gw !== a.gw);
        if (other) clash(port, a, other);
      }
    }
    for (const w of entries) {
      if (!w.host.startsWith('*')) continue;
      for (const e of entries) if (e.gw !== w.gw && e.host !== w.host && serverHostsOverlap(w.entry, e.entry)) clash(port, w, e);
    }
  }
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
    const note = (gw: IstioGateway, text: string) => found.set(gw, (found.get(gw) ?? new Set()).add(text));
    const seen = new Set<string>();
    for (const group of groups.values()) {
      const members = group.map((g) => `${g.metadata.namespace}/${g.metadata.name}`).sort().join(',');
      if (group.length < 2 || seen.has(members)) continue;
      seen.add(members);
      groupConflicts(group, note);
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
