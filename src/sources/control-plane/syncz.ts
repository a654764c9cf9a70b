/**
 * istiod proxy sync status (istio/istio istioctl/pkg/proxystatus/proxystatus.go, pilot/pkg/xds/debug.go): GET /debug/syncz from every running istiod
 * replica (`app=istiod`, every revision) on its monitoring port (pod annotation prometheus.io/port,
 * default 15014) through a pod transport (port-forward by default; `--istiod-url` goes direct), with
 * bounded concurrency and a timeout per replica. Parses the HTTP form (array of SyncStatus with nonces
 * and `resources[typeUrl]`) and the xDS form (ClientConfig with genericXdsConfigs) into the
 * `istioSyncz` control-plane fact; statuses are computed by checks (src/mesh/istio/syncz.ts).
 */
import type {IstiodReplicaSync, IstioSyncz, ProxySync, SynczFailure, XdsTypeState} from '../../core/control-plane.js';
import type {Pod} from '../../core/kube-types/index.js';
import type {FactEntry} from '../../snapshot/snapshot.js';
import {istiodRevision} from '../../mesh/istio/detect.js';
import {XDS_TYPES} from '../../mesh/istio/syncz.js';
import {mapLimit} from '../concurrency.js';
import type {PodHttpClient} from '../kube/port-forward.js';
import {PortForwardError} from '../kube/port-forward.js';

export const DEFAULT_MONITORING_PORT = 15014;
export const SYNCZ_PATH = '/debug/syncz';

type Json = Record<string, unknown>;

const FLAT_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['cluster', XDS_TYPES.CDS], ['listener', XDS_TYPES.LDS], ['route', XDS_TYPES.RDS], ['endpoint', XDS_TYPES.EDS], ['extensionconfig', XDS_TYPES.ECDS],
];

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clean(state: Record<string, string | undefined>): XdsTypeState {
  return Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)) as XdsTypeState;
}

/** One SyncStatus of the HTTP form. */
function fromSyncStatus(s: Json): ProxySync | undefined {
  const proxy = str(s.proxy);
  if (!proxy) return undefined;
  const types: Record<string, XdsTypeState> = {};
  if (isObject(s.resources)) {
    for (const [typeUrl, r] of Object.entries(s.resources)) {
      if (!isObject(r)) continue;
      types[typeUrl] = clean({sent: str(r.sent), acked: str(r.acked), sentTime: str(r.sentTime), lastError: str(r.lastError)});
    }
  }
  for (const [prefix, typeUrl] of FLAT_TYPES) {
    if (types[typeUrl]) continue;
    const sent = str(s[`${prefix}_sent`]);
    const acked = str(s[`${prefix}_acked`]);
    // Absent flat fields mean the type is not subscribed (older istiod omits ECDS entirely).
    if (!(`${prefix}_sent` in s) && !(`${prefix}_acked` in s)) continue;
    types[typeUrl] = clean({sent, acked});
  }
  return {
    proxy,
    ...(str(s.proxy_type) ? {proxyType: str(s.proxy_type)} : {}),
    ...(str(s.istio_version) ? {istioVersion: str(s.istio_version)} : {}),
    ...(str(s.cluster_id) ? {clusterId: str(s.cluster_id)} : {}),
    types,
  };
}

/** One ClientConfig of the xDS form. */
function fromClientConfig(c: Json): ProxySync | undefined {
  const node = isObject(c.node) ? c.node : {};
  const proxy = str(node.id);
  if (!proxy) return undefined;
  const meta = isObject(node.metadata) ? node.metadata : {};
  const types: Record<string, XdsTypeState> = {};
  for (const g of Array.isArray(c.genericXdsConfigs) ? c.genericXdsConfigs : []) {
    if (!isObject(g) || !str(g.typeUrl)) continue;
    const err = isObject(g.errorState) ? g.errorState : {};
    types[g.typeUrl as string] = clean({configStatus: str(g.configStatus), lastUpdated: str(g.lastUpdated), lastError: str(err.details)});
  }
  // Node ids of sidecars look like `sidecar~10.0.0.1~cart-1.shop~shop.svc.cluster.local`; syncz uses `<pod>.<ns>`.
  const id = proxy.includes('~') ? proxy.split('~')[2] ?? proxy : proxy;
  return {
    proxy: id,
    ...(proxy.includes('~') ? {proxyType: proxy.split('~')[0]} : {}),
    ...(str(meta.ISTIO_VERSION) ? {istioVersion: str(meta.ISTIO_VERSION)} : {}),
    ...(str(meta.CLUSTER_ID) ? {clusterId: str(meta.CLUSTER_ID)} : {}),
    types,
  };
}

export class SynczParseError extends Error {}

/**
 * Parse what istiod answered: the HTTP form (array of SyncStatus), or the xDS form (a
 * DiscoveryResponse with ClientConfig resources, a list of them, or a map of istiod id → response).
 */
export function parseSyncz(body: unknown): {proxies: ProxySync[]; form: 'http' | 'xds'} {
  if (body === null) return {proxies: [], form: 'http'};
  if (Array.isArray(body) && body.every((e) => isObject(e) && ('proxy' in e || 'proxy_type' in e))) {
    return {proxies: body.map((e) => fromSyncStatus(e as Json)).filter((p): p is ProxySync => p !== undefined), form: 'http'};
  }
  const responses: Json[] = Array.isArray(body) ? body.filter(isObject) : isObject(body) && Array.isArray(body.resources) ? [body] : isObject(body) ? Object.values(body).filter(isObject) : [];
  const configs = responses.flatMap((r) => (Array.isArray(r.resources) ? r.resources.filter(isObject) : []));
  if (responses.length === 0 || (configs.length === 0 && !responses.some((r) => Array.isArray(r.resources)))) {
    throw new SynczParseError('not a syncz response (expected an array of sync statuses or ClientConfig resources)');
  }
  return {proxies: configs.map(fromClientConfig).filter((p): p is ProxySync => p !== undefined), form: 'xds'};
}

export function monitoringPort(pod: Pod): number {
  const n = Number(pod.metadata.annotations?.['prometheus.io/port']);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : DEFAULT_MONITORING_PORT;
}

function failureFor(status: number): {failure: SynczFailure; reason: string} {
  if (status === 401) return {failure: 'unauthorized', reason: 'HTTP 401: the debug endpoint requires authentication'};
  if (status === 403) return {failure: 'forbidden', reason: 'HTTP 403: debug endpoint auth refused the request'};
  if (status === 404) return {failure: 'disabled', reason: 'HTTP 404: debug endpoints are off (ENABLE_DEBUG_ON_HTTP=false)'};
  return {failure: 'error', reason: `HTTP ${status}`};
}

export type SynczTarget = Readonly<{namespace: string; pod: string; port: number; revision?: string}>;

/** Read and parse one replica; never throws. */
export async function readReplica(client: PodHttpClient, target: SynczTarget, timeoutMs: number, now: () => Date = () => new Date()): Promise<IstiodReplicaSync> {
  const base = {pod: target.pod, namespace: target.namespace, port: target.port, ...(target.revision ? {revision: target.revision} : {})};
  try {
    const res = await client.get({namespace: target.namespace, pod: target.pod, port: target.port}, SYNCZ_PATH, timeoutMs, 'istiod');
    if (res.status !== 200) return {...base, state: 'error', ...failureFor(res.status), status: res.status, proxies: [], fetchedAt: now().toISOString()};
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      return {...base, state: 'error', failure: 'malformed', reason: `the answer is not JSON (${res.body.length} bytes)`, status: 200, proxies: [], fetchedAt: now().toISOString()};
    }
    const {proxies, form} = parseSyncz(json);
    return {...base, state: 'ok', status: 200, form, proxies, fetchedAt: now().toISOString()};
  } catch (error) {
    if (error instanceof SynczParseError) return {...base, state: 'error', failure: 'malformed', reason: error.message, status: 200, proxies: [], fetchedAt: now().toISOString()};
    const pf = error instanceof PortForwardError ? error : undefined;
    const failure: SynczFailure = pf?.failure === 'refused' ? 'refused' : pf?.failure === 'timeout' ? 'timeout' : pf?.failure === 'forbidden' ? 'forbidden' : pf?.failure === 'unauthorized' ? 'unauthorized' : 'error';
    return {...base, state: 'error', failure, reason: (error as Error).message, ...(pf?.status ? {status: pf.status} : {}), proxies: [], fetchedAt: now().toISOString()};
  }
}

/** Running istiod pods of every revision, in any namespace. */
export function istiodTargets(pods: readonly Pod[]): SynczTarget[] {
  return pods
    .filter((p) => p.metadata.labels?.app === 'istiod' && p.status?.phase === 'Running')
    .map((p) => ({namespace: p.metadata.namespace ?? 'istio-system', pod: p.metadata.name, port: monitoringPort(p), revision: istiodRevision(p.metadata.labels)}));
}

export type SynczCollectOptions = Readonly<{
  client: PodHttpClient;
  targets: readonly SynczTarget[];
  timeoutMs: number;
  concurrency?: number;
  direct?: boolean;
  now?: () => Date;
}>;

/** The istioSyncz fact: ok when every replica answered, partial otherwise, unavailable when there is no replica to ask. */
export async function collectIstioSyncz(opts: SynczCollectOptions): Promise<FactEntry<'istioSyncz'>> {
  if (opts.targets.length === 0) return {state: {state: 'unavailable', reason: 'no running istiod pod (label app=istiod) to read /debug/syncz from'}};
  const replicas = await mapLimit(opts.targets, opts.concurrency ?? 4, (t) => readReplica(opts.client, t, opts.timeoutMs, opts.now));
  const ok = replicas.filter((r) => r.state === 'ok').length;
  const value: IstioSyncz = {replicas, ...(opts.direct ? {direct: true} : {})};
  if (ok === replicas.length) return {state: {state: 'ok'}, value};
  const reasons = replicas.filter((r) => r.state !== 'ok').map((r) => `${r.pod}: ${r.reason}`).join('; ');
  // Partial even when no replica answered: MD1101 reports each failure, the other checks see no proxies.
  return {state: {state: 'partial', reason: ok === 0 ? `no istiod replica answered /debug/syncz (${reasons})` : reasons}, value};
}
