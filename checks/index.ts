/**
 * The catalog: the one registry of checks. One check per file under checks/<block>/<slug>.ts,
 * one runbook per check under runbooks/<block>/<slug>.md. Keep this list sorted by id.
 */
import type {Check} from '../src/core/check.js';
import kubeRbacIncomplete from './cluster/kube-rbac-incomplete.js';
import gatewayApiCrdsMissing from './cluster/gateway-api-crds-missing.js';
import objectMalformed from './cluster/object-malformed.js';
import meshInstallIncomplete from './control-plane/mesh-install-incomplete.js';
import istiodNotReady from './control-plane/istiod-not-ready.js';
import namespaceMultiMeshEnrollment from './data-plane/namespace-multi-mesh-enrollment.js';
import podMissingProxy from './data-plane/pod-missing-proxy.js';
import webhookCaBundleInvalid from './security/webhook-ca-bundle-invalid.js';
import istioCaCertValidity from './security/istio-ca-cert-validity.js';
import istioVsGatewayNotFound from './traffic-config/istio-vs-gateway-not-found.js';
import istioVsDestinationUnresolved from './traffic-config/istio-vs-destination-unresolved.js';
import linkerdIdentityInvalid from './security/linkerd-identity-invalid.js';
import linkerdIdentityCertExpiring from './security/linkerd-identity-cert-expiring.js';
import istiodDebugUnavailable from './cluster/istiod-debug-unavailable.js';
import meshWebhookUnavailable from './control-plane/mesh-webhook-unavailable.js';
import istioProxyStale from './control-plane/istio-proxy-stale.js';
import istioProxyConfigRejected from './control-plane/istio-proxy-config-rejected.js';
import istioProxyDisconnected from './control-plane/istio-proxy-disconnected.js';
import istioProxyConfigNotSent from './control-plane/istio-proxy-config-not-sent.js';
import proxyUnhealthy from './data-plane/proxy-unhealthy.js';
import proxyInitFailed from './data-plane/proxy-init-failed.js';
import proxyVersionSkew from './data-plane/proxy-version-skew.js';
import istioNamespaceNotInjected from './data-plane/istio-namespace-not-injected.js';
import istioConflictingInjectionLabels from './data-plane/istio-conflicting-injection-labels.js';
import istioRevisionNotFound from './data-plane/istio-revision-not-found.js';
import istioMtlsModeConflict from './security/istio-mtls-mode-conflict.js';
import istioRootCertMismatch from './security/istio-root-cert-mismatch.js';
import istioGatewayCredentialInvalid from './security/istio-gateway-credential-invalid.js';
import istioVsHostNotInGateway from './traffic-config/istio-vs-host-not-in-gateway.js';
import istioVsDestinationPortRequired from './traffic-config/istio-vs-destination-port-required.js';
import istioVsUnreachableRule from './traffic-config/istio-vs-unreachable-rule.js';
import istioVsConflictingMeshHosts from './traffic-config/istio-vs-conflicting-mesh-hosts.js';
import istioVsIngressSubsetIneffective from './traffic-config/istio-vs-ingress-subset-ineffective.js';
import istioDrHostNotFound from './traffic-config/istio-dr-host-not-found.js';
import istioDrSubsetNoPods from './traffic-config/istio-dr-subset-no-pods.js';
import istioGatewayConflict from './traffic-config/istio-gateway-conflict.js';
import istioGatewaySelectorNoWorkload from './traffic-config/istio-gateway-selector-no-workload.js';
import istioGatewayPortNotOnService from './traffic-config/istio-gateway-port-not-on-service.js';
import istioGatewayDuplicateCertificate from './traffic-config/istio-gateway-duplicate-certificate.js';
import istioSidecarAmbiguous from './traffic-config/istio-sidecar-ambiguous.js';
import istioSelectorNoWorkload from './traffic-config/istio-selector-no-workload.js';
import istioEnvoyfilterRelativePatch from './traffic-config/istio-envoyfilter-relative-patch.js';
import istioPortNameProtocol from './traffic-config/istio-port-name-protocol.js';
import istioServicePortConflict from './traffic-config/istio-service-port-conflict.js';
import istioVsRouteWeightsInvalid from './traffic-config/istio-vs-route-weights-invalid.js';
import linkerdWebhookCertInvalid from './security/linkerd-webhook-cert-invalid.js';
import linkerdProxyTrustAnchorMismatch from './security/linkerd-proxy-trust-anchor-mismatch.js';
import linkerdServerPortSkipped from './security/linkerd-server-port-skipped.js';
import linkerdServerPodsUnmeshed from './security/linkerd-server-pods-unmeshed.js';
import linkerdControlPlaneNotReady from './control-plane/linkerd-control-plane-not-ready.js';
import linkerdClusterNetworksIncomplete from './control-plane/linkerd-cluster-networks-incomplete.js';
import linkerdCniNotReady from './control-plane/linkerd-cni-not-ready.js';
import linkerdVizNotReady from './control-plane/linkerd-viz-not-ready.js';
import linkerdExtensionNamespaceDuplicated from './control-plane/linkerd-extension-namespace-duplicated.js';
import linkerdServiceMirrorNotReady from './control-plane/linkerd-service-mirror-not-ready.js';
import linkerdMulticlusterGatewayNotReady from './control-plane/linkerd-multicluster-gateway-not-ready.js';
import linkerdConfigAsLabel from './data-plane/linkerd-config-as-label.js';
import linkerdJobProxyBlocksCompletion from './data-plane/linkerd-job-proxy-blocks-completion.js';
import linkerdInjectionWebhookExcluded from './data-plane/linkerd-injection-webhook-excluded.js';
import linkerdPrometheusScrapeDenied from './cluster/linkerd-prometheus-scrape-denied.js';
import smiTrafficsplitRefNotFound from './traffic-config/smi-trafficsplit-ref-not-found.js';
import linkerdServerSelectorNoMatch from './traffic-config/linkerd-server-selector-no-match.js';
import linkerdServerNoAuthorization from './traffic-config/linkerd-server-no-authorization.js';
import linkerdAuthzRefNotFound from './traffic-config/linkerd-authz-ref-not-found.js';
import linkerdMeshtlsIdentityInvalid from './traffic-config/linkerd-meshtls-identity-invalid.js';
import linkerdServiceprofileUnresolved from './traffic-config/linkerd-serviceprofile-unresolved.js';
import linkerdServiceprofileShadowsRoute from './traffic-config/linkerd-serviceprofile-shadows-route.js';
import linkerdOpaquePortsMismatch from './traffic-config/linkerd-opaque-ports-mismatch.js';
import linkerdServerPortConflict from './traffic-config/linkerd-server-port-conflict.js';
import linkerdMirrorServiceNoEndpoints from './traffic-config/linkerd-mirror-service-no-endpoints.js';
import linkerdMirrorServiceOrphaned from './traffic-config/linkerd-mirror-service-orphaned.js';
import linkerdRouteProbeUnmatched from './traffic-config/linkerd-route-probe-unmatched.js';
import linkerdServerauthorizationNoServer from './traffic-config/linkerd-serverauthorization-no-server.js';
import routeBackendNoEndpoints from './traffic-config/route-backend-no-endpoints.js';
import gatewayApiBackendNotFound from './traffic-config/gateway-api-backend-not-found.js';
import gatewayApiRouteNotAccepted from './traffic-config/gateway-api-route-not-accepted.js';
import gatewayApiGatewayNotProgrammed from './traffic-config/gateway-api-gateway-not-programmed.js';
import prometheusUnavailable from './cluster/prometheus-unavailable.js';
import meshMetricsAbsent from './cluster/mesh-metrics-absent.js';
import meshMetricsLabelsMissing from './cluster/mesh-metrics-labels-missing.js';
import consulProxyXdsDisconnected from './control-plane/consul-proxy-xds-disconnected.js';
import plaintextTrafficObserved from './security/plaintext-traffic-observed.js';
import linkerdProxyIdentityCertExpiring from './security/linkerd-proxy-identity-cert-expiring.js';
import successRateBelowSlo from './traffic-health/success-rate-below-slo.js';
import latencyP99High from './traffic-health/latency-p99-high.js';
import trafficToServiceWithoutEndpoints from './traffic-health/traffic-to-service-without-endpoints.js';
import meshedWorkloadNoTraffic from './traffic-health/meshed-workload-no-traffic.js';
import circuitBreakerOverflow from './traffic-health/circuit-breaker-overflow.js';
import noHealthyUpstream from './traffic-health/no-healthy-upstream.js';
import upstreamConnectFailure from './traffic-health/upstream-connect-failure.js';
import upstreamTimeout from './traffic-health/upstream-timeout.js';
import istioNoRoute from './traffic-health/istio-no-route.js';
import istioDownstreamDisconnect from './traffic-health/istio-downstream-disconnect.js';
import istioUpstreamReset from './traffic-health/istio-upstream-reset.js';
import istioProtocolError from './traffic-health/istio-protocol-error.js';
import istioEgressBlackhole from './traffic-health/istio-egress-blackhole.js';
import istioEgressPassthrough from './traffic-health/istio-egress-passthrough.js';
import istioFaultInjectionActive from './traffic-health/istio-fault-injection-active.js';
import linkerdAuthorizationDenials from './traffic-health/linkerd-authorization-denials.js';
import linkerdInboundRouteNotFound from './traffic-health/linkerd-inbound-route-not-found.js';
import consulServersNotReady from './control-plane/consul-servers-not-ready.js';
import consulConnectInjectorNotReady from './control-plane/consul-connect-injector-not-ready.js';
import consulPodServiceCount from './data-plane/consul-pod-service-count.js';
import consulServiceAccountMismatch from './data-plane/consul-service-account-mismatch.js';
import consulConfigEntryNotSynced from './traffic-config/consul-config-entry-not-synced.js';
import consulIntentionsRefNotFound from './traffic-config/consul-intentions-ref-not-found.js';
import consulL7RefNotFound from './traffic-config/consul-l7-ref-not-found.js';
import osmMetricsDisabled from './cluster/osm-metrics-disabled.js';
import osmControlPlaneNotReady from './control-plane/osm-control-plane-not-ready.js';
import osmArchived from './control-plane/osm-archived.js';
import osmNamespaceNotMonitored from './data-plane/osm-namespace-not-monitored.js';
import osmPermissiveOffNoTrafficTarget from './security/osm-permissive-off-no-traffic-target.js';
import osmTraffictargetInvalid from './traffic-config/osm-traffictarget-invalid.js';
import istioAppUid1337 from './data-plane/istio-app-uid-1337.js';
import istioDrTlsUnverified from './security/istio-dr-tls-unverified.js';
import istioServiceentryAddressesRequired from './traffic-config/istio-serviceentry-addresses-required.js';
import istioEnvoyfilterOperationIgnored from './traffic-config/istio-envoyfilter-operation-ignored.js';
import istioAnnotationIgnored from './data-plane/istio-annotation-ignored.js';
import istioAnnotationInvalid from './data-plane/istio-annotation-invalid.js';
import istioAnnotationDeprecated from './data-plane/istio-annotation-deprecated.js';
import istioVsIneffectiveMatch from './traffic-config/istio-vs-ineffective-match.js';
import istioTelemetryConflict from './traffic-config/istio-telemetry-conflict.js';
import istioPolicySelectorIneffective from './traffic-config/istio-policy-selector-ineffective.js';
import istioExternalWebhookUrl from './control-plane/istio-external-webhook-url.js';

export const allChecks: readonly Check[] = [
  kubeRbacIncomplete, // MD1001
  gatewayApiCrdsMissing, // MD1002
  prometheusUnavailable, // MD1003
  meshMetricsAbsent, // MD1004
  meshMetricsLabelsMissing, // MD1005
  objectMalformed, // MD1006
  istiodDebugUnavailable, // MD1101
  linkerdPrometheusScrapeDenied, // MD1201
  osmMetricsDisabled, // MD1401
  meshInstallIncomplete, // MD2001
  meshWebhookUnavailable, // MD2002
  istiodNotReady, // MD2101
  istioProxyStale, // MD2102
  istioProxyConfigRejected, // MD2103
  istioProxyDisconnected, // MD2104
  istioProxyConfigNotSent, // MD2105
  istioExternalWebhookUrl, // MD2106
  linkerdControlPlaneNotReady, // MD2201
  linkerdClusterNetworksIncomplete, // MD2202
  linkerdCniNotReady, // MD2203
  linkerdVizNotReady, // MD2204
  linkerdServiceMirrorNotReady, // MD2205
  linkerdMulticlusterGatewayNotReady, // MD2206
  linkerdExtensionNamespaceDuplicated, // MD2207
  consulServersNotReady, // MD2301
  consulConnectInjectorNotReady, // MD2302
  consulProxyXdsDisconnected, // MD2303
  osmControlPlaneNotReady, // MD2401
  osmArchived, // MD2402
  namespaceMultiMeshEnrollment, // MD3001
  podMissingProxy, // MD3002
  proxyUnhealthy, // MD3003
  proxyInitFailed, // MD3004
  proxyVersionSkew, // MD3005
  istioNamespaceNotInjected, // MD3101
  istioConflictingInjectionLabels, // MD3102
  istioRevisionNotFound, // MD3103
  istioAppUid1337, // MD3104
  istioAnnotationIgnored, // MD3105
  istioAnnotationInvalid, // MD3106
  istioAnnotationDeprecated, // MD3107
  linkerdConfigAsLabel, // MD3201
  linkerdJobProxyBlocksCompletion, // MD3202
  linkerdInjectionWebhookExcluded, // MD3203
  consulPodServiceCount, // MD3301
  consulServiceAccountMismatch, // MD3302
  osmNamespaceNotMonitored, // MD3401
  webhookCaBundleInvalid, // MD4001
  plaintextTrafficObserved, // MD4002
  istioMtlsModeConflict, // MD4101
  istioCaCertValidity, // MD4102
  istioRootCertMismatch, // MD4103
  istioGatewayCredentialInvalid, // MD4104
  istioDrTlsUnverified, // MD4105
  linkerdIdentityInvalid, // MD4201
  linkerdIdentityCertExpiring, // MD4202
  linkerdWebhookCertInvalid, // MD4203
  linkerdProxyTrustAnchorMismatch, // MD4204
  linkerdProxyIdentityCertExpiring, // MD4205
  linkerdServerPortSkipped, // MD4206
  linkerdServerPodsUnmeshed, // MD4207
  osmPermissiveOffNoTrafficTarget, // MD4401
  routeBackendNoEndpoints, // MD5001
  smiTrafficsplitRefNotFound, // MD5002
  istioVsGatewayNotFound, // MD5101
  istioVsHostNotInGateway, // MD5102
  istioVsDestinationUnresolved, // MD5103
  istioVsDestinationPortRequired, // MD5104
  istioVsUnreachableRule, // MD5105
  istioVsConflictingMeshHosts, // MD5106
  istioVsIngressSubsetIneffective, // MD5107
  istioDrHostNotFound, // MD5108
  istioDrSubsetNoPods, // MD5109
  istioGatewayConflict, // MD5110
  istioGatewaySelectorNoWorkload, // MD5111
  istioGatewayPortNotOnService, // MD5112
  istioGatewayDuplicateCertificate, // MD5113
  istioSidecarAmbiguous, // MD5114
  istioSelectorNoWorkload, // MD5115
  istioEnvoyfilterRelativePatch, // MD5116
  istioPortNameProtocol, // MD5117
  istioServicePortConflict, // MD5118
  istioVsRouteWeightsInvalid, // MD5119
  istioServiceentryAddressesRequired, // MD5120
  istioEnvoyfilterOperationIgnored, // MD5121
  istioVsIneffectiveMatch, // MD5122
  istioTelemetryConflict, // MD5123
  istioPolicySelectorIneffective, // MD5124
  linkerdServerSelectorNoMatch, // MD5201
  linkerdServerNoAuthorization, // MD5202
  linkerdAuthzRefNotFound, // MD5203
  linkerdMeshtlsIdentityInvalid, // MD5204
  linkerdServiceprofileUnresolved, // MD5205
  linkerdServiceprofileShadowsRoute, // MD5206
  linkerdOpaquePortsMismatch, // MD5207
  linkerdMirrorServiceNoEndpoints, // MD5208
  linkerdMirrorServiceOrphaned, // MD5209
  linkerdServerPortConflict, // MD5210
  linkerdRouteProbeUnmatched, // MD5211
  linkerdServerauthorizationNoServer, // MD5212
  consulConfigEntryNotSynced, // MD5301
  consulIntentionsRefNotFound, // MD5302
  consulL7RefNotFound, // MD5303
  osmTraffictargetInvalid, // MD5401
  gatewayApiBackendNotFound, // MD5501
  gatewayApiRouteNotAccepted, // MD5502
  gatewayApiGatewayNotProgrammed, // MD5503
  successRateBelowSlo, // MD6001
  latencyP99High, // MD6002
  trafficToServiceWithoutEndpoints, // MD6003
  meshedWorkloadNoTraffic, // MD6004
  circuitBreakerOverflow, // MD6005
  noHealthyUpstream, // MD6006
  upstreamConnectFailure, // MD6007
  upstreamTimeout, // MD6008
  istioNoRoute, // MD6101
  istioDownstreamDisconnect, // MD6102
  istioUpstreamReset, // MD6103
  istioProtocolError, // MD6104
  istioEgressBlackhole, // MD6105
  istioEgressPassthrough, // MD6106
  istioFaultInjectionActive, // MD6107
  linkerdAuthorizationDenials, // MD6201
  linkerdInboundRouteNotFound, // MD6202
];
