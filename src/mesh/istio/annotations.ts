/**
 * Istio's resource annotations: which exist, which kinds each belongs on, which are deprecated — the
 * facts of istio/api `annotation/annotations.yaml` at commit b8f8791d9 (2026-07-21; last change to the
 * table 66634fdd1, 2026-07-15), the table istioctl's annotation analyzer reads
 * (`annotation.AllResourceAnnotations()`, hidden entries included). Rows: name, the kinds it applies
 * to (`Any` = every kind), feature status (A alpha, B beta, S stable, - unset) with `D` when
 * deprecated.
 *
 * To refresh: compare with the upstream file at a newer commit and update the rows and the commit
 * above; `READ_BUT_UNLISTED` lists keys Istio's own code reads or writes that the table lacks, so
 * they are not reported as unknown.
 */

export type AnnotationFact = Readonly<{kinds: readonly string[]; status: 'alpha' | 'beta' | 'stable' | undefined; deprecated: boolean}>;

const TABLE: readonly (readonly [name: string, kinds: string, status: string])[] = [
  ["alpha.istio.io/canonical-serviceaccounts", "Service", "AD"],
  ["alpha.istio.io/kubernetes-serviceaccounts", "Service", "AD"],
  ["ambient.istio.io/bypass-inbound-capture", "Pod", "A"],
  ["ambient.istio.io/dns-capture", "Pod", "A"],
  ["ambient.istio.io/redirection", "Pod", "B"],
  ["ambient.istio.io/waypoint-inbound-binding", "GatewayClass,Gateway", "A"],
  ["galley.istio.io/analyze-suppress", "Any", "A"],
  ["gateway.istio.io/controller-version", "Any", "A"],
  ["gateway.istio.io/name-override", "Gateway", "A"],
  ["gateway.istio.io/service-account", "Gateway", "A"],
  ["inject.istio.io/templates", "Pod", "A"],
  ["istio.io/autoRegistrationGroup", "WorkloadEntry", "A"],
  ["istio.io/connectedAt", "WorkloadEntry", "A"],
  ["istio.io/disconnectedAt", "WorkloadEntry", "A"],
  ["istio.io/dry-run", "AuthorizationPolicy", "A"],
  ["istio.io/reroute-virtual-interfaces", "Pod", "A"],
  ["istio.io/rev", "Pod", "A"],
  ["istio.io/use-waypoint-canary-weight", "Service,ServiceEntry,Namespace", "A"],
  ["istio.io/workloadController", "WorkloadEntry", "A"],
  ["kubernetes.io/ingress.class", "Ingress", "S"],
  ["networking.istio.io/exportTo", "Service", "A"],
  ["networking.istio.io/service-type", "Gateway", "A"],
  ["networking.istio.io/traffic-distribution", "Namespace,Service,ServiceEntry", "A"],
  ["prometheus.istio.io/merge-metrics", "Pod", "A"],
  ["proxy.istio.io/config", "Pod", "B"],
  ["proxy.istio.io/overrides", "Pod", "A"],
  ["readiness.status.sidecar.istio.io/applicationPorts", "Pod", "A"],
  ["readiness.status.sidecar.istio.io/failureThreshold", "Pod", "A"],
  ["readiness.status.sidecar.istio.io/initialDelaySeconds", "Pod", "A"],
  ["readiness.status.sidecar.istio.io/periodSeconds", "Pod", "A"],
  ["sidecar.istio.io/agentLogLevel", "Pod", "A"],
  ["sidecar.istio.io/bootstrapOverride", "Pod", "A"],
  ["sidecar.istio.io/componentLogLevel", "Pod", "A"],
  ["sidecar.istio.io/discoveryAddress", "Pod", "AD"],
  ["sidecar.istio.io/extraStatTags", "Pod", "AD"],
  ["sidecar.istio.io/inject", "Pod", "BD"],
  ["sidecar.istio.io/interceptionMode", "Pod", "A"],
  ["sidecar.istio.io/logLevel", "Pod", "A"],
  ["sidecar.istio.io/nativeSidecar", "Pod", "A"],
  ["sidecar.istio.io/proxyCPU", "Pod", "A"],
  ["sidecar.istio.io/proxyCPULimit", "Pod", "A"],
  ["sidecar.istio.io/proxyImage", "Pod", "A"],
  ["sidecar.istio.io/proxyImageType", "Pod", "A"],
  ["sidecar.istio.io/proxyMemory", "Pod", "A"],
  ["sidecar.istio.io/proxyMemoryLimit", "Pod", "-"],
  ["sidecar.istio.io/rewriteAppHTTPProbers", "Pod", "A"],
  ["sidecar.istio.io/statsCompression", "Pod", "AD"],
  ["sidecar.istio.io/statsEvictionInterval", "Pod", "A"],
  ["sidecar.istio.io/statsFlushInterval", "Pod", "A"],
  ["sidecar.istio.io/statsHistogramBins", "Pod", "A"],
  ["sidecar.istio.io/statsHistogramBuckets", "Pod", "A"],
  ["sidecar.istio.io/statsInclusionPrefixes", "Pod", "AD"],
  ["sidecar.istio.io/statsInclusionRegexps", "Pod", "AD"],
  ["sidecar.istio.io/statsInclusionSuffixes", "Pod", "AD"],
  ["sidecar.istio.io/status", "Pod", "A"],
  ["sidecar.istio.io/userVolume", "Pod", "A"],
  ["sidecar.istio.io/userVolumeMount", "Pod", "-"],
  ["status.sidecar.istio.io/port", "Pod", "A"],
  ["topology.istio.io/controlPlaneClusters", "Namespace", "A"],
  ["traffic.istio.io/nodeSelector", "Service", "S"],
  ["traffic.sidecar.istio.io/excludeInboundPorts", "Pod", "A"],
  ["traffic.sidecar.istio.io/excludeInterfaces", "Pod", "A"],
  ["traffic.sidecar.istio.io/excludeOutboundIPRanges", "Pod", "A"],
  ["traffic.sidecar.istio.io/excludeOutboundPorts", "Pod", "A"],
  ["traffic.sidecar.istio.io/includeInboundPorts", "Pod", "-"],
  ["traffic.sidecar.istio.io/includeOutboundIPRanges", "Pod", "A"],
  ["traffic.sidecar.istio.io/includeOutboundPorts", "Pod", "A"],
  ["traffic.sidecar.istio.io/kubevirtInterfaces", "Pod", "AD"],
];

/**
 * Keys Istio reads or writes as annotations that the table does not list (kinds they apply to):
 * - `sidecar.istio.io/capNetBindService` — read by the sidecar injection template
 *   (manifests/charts/istio-control/istio-discovery/files/injection-template.yaml);
 * - `prometheus.istio.io/scrape-targets` — read by the injector and the agent's metrics merge
 *   (pkg/kube/inject/webhook.go, pilot/cmd/pilot-agent/status/server.go);
 * - `prometheus.istio.io/secure-port` — written onto pods by the injector itself
 *   (pkg/kube/inject/webhook.go applySecurePrometheusAnnotation);
 * - `proxy.istio.io/health-checks-enabled` — set on WorkloadEntries (pilot/pkg/model/status/workloadentry.go).
 */
const READ_BUT_UNLISTED: readonly (readonly [name: string, kinds: string])[] = [
  ['sidecar.istio.io/capNetBindService', 'Pod'],
  ['prometheus.istio.io/scrape-targets', 'Pod'],
  ['prometheus.istio.io/secure-port', 'Pod'],
  ['proxy.istio.io/health-checks-enabled', 'WorkloadEntry'],
];

const STATUS: Readonly<Record<string, AnnotationFact['status']>> = {A: 'alpha', B: 'beta', S: 'stable'};

export const ISTIO_ANNOTATIONS: ReadonlyMap<string, AnnotationFact> = new Map([
  ...TABLE.map(([name, kinds, s]) => [name, {kinds: kinds.split(','), status: STATUS[s[0]], deprecated: s.endsWith('D')}] as const),
  ...READ_BUT_UNLISTED.map(([name, kinds]) => [name, {kinds: kinds.split(','), status: undefined, deprecated: false}] as const),
]);

/**
 * Istio labels (istio/api `label/labels.yaml`, same commit) with an `istio.io` prefix: used as an
 * annotation they do nothing, which is worth saying by name.
 */
export const ISTIO_LABELS: ReadonlySet<string> = new Set([
  'security.istio.io/tlsMode', 'service.istio.io/canonical-name', 'service.istio.io/canonical-revision', 'service.istio.io/workload-name',
  'networking.istio.io/gatewayPort', 'istio.io/rev', 'istio.io/tag', 'operator.istio.io/component', 'operator.istio.io/managed',
  'operator.istio.io/version', 'topology.istio.io/subzone', 'topology.istio.io/network', 'topology.istio.io/cluster',
  'topology.istio.io/locality', 'sidecar.istio.io/inject', 'gateway.istio.io/managed', 'istio.io/dataplane-mode', 'istio.io/use-waypoint',
  'istio.io/use-waypoint-namespace', 'istio.io/use-waypoint-canary', 'istio.io/use-waypoint-canary-namespace', 'istio.io/ingress-use-waypoint',
  'istio.io/waypoint-for', 'networking.istio.io/enable-autoallocate-ip',
]);

/**
 * Keys istioctl never reports (istio/istio pkg/config/analysis/analyzers/maturity/maturity.go
 * AlwaysIgnoredAnnotations): set by istiod, the injector or the gateway controller, not by users.
 */
export const SET_BY_ISTIO: ReadonlySet<string> = new Set(['sidecar.istio.io/status', 'gateway.istio.io/controller-version', 'istio.io/rev']);

/** What replaces a deprecated annotation, where Istio names a replacement. */
export const REPLACEMENTS: Readonly<Record<string, string>> = {
  'sidecar.istio.io/inject': 'the sidecar.istio.io/inject label',
  'traffic.sidecar.istio.io/kubevirtInterfaces': 'the istio.io/reroute-virtual-interfaces annotation',
  'sidecar.istio.io/statsInclusionPrefixes': 'proxyStatsMatcher in proxy.istio.io/config (ProxyConfig)',
  'sidecar.istio.io/statsInclusionSuffixes': 'proxyStatsMatcher in proxy.istio.io/config (ProxyConfig)',
  'sidecar.istio.io/statsInclusionRegexps': 'proxyStatsMatcher in proxy.istio.io/config (ProxyConfig)',
  'sidecar.istio.io/discoveryAddress': 'discoveryAddress in proxy.istio.io/config (ProxyConfig)',
  'sidecar.istio.io/extraStatTags': 'extraStatTags in proxy.istio.io/config (ProxyConfig)',
  'sidecar.istio.io/statsCompression': 'statsCompression in proxy.istio.io/config or meshConfig.defaultConfig (ProxyConfig)',
};

/** An annotation in Istio's namespace: the part before `/` ends in `istio.io`, or the one Kubernetes key Istio documents. */
export function isIstioAnnotation(key: string): boolean {
  if (key === 'kubernetes.io/ingress.class') return true;
  const slash = key.indexOf('/');
  return slash > 0 && key.slice(0, slash).endsWith('istio.io');
}
