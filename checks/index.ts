/**
 * The catalog: the one registry of checks. One check per file under checks/<block>/<slug>.ts,
 * one runbook per check under runbooks/<block>/<slug>.md. Keep this list sorted by id.
 */
import type {Check} from '../src/core/check.js';
import kubeRbacIncomplete from './cluster/kube-rbac-incomplete.js';
import gatewayApiCrdsMissing from './cluster/gateway-api-crds-missing.js';
import meshInstallIncomplete from './control-plane/mesh-install-incomplete.js';
import istiodNotReady from './control-plane/istiod-not-ready.js';
import namespaceMultiMeshEnrollment from './data-plane/namespace-multi-mesh-enrollment.js';
import podMissingProxy from './data-plane/pod-missing-proxy.js';
import webhookCaBundleInvalid from './security/webhook-ca-bundle-invalid.js';
import istioCaCertValidity from './security/istio-ca-cert-validity.js';
import istioVsGatewayNotFound from './traffic-config/istio-vs-gateway-not-found.js';
import istioVsDestinationUnresolved from './traffic-config/istio-vs-destination-unresolved.js';

export const allChecks: readonly Check[] = [
  kubeRbacIncomplete, // MD1001
  gatewayApiCrdsMissing, // MD1002
  meshInstallIncomplete, // MD2001
  istiodNotReady, // MD2101
  namespaceMultiMeshEnrollment, // MD3001
  podMissingProxy, // MD3002
  webhookCaBundleInvalid, // MD4001
  istioCaCertValidity, // MD4102
  istioVsGatewayNotFound, // MD5101
  istioVsDestinationUnresolved, // MD5103
];
