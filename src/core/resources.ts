/**
 * The resource types meshdoctor knows, keyed the way kubectl names them: `<plural>` for the core
 * group, `<plural>.<group>` otherwise (the same string as a CRD's metadata.name). Checks declare
 * their inputs with these keys, the collector lists them, the fixture server serves them.
 */

export type ResourceType = Readonly<{
  key: string;
  group: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Versions in order of preference; the collector uses the first one the server serves. */
  versions: readonly string[];
  /** Built into every Kubernetes API server (never "absent"). */
  builtin: boolean;
  /** State that only exists in a running cluster, never in a manifest repository. */
  runtime?: boolean;
}>;

type KeyOf<G extends string, P extends string> = G extends '' ? P : `${P}.${G}`;

function builtin<G extends string, P extends string>(group: G, version: string, kind: string, plural: P, namespaced: boolean, runtime = false): ResourceType & {key: KeyOf<G, P>} {
  return {key: (group ? `${plural}.${group}` : plural) as KeyOf<G, P>, group, kind, plural, namespaced, versions: [version], builtin: true, runtime};
}

function crd<G extends string, P extends string>(group: G, versions: readonly string[], kind: string, plural: P, namespaced = true): ResourceType & {key: KeyOf<G, P>} {
  return {key: `${plural}.${group}` as KeyOf<G, P>, group, kind, plural, namespaced, versions, builtin: false};
}

const ISTIO_NET = ['v1', 'v1beta1', 'v1alpha3'] as const;
const ISTIO_SEC = ['v1', 'v1beta1'] as const;
const CONSUL = ['v1alpha1'] as const;

export const RESOURCE_TYPES = [
  // core
  builtin('', 'v1', 'Namespace', 'namespaces', false),
  builtin('', 'v1', 'Pod', 'pods', true, true),
  builtin('', 'v1', 'Service', 'services', true),
  builtin('', 'v1', 'Node', 'nodes', false, true),
  builtin('', 'v1', 'ConfigMap', 'configmaps', true),
  builtin('', 'v1', 'Secret', 'secrets', true),
  builtin('', 'v1', 'ServiceAccount', 'serviceaccounts', true),
  builtin('', 'v1', 'Endpoints', 'endpoints', true, true),
  builtin('', 'v1', 'Event', 'events', true, true),
  builtin('apps', 'v1', 'Deployment', 'deployments', true),
  builtin('apps', 'v1', 'ReplicaSet', 'replicasets', true, true),
  builtin('apps', 'v1', 'StatefulSet', 'statefulsets', true),
  builtin('apps', 'v1', 'DaemonSet', 'daemonsets', true),
  builtin('batch', 'v1', 'Job', 'jobs', true),
  builtin('batch', 'v1', 'CronJob', 'cronjobs', true),
  builtin('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true, true),
  builtin('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false),
  builtin('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
  builtin('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false),
  builtin('apiregistration.k8s.io', 'v1', 'APIService', 'apiservices', false),
  // Istio
  crd('networking.istio.io', ISTIO_NET, 'VirtualService', 'virtualservices'),
  crd('networking.istio.io', ISTIO_NET, 'DestinationRule', 'destinationrules'),
  crd('networking.istio.io', ISTIO_NET, 'Gateway', 'gateways'),
  crd('networking.istio.io', ISTIO_NET, 'ServiceEntry', 'serviceentries'),
  crd('networking.istio.io', ISTIO_NET, 'Sidecar', 'sidecars'),
  crd('networking.istio.io', ['v1alpha3'], 'EnvoyFilter', 'envoyfilters'),
  crd('networking.istio.io', ISTIO_NET, 'WorkloadEntry', 'workloadentries'),
  crd('networking.istio.io', ISTIO_NET, 'WorkloadGroup', 'workloadgroups'),
  crd('security.istio.io', ISTIO_SEC, 'PeerAuthentication', 'peerauthentications'),
  crd('security.istio.io', ISTIO_SEC, 'AuthorizationPolicy', 'authorizationpolicies'),
  crd('security.istio.io', ISTIO_SEC, 'RequestAuthentication', 'requestauthentications'),
  crd('telemetry.istio.io', ['v1', 'v1alpha1'], 'Telemetry', 'telemetries'),
  crd('extensions.istio.io', ['v1alpha1'], 'WasmPlugin', 'wasmplugins'),
  // Gateway API
  crd('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'Gateway', 'gateways'),
  crd('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'GatewayClass', 'gatewayclasses', false),
  crd('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'HTTPRoute', 'httproutes'),
  crd('gateway.networking.k8s.io', ['v1', 'v1alpha2'], 'GRPCRoute', 'grpcroutes'),
  crd('gateway.networking.k8s.io', ['v1', 'v1alpha2'], 'TCPRoute', 'tcproutes'),
  crd('gateway.networking.k8s.io', ['v1', 'v1alpha2'], 'TLSRoute', 'tlsroutes'),
  crd('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'ReferenceGrant', 'referencegrants'),
  // Linkerd
  crd('linkerd.io', ['v1alpha2', 'v1alpha1'], 'ServiceProfile', 'serviceprofiles'),
  crd('policy.linkerd.io', ['v1beta3', 'v1beta2', 'v1beta1', 'v1alpha1'], 'Server', 'servers'),
  crd('policy.linkerd.io', ['v1beta1', 'v1alpha1'], 'ServerAuthorization', 'serverauthorizations'),
  crd('policy.linkerd.io', ['v1alpha1'], 'AuthorizationPolicy', 'authorizationpolicies'),
  crd('policy.linkerd.io', ['v1alpha1'], 'MeshTLSAuthentication', 'meshtlsauthentications'),
  crd('policy.linkerd.io', ['v1alpha1'], 'NetworkAuthentication', 'networkauthentications'),
  crd('policy.linkerd.io', ['v1beta3', 'v1beta2', 'v1beta1', 'v1alpha1'], 'HTTPRoute', 'httproutes'),
  crd('policy.linkerd.io', ['v1alpha1'], 'EgressNetwork', 'egressnetworks'),
  crd('workload.linkerd.io', ['v1beta1', 'v1alpha1'], 'ExternalWorkload', 'externalworkloads'),
  crd('multicluster.linkerd.io', ['v1alpha3', 'v1alpha2', 'v1alpha1'], 'Link', 'links'),
  // SMI (linkerd-smi, OSM)
  crd('split.smi-spec.io', ['v1alpha4', 'v1alpha3', 'v1alpha2', 'v1alpha1'], 'TrafficSplit', 'trafficsplits'),
  crd('access.smi-spec.io', ['v1alpha3', 'v1alpha2', 'v1alpha1'], 'TrafficTarget', 'traffictargets'),
  crd('specs.smi-spec.io', ['v1alpha4', 'v1alpha3', 'v1alpha2', 'v1alpha1'], 'HTTPRouteGroup', 'httproutegroups'),
  crd('specs.smi-spec.io', ['v1alpha4', 'v1alpha3'], 'TCPRoute', 'tcproutes'),
  // Consul
  crd('consul.hashicorp.com', CONSUL, 'ServiceDefaults', 'servicedefaults'),
  crd('consul.hashicorp.com', CONSUL, 'ServiceIntentions', 'serviceintentions'),
  crd('consul.hashicorp.com', CONSUL, 'ServiceRouter', 'servicerouters'),
  crd('consul.hashicorp.com', CONSUL, 'ServiceSplitter', 'servicesplitters'),
  crd('consul.hashicorp.com', CONSUL, 'ServiceResolver', 'serviceresolvers'),
  crd('consul.hashicorp.com', CONSUL, 'ProxyDefaults', 'proxydefaults'),
  crd('consul.hashicorp.com', CONSUL, 'Mesh', 'meshes'),
  crd('consul.hashicorp.com', CONSUL, 'ExportedServices', 'exportedservices'),
  crd('consul.hashicorp.com', CONSUL, 'IngressGateway', 'ingressgateways'),
  crd('consul.hashicorp.com', CONSUL, 'TerminatingGateway', 'terminatinggateways'),
  crd('consul.hashicorp.com', CONSUL, 'SamenessGroup', 'samenessgroups'),
  crd('consul.hashicorp.com', CONSUL, 'JWTProvider', 'jwtproviders'),
  // OSM
  crd('config.openservicemesh.io', ['v1alpha2', 'v1alpha1'], 'MeshConfig', 'meshconfigs'),
  // cert-manager (reported when it manages mesh certificates)
  crd('cert-manager.io', ['v1'], 'Certificate', 'certificates'),
] as const satisfies readonly ResourceType[];

export type ResourceKey = (typeof RESOURCE_TYPES)[number]['key'];

const byKey = new Map<string, ResourceType>(RESOURCE_TYPES.map((t) => [t.key, t]));
const byGroupKind = new Map<string, ResourceType>(RESOURCE_TYPES.map((t) => [`${t.group}/${t.kind}`, t]));

export function resourceType(key: ResourceKey): ResourceType {
  const t = byKey.get(key);
  if (!t) throw new Error(`unknown resource key ${key}`);
  return t;
}

export function isResourceKey(key: string): key is ResourceKey {
  return byKey.has(key);
}

/** Split `group/version` (or `v1`) into its group. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** The resource type an object belongs to, from its apiVersion and kind; undefined when unknown to meshdoctor. */
export function resourceTypeFor(apiVersion: string, kind: string): ResourceType | undefined {
  return byGroupKind.get(`${groupOf(apiVersion)}/${kind}`);
}

/** `apiVersion` string for a resource type at a version. */
export function apiVersionOf(type: ResourceType, version = type.versions[0]): string {
  return type.group ? `${type.group}/${version}` : version;
}
