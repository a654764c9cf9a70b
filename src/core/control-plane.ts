/**
 * Control-plane facts: data read from the mesh control plane itself rather than from Kubernetes
 * objects or metrics (istiod's /debug/syncz today).
 */

/** One xDS type's raw state for one proxy, as istiod's HTTP syncz reports it (nonces, not statuses). */
export type XdsTypeState = Readonly<{
  sent?: string;
  acked?: string;
  sentTime?: string;
  lastError?: string;
  /** Status as the xDS form of syncz reports it (configStatus), when that form was read. */
  configStatus?: string;
  lastUpdated?: string;
}>;

export type ProxySync = Readonly<{
  /** `<pod>.<namespace>` */
  proxy: string;
  proxyType?: string;
  istioVersion?: string;
  clusterId?: string;
  /** Keyed by xDS type URL. */
  types: Readonly<Record<string, XdsTypeState>>;
}>;

/** Why a replica's syncz could not be read (MD1101 evidence). */
export type SynczFailure = 'refused' | 'unauthorized' | 'forbidden' | 'disabled' | 'timeout' | 'malformed' | 'error';

export type IstiodReplicaSync = Readonly<{
  pod: string;
  namespace: string;
  revision?: string;
  state: 'ok' | 'error';
  reason?: string;
  failure?: SynczFailure;
  /** HTTP status istiod answered with, when it answered. */
  status?: number;
  /** The monitoring port read (pod annotation prometheus.io/port, default 15014). */
  port?: number;
  /** `http` = /debug/syncz JSON; `xds` = ClientConfig (genericXdsConfigs). */
  form?: 'http' | 'xds';
  proxies: readonly ProxySync[];
  fetchedAt: string;
}>;

export type IstioSyncz = Readonly<{
  replicas: readonly IstiodReplicaSync[];
  /** Read from `--istiod-url` (an istiod outside the cluster's pods, or a tunnel): replicas are not pods. */
  direct?: boolean;
}>;

export interface ControlPlaneFacts {
  istioSyncz: IstioSyncz;
}

export type FactName = keyof ControlPlaneFacts;

export type FactState = Readonly<{state: 'ok' | 'partial' | 'unavailable'; reason?: string}>;
