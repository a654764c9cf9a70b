/**
 * Linkerd multicluster as the extension and its checks define it (multicluster/cmd/check.go,
 * multicluster/charts/linkerd-multicluster/templates, pkg/k8s/labels.go in linkerd/linkerd2): a
 * Link (multicluster.linkerd.io) per target cluster; one service-mirror controller Deployment per
 * Link, labelled `component` in (`controller`, legacy `service-mirror`) and
 * `mirror.linkerd.io/cluster-name=<target>`; mirror Services labelled
 * `mirror.linkerd.io/mirrored-service=true` with the target in `mirror.linkerd.io/cluster-name`;
 * the probe gateway mirror labelled `mirror.linkerd.io/mirrored-gateway=true`; remote-discovery and
 * federated Services need no endpoints of their own; in the target cluster, the gateway Service is
 * annotated `mirror.linkerd.io/multicluster-gateway: "true"`.
 */
import type {LabelSelector, Service} from '../../core/kube-types/index.js';

export const CLUSTER_NAME_LABEL = 'mirror.linkerd.io/cluster-name';
export const MIRRORED_SERVICE_LABEL = 'mirror.linkerd.io/mirrored-service';
export const MIRRORED_GATEWAY_LABEL = 'mirror.linkerd.io/mirrored-gateway';
export const REMOTE_DISCOVERY_LABEL = 'multicluster.linkerd.io/remote-discovery';
export const REMOTE_DISCOVERY_ANNOTATION = 'multicluster.linkerd.io/remote-discovery';
export const LOCAL_DISCOVERY_ANNOTATION = 'multicluster.linkerd.io/local-discovery';
export const GATEWAY_ANNOTATION = 'mirror.linkerd.io/multicluster-gateway';
export const LEGACY_MIRROR_COMPONENT = 'service-mirror';
export const MIRROR_COMPONENT = 'controller';

/** The service-mirror controller Deployments of one Link target, in any namespace. */
export function serviceMirrorSelector(target: string): LabelSelector {
  return {
    matchLabels: {[CLUSTER_NAME_LABEL]: target},
    matchExpressions: [{key: 'component', operator: 'In', values: [LEGACY_MIRROR_COMPONENT, MIRROR_COMPONENT]}],
  };
}

function label(svc: Service, key: string): string | undefined {
  const v = svc.metadata?.labels?.[key];
  return typeof v === 'string' ? v : undefined;
}

function annotation(svc: Service, key: string): string | undefined {
  const v = svc.metadata?.annotations?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function isGatewayMirror(svc: Service): boolean {
  return label(svc, MIRRORED_GATEWAY_LABEL) === 'true';
}

/**
 * A mirror Service whose endpoints the service mirror writes (gateway mode): labelled mirrored,
 * neither a remote-discovery Service nor a federated one (those are resolved by the destination
 * controller from the remote cluster and have no endpoints here). The probe gateway mirror counts.
 */
export function needsMirroredEndpoints(svc: Service): boolean {
  if (label(svc, MIRRORED_SERVICE_LABEL) !== 'true' && !isGatewayMirror(svc)) return false;
  if (label(svc, REMOTE_DISCOVERY_LABEL) !== undefined) return false;
  return !annotation(svc, REMOTE_DISCOVERY_ANNOTATION) && !annotation(svc, LOCAL_DISCOVERY_ANNOTATION);
}

export function mirrorTarget(svc: Service): string | undefined {
  return label(svc, CLUSTER_NAME_LABEL) || undefined;
}
