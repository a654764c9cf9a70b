/**
 * docs/rules.md D7 — Istio host resolution and visibility, computed once per check run:
 * - short name `x` in namespace `n` → `x.n.svc.<clusterDomain>`; `x.n` is tried both as written
 *   and as `x.n.svc.<clusterDomain>` (Kubernetes DNS resolves it; refusing it is a false positive);
 *   FQDNs as written; `*.` wildcards match by suffix.
 * - a host resolves when it names a Service or matches a ServiceEntry host visible to the namespace;
 * - visibility follows `exportTo` (`*` default, `.` own namespace, `~` nobody, explicit list);
 *   Services use the `networking.istio.io/exportTo` annotation;
 * - a DestinationRule is visible to namespace `n` if it lives in `n`, in the host's namespace, or in
 *   the root namespace, and is exported to `n`.
 */
import type {ObjectReader} from '../../core/check.js';
import type {DestinationRule, KubeObject, Service, ServiceEntry} from '../../core/kube-types/index.js';

export const SERVICE_EXPORT_ANNOTATION = 'networking.istio.io/exportTo';

/** Whether `host` (possibly `*.x` or `*`) matches the concrete or wildcard `candidate`. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1); // ".example.com"
    if (host.startsWith('*.')) return host.slice(1).endsWith(suffix);
    return host.endsWith(suffix) && host.length > suffix.length;
  }
  if (host.startsWith('*.')) return hostMatches(host, pattern);
  return false;
}

export function exportedTo(exportTo: readonly string[] | undefined, ownNamespace: string, toNamespace: string): boolean {
  if (!exportTo || exportTo.length === 0) return true;
  for (const e of exportTo) {
    if (e === '*') return true;
    if (e === '.' && ownNamespace === toNamespace) return true;
    if (e === toNamespace) return true;
  }
  return false;
}

function serviceExportTo(svc: Service): string[] | undefined {
  const a = svc.metadata.annotations?.[SERVICE_EXPORT_ANNOTATION];
  return a ? a.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

export class IstioHosts {
  private readonly services = new Map<string, Service>();
  private readonly serviceEntries: {host: string; se: ServiceEntry}[] = [];
  private readonly drsByHost = new Map<string, DestinationRule[]>();
  private readonly wildcardDrs: {host: string; dr: DestinationRule}[] = [];

  constructor(
    objects: ObjectReader,
    readonly clusterDomain: string,
    readonly rootNamespace: string,
    kinds: Readonly<{serviceEntries?: boolean; destinationRules?: boolean}> = {serviceEntries: true, destinationRules: true},
  ) {
    for (const svc of objects.list('services')) {
      this.services.set(`${svc.metadata.name}.${svc.metadata.namespace}.svc.${clusterDomain}`, svc);
    }
    if (kinds.serviceEntries !== false) {
      for (const se of objects.list('serviceentries.networking.istio.io')) {
        for (const h of se.spec.hosts ?? []) this.serviceEntries.push({host: this.fqdn(h, se.metadata.namespace ?? 'default'), se});
      }
    }
    if (kinds.destinationRules !== false) {
      for (const dr of objects.list('destinationrules.networking.istio.io')) {
        const host = this.fqdn(dr.spec.host, dr.metadata.namespace ?? 'default');
        if (host.startsWith('*')) this.wildcardDrs.push({host, dr});
        else {
          let l = this.drsByHost.get(host);
          if (!l) this.drsByHost.set(host, (l = []));
          l.push(dr);
        }
      }
    }
  }

  /** Istio's own expansion: a name without dots is relative to the namespace. */
  fqdn(host: string, namespace: string): string {
    if (host.includes('*') || host.includes('.')) return host;
    return `${host}.${namespace}.svc.${this.clusterDomain}`;
  }

  /** Every FQDN a written host may mean (`x.n` is also tried as `x.n.svc.<domain>`). */
  candidates(host: string, namespace: string): string[] {
    const first = this.fqdn(host, namespace);
    const out = [first];
    const parts = host.split('.');
    if (!host.includes('*') && parts.length === 2) out.push(`${host}.svc.${this.clusterDomain}`);
    return out;
  }

  /** The Kubernetes Service an FQDN names, if it is visible from `fromNamespace`. */
  service(fqdn: string, fromNamespace: string): Service | undefined {
    const svc = this.services.get(fqdn);
    if (!svc) return undefined;
    return exportedTo(serviceExportTo(svc), svc.metadata.namespace ?? '', fromNamespace) ? svc : undefined;
  }

  /** The Service a written host resolves to, trying each candidate. */
  serviceFor(host: string, fromNamespace: string): Service | undefined {
    for (const c of this.candidates(host, fromNamespace)) {
      const s = this.service(c, fromNamespace);
      if (s) return s;
    }
    return undefined;
  }

  /** ServiceEntries visible from `fromNamespace` with a host matching `fqdn`. */
  serviceEntriesFor(fqdn: string, fromNamespace: string): ServiceEntry[] {
    return this.serviceEntries
      .filter((e) => hostMatches(e.host, fqdn) && exportedTo(e.se.spec.exportTo, e.se.metadata.namespace ?? '', fromNamespace))
      .map((e) => e.se);
  }

  /** D7: a host resolves when it names a visible Service or matches a visible ServiceEntry host; a wildcard must match at least one. */
  resolves(host: string, fromNamespace: string): boolean {
    for (const c of this.candidates(host, fromNamespace)) {
      if (c.startsWith('*')) {
        for (const name of this.services.keys()) if (hostMatches(c, name) && this.service(name, fromNamespace)) return true;
        if (this.serviceEntries.some((e) => hostMatches(c, e.host) && exportedTo(e.se.spec.exportTo, e.se.metadata.namespace ?? '', fromNamespace))) return true;
        continue;
      }
      if (this.service(c, fromNamespace)) return true;
      if (this.serviceEntriesFor(c, fromNamespace).length > 0) return true;
    }
    return false;
  }

  /** Namespace that owns a host (a Service's namespace), for DestinationRule lookup. */
  private hostNamespace(fqdn: string): string | undefined {
    return this.services.get(fqdn)?.metadata.namespace;
  }

  /**
   * DestinationRules that apply to `host` for clients in `fromNamespace`: exact-host rules first
   * (exact beats wildcard), each visible per D7.
   */
  destinationRulesFor(host: string, fromNamespace: string): DestinationRule[] {
    const result: DestinationRule[] = [];
    for (const fqdn of this.candidates(host, fromNamespace)) {
      const owner = this.hostNamespace(fqdn);
      const visible = (dr: DestinationRule) => {
        const ns = dr.metadata.namespace ?? '';
        const placed = ns === fromNamespace || ns === owner || ns === this.rootNamespace;
        return placed && exportedTo(dr.spec.exportTo, ns, fromNamespace);
      };
      const exact = (this.drsByHost.get(fqdn) ?? []).filter(visible);
      if (exact.length > 0) {
        result.push(...exact);
        continue;
      }
      result.push(...this.wildcardDrs.filter((w) => hostMatches(w.host, fqdn) && visible(w.dr)).map((w) => w.dr));
    }
    return [...new Set(result)];
  }
}

/** Root namespace from the detected mesh (MeshConfig rootNamespace, default the CPNS). */
export function objectNamespace(obj: KubeObject): string {
  return obj.metadata.namespace ?? 'default';
}

/** Istio's expansion of a written host without the object index: a name without dots is relative to the namespace. */
export function fqdnOf(host: string, namespace: string, clusterDomain: string): string {
  if (host.includes('*') || host.includes('.')) return host;
  return `${host}.${namespace}.svc.${clusterDomain}`;
}
