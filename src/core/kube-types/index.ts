/**
 * The one place for Kubernetes object types, and the map from resource key to type that gives
 * `ctx.objects.list('pods')` its element type.
 */
import type * as core from './core.js';
import type * as istio from './istio.js';
import type * as gw from './gateway-api.js';
import type * as l5d from './linkerd.js';
import type * as smi from './smi.js';
import type {ConsulConfigEntry, ServiceIntentions, ServiceResolver, ServiceRouter, ServiceSplitter, TerminatingGateway} from './consul.js';
import type {CertManagerCertificate, OsmMeshConfig} from './osm.js';
import type {KubeObject} from './meta.js';

export type * from './meta.js';
export type * from './core.js';
export type * from './istio.js';
export type * from './gateway-api.js';
export type * from './linkerd.js';
export type * from './smi.js';
export type * from './consul.js';
export type * from './osm.js';

export interface KindTypes {
  namespaces: core.Namespace;
  pods: core.Pod;
  services: core.Service;
  nodes: core.Node;
  configmaps: core.ConfigMap;
  secrets: core.Secret;
  serviceaccounts: core.ServiceAccount;
  endpoints: core.Endpoints;
  events: core.KubeEvent;
  'deployments.apps': core.Deployment;
  'replicasets.apps': core.ReplicaSet;
  'statefulsets.apps': core.StatefulSet;
  'daemonsets.apps': core.DaemonSet;
  'jobs.batch': core.Job;
  'cronjobs.batch': core.CronJob;
  'endpointslices.discovery.k8s.io': core.EndpointSlice;
  'mutatingwebhookconfigurations.admissionregistration.k8s.io': core.MutatingWebhookConfiguration;
  'validatingwebhookconfigurations.admissionregistration.k8s.io': core.ValidatingWebhookConfiguration;
  'customresourcedefinitions.apiextensions.k8s.io': core.CustomResourceDefinition;
  'apiservices.apiregistration.k8s.io': core.APIService;
  'virtualservices.networking.istio.io': istio.VirtualService;
  'destinationrules.networking.istio.io': istio.DestinationRule;
  'gateways.networking.istio.io': istio.IstioGateway;
  'serviceentries.networking.istio.io': istio.ServiceEntry;
  'sidecars.networking.istio.io': istio.Sidecar;
  'envoyfilters.networking.istio.io': istio.EnvoyFilter;
  'workloadentries.networking.istio.io': istio.WorkloadEntry;
  'workloadgroups.networking.istio.io': istio.WorkloadGroup;
  'peerauthentications.security.istio.io': istio.PeerAuthentication;
  'authorizationpolicies.security.istio.io': istio.IstioAuthorizationPolicy;
  'requestauthentications.security.istio.io': istio.RequestAuthentication;
  'telemetries.telemetry.istio.io': istio.Telemetry;
  'wasmplugins.extensions.istio.io': istio.WasmPlugin;
  'gateways.gateway.networking.k8s.io': gw.K8sGateway;
  'gatewayclasses.gateway.networking.k8s.io': gw.GatewayClass;
  'httproutes.gateway.networking.k8s.io': gw.Route;
  'grpcroutes.gateway.networking.k8s.io': gw.Route;
  'tcproutes.gateway.networking.k8s.io': gw.Route;
  'tlsroutes.gateway.networking.k8s.io': gw.Route;
  'referencegrants.gateway.networking.k8s.io': gw.ReferenceGrant;
  'serviceprofiles.linkerd.io': l5d.ServiceProfile;
  'servers.policy.linkerd.io': l5d.LinkerdServer;
  'serverauthorizations.policy.linkerd.io': l5d.ServerAuthorization;
  'authorizationpolicies.policy.linkerd.io': l5d.LinkerdAuthorizationPolicy;
  'meshtlsauthentications.policy.linkerd.io': l5d.MeshTLSAuthentication;
  'networkauthentications.policy.linkerd.io': l5d.NetworkAuthentication;
  'httproutes.policy.linkerd.io': gw.Route;
  'egressnetworks.policy.linkerd.io': l5d.EgressNetwork;
  'externalworkloads.workload.linkerd.io': l5d.ExternalWorkload;
  'links.multicluster.linkerd.io': l5d.Link;
  'trafficsplits.split.smi-spec.io': smi.TrafficSplit;
  'traffictargets.access.smi-spec.io': smi.TrafficTarget;
  'httproutegroups.specs.smi-spec.io': smi.HTTPRouteGroup;
  'tcproutes.specs.smi-spec.io': smi.SmiTCPRoute;
  'servicedefaults.consul.hashicorp.com': ConsulConfigEntry;
  'serviceintentions.consul.hashicorp.com': ServiceIntentions;
  'servicerouters.consul.hashicorp.com': ServiceRouter;
  'servicesplitters.consul.hashicorp.com': ServiceSplitter;
  'serviceresolvers.consul.hashicorp.com': ServiceResolver;
  'proxydefaults.consul.hashicorp.com': ConsulConfigEntry;
  'meshes.consul.hashicorp.com': ConsulConfigEntry;
  'exportedservices.consul.hashicorp.com': ConsulConfigEntry;
  'ingressgateways.consul.hashicorp.com': ConsulConfigEntry;
  'terminatinggateways.consul.hashicorp.com': TerminatingGateway;
  'samenessgroups.consul.hashicorp.com': ConsulConfigEntry;
  'jwtproviders.consul.hashicorp.com': ConsulConfigEntry;
  'meshconfigs.config.openservicemesh.io': OsmMeshConfig;
  'certificates.cert-manager.io': CertManagerCertificate;
}

export type AnyObject = KubeObject;

/** The object type for a resource key. */
export type ObjectOf<K extends string> = K extends keyof KindTypes ? KindTypes[K] : KubeObject;
