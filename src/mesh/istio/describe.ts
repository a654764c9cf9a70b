/**
 * Effective Istio configuration for one pod or workload, computed purely from a snapshot (what
 * `istioctl x describe pod` shows, istio/istio istioctl/pkg/describe/describe.go, without asking the proxy): the Services
 * selecting it, the VirtualServices and DestinationRules that apply to those Services (and which
 * subsets the pods fall in), the effective PeerAuthentication mode per port, and the
 * AuthorizationPolicies and Sidecar that select it. Used by `meshdoctor describe` and the TUI.
 */
import type {ObjectReader} from '../../core/check.js';
import type {KubeObject, Pod, Subject} from '../../core/index.js';
import {matchesLabels, objectName, subjectKey} from '../../core/index.js';
import {IstioHosts} from './hosts.js';
import {PeerAuthentications} from './peer-authentication.js';
import {servicesSelecting, targetPortNumber} from './sidecars.js';
import {destinations} from './virtual-service.js';
import {proxyContainer} from '../markers.js';

export type DescribedService = Readonly<{
  name: string;
  host: string;
  ports: readonly Readonly<{port: number; name?: string; targetPort?: number; mtls: string; mtlsSource: string}>[];
  virtualServices: readonly Readonly<{name: string; gateways: readonly string[]; subsets: readonly string[]}>[];
  destinationRules: readonly Readonly<{name: string; tlsMode?: string; matchingSubsets: readonly string[]; otherSubsets: readonly string[]}>[];
}>;

export type Description = Readonly<{
  subject: Subject;
  pods: readonly string[];
  sidecar: boolean;
  services: readonly DescribedService[];
  peerAuthentication: Readonly<{mode: string; source: string}>;
  authorizationPolicies: readonly Readonly<{name: string; action: string}>[];
  sidecarResource?: string;
  warnings: readonly string[];
}>;

const id = (o: KubeObject) => objectName(o);

export function describeIstio(objects: ObjectReader, subject: Subject, pods: readonly Pod[], opts: Readonly<{clusterDomain: string; rootNamespace: string}>): Description {
  const pod = pods[0];
  const ns = subject.namespace ?? pod?.metadata.namespace ?? 'default';
  const hosts = new IstioHosts(objects, opts.clusterDomain, opts.rootNamespace);
  const pas = new PeerAuthentications(objects, opts.rootNamespace);
  const warnings: string[] = [];
  const services: DescribedService[] = [];
  if (pod) {
    for (const svc of servicesSelecting(objects, pod)) {
      const host = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${opts.clusterDomain}`;
      const ports = (svc.spec.ports ?? []).map((p) => {
        const target = targetPortNumber(pod, p);
        const m = pas.modeFor(pod, target);
        return {port: p.port, ...(p.name ? {name: p.name} : {}), ...(target !== undefined ? {targetPort: target} : {}), mtls: m.mode, mtlsSource: m.source};
      });
      const vss = objects.list('virtualservices.networking.istio.io')
        .filter((vs) => (vs.spec.hosts ?? []).some((h) => hosts.candidates(h, vs.metadata.namespace ?? 'default').includes(host)) || destinations(vs).some((d) => hosts.serviceFor(d.destination.host, vs.metadata.namespace ?? 'default') === svc))
        .map((vs) => ({name: id(vs), gateways: vs.spec.gateways?.length ? [...vs.spec.gateways] : ['mesh'], subsets: [...new Set(destinations(vs).filter((d) => hosts.serviceFor(d.destination.host, vs.metadata.namespace ?? 'default') === svc && d.destination.subset).map((d) => d.destination.subset!))]}));
      const drs = hosts.destinationRulesFor(host, ns).map((dr) => {
        const subsets = dr.spec.subsets ?? [];
        const matching = subsets.filter((s) => pods.some((p) => matchesLabels(p.metadata.labels, s.labels))).map((s) => s.name);
        return {name: id(dr), ...(dr.spec.trafficPolicy?.tls?.mode ? {tlsMode: dr.spec.trafficPolicy.tls.mode} : {}), matchingSubsets: matching, otherSubsets: subsets.map((s) => s.name).filter((n) => !matching.includes(n))};
      });
      for (const dr of drs) if (dr.matchingSubsets.length === 0 && dr.otherSubsets.length > 0) warnings.push(`pods match no subset of DestinationRule ${dr.name}`);
      for (const vs of vss) {
        const routed = vs.subsets.filter((s) => drs.some((d) => d.matchingSubsets.includes(s)));
        if (vs.subsets.length > 0 && routed.length === 0) warnings.push(`VirtualService ${vs.name} routes ${svc.metadata.name} only to subsets these pods are not in (${vs.subsets.join(', ')})`);
      }
      services.push({name: id(svc), host, ports, virtualServices: vss, destinationRules: drs});
    }
    if (services.length === 0) warnings.push('no Kubernetes Service selects these pods');
  }
  const sidecar = pod ? proxyContainer(pod, 'istio') !== undefined : false;
  if (pod && !sidecar) warnings.push('not part of the mesh: no istio-proxy sidecar');
  const selects = (o: {metadata: KubeObject['metadata']; spec: {selector?: {matchLabels?: Readonly<Record<string, string>>}}}) => {
    const oNs = o.metadata.namespace;
    if (oNs !== ns && oNs !== opts.rootNamespace) return false;
    const sel = o.spec.selector?.matchLabels;
    return pod !== undefined && (!sel || Object.keys(sel).length === 0 || matchesLabels(pod.metadata.labels, sel));
  };
  const aps = objects.list('authorizationpolicies.security.istio.io').filter((ap) => selects(ap as never)).map((ap) => ({name: id(ap), action: ap.spec.action ?? 'ALLOW'}));
  const sidecars = objects.list('sidecars.networking.istio.io').filter((s) => s.metadata.namespace === ns || s.metadata.namespace === opts.rootNamespace);
  const selected = sidecars.filter((s) => s.metadata.namespace === ns && s.spec.workloadSelector?.labels && pod && matchesLabels(pod.metadata.labels, s.spec.workloadSelector.labels));
  const sidecarResource = selected[0] ?? sidecars.find((s) => s.metadata.namespace === ns && !s.spec.workloadSelector?.labels) ?? sidecars.find((s) => s.metadata.namespace === opts.rootNamespace && !s.spec.workloadSelector?.labels);
  const pa = pod ? pas.modeFor(pod) : {mode: 'PERMISSIVE', source: 'default'};
  return {
    subject,
    pods: pods.map((p) => p.metadata.name),
    sidecar,
    services,
    peerAuthentication: {mode: pa.mode, source: pa.source},
    authorizationPolicies: aps,
    ...(sidecarResource ? {sidecarResource: id(sidecarResource)} : {}),
    warnings,
  };
}

/** Subject keys a description covers, to pick the catalog findings that concern it. */
export function describedSubjects(d: Description, podSubjects: readonly Subject[]): Set<string> {
  const keys = new Set<string>([subjectKey(d.subject), ...podSubjects.map(subjectKey)]);
  for (const s of d.services) {
    const [sns, sname] = s.name.split('/');
    keys.add(`Service ${sns}/${sname}`);
    for (const v of s.virtualServices) keys.add(`VirtualService ${v.name}`);
    for (const r of s.destinationRules) keys.add(`DestinationRule ${r.name}`);
  }
  for (const a of d.authorizationPolicies) keys.add(`AuthorizationPolicy ${a.name}`);
  if (d.sidecarResource) keys.add(`Sidecar ${d.sidecarResource}`);
  return keys;
}
