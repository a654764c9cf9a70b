/**
 * Proxy sync status from istiod's syncz (istio/istio istioctl/pkg/proxystatus/proxystatus.go, pilot/pkg/xds/debug.go), computed with istiod's own
 * precedence: a last error → ERROR (the proxy NACKed the push); nothing sent → NOT SENT; acked nonce =
 * sent nonce → SYNCED; otherwise STALE. The xDS (ClientConfig) form carries the status itself.
 * A proxy id is `<pod>.<namespace>`; a proxy absent from every replica is connected to none.
 */
import type {ObjectReader, WorkloadIndex} from '../../core/check.js';
import type {IstioSyncz, ProxySync, XdsTypeState} from '../../core/control-plane.js';
import type {Pod} from '../../core/kube-types/index.js';
import type {Subject} from '../../core/types.js';

export type XdsStatus = 'ERROR' | 'NOT SENT' | 'SYNCED' | 'STALE' | 'IGNORED';

export const XDS_TYPES = {
  CDS: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  LDS: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  RDS: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  EDS: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  ECDS: 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig',
} as const;

export type XdsShortName = keyof typeof XDS_TYPES;

const SHORT_BY_URL = new Map<string, string>(Object.entries(XDS_TYPES).map(([k, v]) => [v, k]));

/** `CDS` for the cluster type URL; the URL's last segment for anything else. */
export function xdsShortName(typeUrl: string): string {
  return SHORT_BY_URL.get(typeUrl) ?? typeUrl.slice(typeUrl.lastIndexOf('.') + 1);
}

export function xdsStatus(state: XdsTypeState): XdsStatus {
  if (state.configStatus) {
    const s = state.configStatus.toUpperCase();
    if (s === 'NOT_SENT') return 'NOT SENT';
    if (s === 'SYNCED' || s === 'STALE' || s === 'ERROR') return s;
    return 'IGNORED';
  }
  if (state.lastError) return 'ERROR';
  if (!state.sent) return 'NOT SENT';
  if (state.acked === state.sent) return 'SYNCED';
  return 'STALE';
}

/** When istiod last pushed this type (HTTP `sentTime`, xDS `lastUpdated`); undefined when not reported. */
export function lastPush(state: XdsTypeState): Date | undefined {
  const text = state.sentTime ?? state.lastUpdated;
  if (!text) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) || t <= 0 ? undefined : new Date(t);
}

/** `cart-1.shop` → pod cart-1 in shop (namespaces have no dots; pod names may). */
export function splitProxyId(proxy: string): Readonly<{pod: string; namespace: string}> | undefined {
  const dot = proxy.lastIndexOf('.');
  if (dot <= 0 || dot === proxy.length - 1) return undefined;
  return {pod: proxy.slice(0, dot), namespace: proxy.slice(dot + 1)};
}

export type ConnectedProxy = Readonly<{proxy: ProxySync; istiod: string; istiodNamespace: string}>;

/** Every proxy reported by a replica that answered, with the replica that holds its connection. */
export function connectedProxies(syncz: IstioSyncz): ConnectedProxy[] {
  const out: ConnectedProxy[] = [];
  for (const r of syncz.replicas) {
    if (r.state !== 'ok') continue;
    for (const proxy of r.proxies) out.push({proxy, istiod: r.pod, istiodNamespace: r.namespace});
  }
  return out;
}

/** Types of a proxy with their status, in CDS, LDS, EDS, RDS, ECDS order, then others. */
export function typeStatuses(proxy: ProxySync): {typeUrl: string; short: string; status: XdsStatus; state: XdsTypeState}[] {
  const order = Object.values(XDS_TYPES) as string[];
  return Object.entries(proxy.types)
    .map(([typeUrl, state]) => ({typeUrl, short: xdsShortName(typeUrl), status: xdsStatus(state), state}))
    .sort((a, b) => {
      const ia = order.indexOf(a.typeUrl);
      const ib = order.indexOf(b.typeUrl);
      return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib) || a.typeUrl.localeCompare(b.typeUrl);
    });
}

/** The subject a proxy's findings go to: its pod's workload (D4), or the pod named by the id when it is not in the snapshot. */
export function proxyOwner(objects: ObjectReader, workloads: WorkloadIndex, proxyId: string): Readonly<{subject: Subject; pod?: Pod; podName: string; namespace: string}> | undefined {
  const id = splitProxyId(proxyId);
  if (!id) return undefined;
  const pod = objects.get('pods', id.namespace, id.pod);
  if (pod) return {subject: workloads.ownerOf(pod), pod, podName: id.pod, namespace: id.namespace};
  return {subject: {kind: 'Pod', apiVersion: 'v1', namespace: id.namespace, name: id.pod}, podName: id.pod, namespace: id.namespace};
}

/**
 * Whether syncz findings make sense in this run: not for an external (managed) control plane unless
 * syncz was read directly with --istiod-url. Returns the reason when they do not.
 */
export function synczNotApplicable(controlPlane: string | undefined, syncz: IstioSyncz | undefined): string | undefined {
  if (syncz?.direct) return undefined;
  if (controlPlane === 'external') return 'istiod runs outside the cluster (external control plane); pass --istiod-url to read its sync status';
  if (controlPlane === 'absent') return 'no istiod in the cluster to ask for sync status';
  return undefined;
}
