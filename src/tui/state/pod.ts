/**
 * The pod drill-down, pure: what the engine should read for the pods on screen (`podWatches`: a
 * pod's logs and its proxy's own view while its view is open; the callers' Envoys of a workload's
 * failing edges while the workload is open), the reducer's handling of what it read, and the pod
 * view's lines — its containers, the application's and the proxy's logs (search with `/`, follow),
 * and the proxy's view: for Envoy the upstream it was opened for first (its clusters, endpoints with
 * health and outlier ejection, the routes that lead there with weights, its stats), then every
 * cluster and listener; for Linkerd the proxy's metrics by peer and a bounded tap-style sample
 * from its access log — or, said plainly, why there is none.
 */
import type {EdgeMetrics} from '../../core/golden.js';
import {edgeMetrics} from '../../core/golden.js';
import type {Pod} from '../../core/kube-types/index.js';
import type {MeshName} from '../../core/types.js';
import type {EnvoyHost} from '../../mesh/envoy/admin.js';
import {proxyMeshes} from '../../mesh/markers.js';
import {appContainer, proxyContainerName} from '../../runbooks/finding-context.js';
import type {Snapshot} from '../../snapshot/snapshot.js';
import {lastValue} from './memo.js';
import type {Action, LogBuffer, PodData, PodEntry, PodTab, TuiState} from './types.js';

/** Lines of a container's log kept in memory. */
export const LOG_LINES = 2000;
/** Lines of a Linkerd proxy's access log shown as the tap-style sample. */
export const TAP_SAMPLE_LINES = 20;

export function podKey(namespace: string, pod: string): string {
  return `${namespace}/${pod}`;
}

export type PodWatch = Readonly<{
  namespace: string;
  pod: string;
  mesh?: MeshName;
  /** Containers whose logs to follow. */
  logs: readonly string[];
  /** Read the proxy's own view (Envoy admin / Linkerd metrics). */
  proxy: boolean;
  /** Upstream FQDNs whose Envoy stats to read. */
  hosts: readonly string[];
}>;

function podOf(snapshot: Snapshot | undefined, namespace: string, name: string): Pod | undefined {
  return snapshot?.objects.get('pods', namespace, name) as Pod | undefined;
}

function runningPodOf(snapshot: Snapshot | undefined, namespace: string, workload: string): Pod | undefined {
  const pods = (snapshot?.objects.list('pods', namespace) ?? []).filter((p) => snapshot!.workloads.ownerOf(p).name === workload) as Pod[];
  return pods.filter((p) => p.status?.phase === 'Running').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
}

function failing(e: EdgeMetrics): boolean {
  return (e.successRate !== null && e.successRate < 0.99) || Object.entries(e.responseFlags ?? {}).some(([f, v]) => f !== '-' && v > 0);
}

export function serviceHost(namespace: string, service: string, clusterDomain = 'cluster.local'): string {
  return `${service}.${namespace}.svc.${clusterDomain}`;
}

/** Failing edges into or out of a workload, with the pod whose Envoy shows the caller's side. */
export function callerSides(state: TuiState, namespace: string, workload: string): {edge: EdgeMetrics; caller: Pod; host?: string}[] {
  const d = state.data;
  if (!d.signals || !d.snapshot) return [];
  const services = new Set(d.inventory.find((w) => w.namespace === namespace && w.workload === workload)?.services ?? []);
  const out: {edge: EdgeMetrics; caller: Pod; host?: string}[] = [];
  for (const e of edgeMetrics(d.signals)) {
    if (!failing(e)) continue;
    const into = e.dstNamespace === namespace && (e.dstWorkload === workload || (!e.dstWorkload && e.dstService !== undefined && services.has(`${e.dstNamespace}/${e.dstService}`)));
    const from = e.srcNamespace === namespace && e.srcWorkload === workload;
    if (!into && !from) continue;
    const caller = runningPodOf(d.snapshot, e.srcNamespace, e.srcWorkload);
    if (!caller) continue;
    out.push({edge: e, caller, ...(e.dstService ? {host: serviceHost(e.dstNamespace, e.dstService, state.config.options.clusterDomain)} : {})});
  }
  return out;
}

/** What the engine should read now (a pure function of the view on screen). */
export function podWatches(state: TuiState): PodWatch[] {
  const top = state.stack[state.stack.length - 1];
  const snapshot = state.data.snapshot;
  if (top.view === 'pod') {
    const pod = podOf(snapshot, top.namespace, top.pod);
    const mesh = pod ? proxyMeshes(pod)[0] : undefined;
    const containers = pod ? [appContainer(pod)?.name, proxyContainerName(pod)].filter((c): c is string => c !== undefined) : [];
    const hosts = new Set<string>(top.focusHost ? [top.focusHost] : []);
    return [{namespace: top.namespace, pod: top.pod, ...(mesh ? {mesh} : {}), logs: containers, proxy: mesh !== undefined, hosts: [...hosts]}];
  }
  if (top.view === 'workload') {
    const byPod = new Map<string, {pod: Pod; hosts: Set<string>}>();
    for (const s of callerSides(state, top.namespace, top.workload)) {
      const key = podKey(s.caller.metadata.namespace ?? '', s.caller.metadata.name);
      const entry = byPod.get(key) ?? {pod: s.caller, hosts: new Set<string>()};
      if (s.host) entry.hosts.add(s.host);
      byPod.set(key, entry);
    }
    return [...byPod.values()].filter((x) => proxyMeshes(x.pod).length > 0).map((x) => ({namespace: x.pod.metadata.namespace ?? '', pod: x.pod.metadata.name, mesh: proxyMeshes(x.pod)[0], logs: [], proxy: true, hosts: [...x.hosts]}));
  }
  return [];
}

/** A stable text of the watches (the app re-tells the engine only when it changes). */
export function watchesKey(watches: readonly PodWatch[]): string {
  return JSON.stringify(watches);
}

// ---- reducer ------------------------------------------------------------------------------------

const EMPTY: PodData = {logs: {}};

function withPod(state: TuiState, key: string, patch: (p: PodData) => PodData): TuiState {
  const pods = {...state.data.pods, [key]: patch(state.data.pods[key] ?? EMPTY)};
  return {...state, data: {...state.data, pods}};
}

/** The pod data actions; undefined for any other action. */
export function reducePodData(state: TuiState, action: Action): TuiState | undefined {
  switch (action.type) {
    case 'pod-log':
      return withPod(state, action.key, (p) => {
        const prev: LogBuffer = p.logs[action.container] ?? {lines: [], following: true};
        const lines = action.reset ? [...action.lines] : [...prev.lines, ...action.lines];
        return {...p, logs: {...p.logs, [action.container]: {...prev, lines: lines.length > LOG_LINES ? lines.slice(lines.length - LOG_LINES) : lines}}};
      });
    case 'pod-log-state':
      return withPod(state, action.key, (p) => {
        const prev: LogBuffer = p.logs[action.container] ?? {lines: [], following: false};
        const {error: _old, ...rest} = prev;
        return {...p, logs: {...p.logs, [action.container]: {...rest, following: action.following, ...(action.error ? {error: action.error} : {})}}};
      });
    case 'pod-proxy':
      return withPod(state, action.key, (p) => {
        const {proxyError: _old, ...rest} = p;
        return {...rest, proxyAt: action.at, ...(action.envoy ? {envoy: action.envoy} : {}), ...(action.linkerd ? {linkerd: action.linkerd} : {}), ...(action.error ? {proxyError: action.error} : {})};
      });
    default:
      return undefined;
  }
}

// ---- the view's lines -------------------------------------------------------------------------------

export type PodLine = Readonly<{text: string; tone?: 'dim' | 'warn' | 'error' | 'ok' | 'accent'; bold?: boolean; match?: boolean}>;

export type PodDetail = Readonly<{
  pod?: Pod;
  mesh?: MeshName;
  containers: readonly PodLine[];
  /** The current tab's lines. */
  lines: readonly PodLine[];
  /** For the logs tabs: the container shown and its buffer. */
  container?: string;
  following?: boolean;
}>;

function containerLines(pod: Pod): PodLine[] {
  return (pod.status?.containerStatuses ?? []).map((c) => {
    const state = c.state?.running ? 'running' : c.state?.waiting ? `waiting: ${c.state.waiting.reason ?? ''}`.trim() : c.state?.terminated ? `terminated: ${c.state.terminated.reason ?? ''}`.trim() : 'unknown';
    const bad = !c.ready || (c.restartCount ?? 0) > 0;
    return {text: `${c.ready ? '✔' : '✖'} ${c.name}  ${state}  restarts ${c.restartCount ?? 0}  ${c.image ?? ''}`, tone: bad ? (c.ready ? 'warn' : 'error') : 'ok'};
  });
}

function matches(line: string, search: string): boolean {
  if (!search) return false;
  try {
    return new RegExp(search, 'i').test(line);
  } catch {
    return line.toLowerCase().includes(search.toLowerCase());
  }
}

function logLines(buffer: LogBuffer | undefined, search: string, container: string): PodLine[] {
  if (!buffer) return [{text: `reading the log of ${container}…`, tone: 'dim'}];
  const lines: PodLine[] = buffer.lines.map((l) => ({text: l, ...(matches(l, search) ? {match: true} : {})}));
  if (buffer.error) lines.push({text: `log: ${buffer.error}`, tone: 'error'});
  if (lines.length === 0) lines.push({text: 'the log is empty', tone: 'dim'});
  return lines;
}

function hostLine(h: EnvoyHost): PodLine {
  const ejected = h.health.outlier;
  const unhealthy = h.health.eds !== 'HEALTHY';
  const s = (k: string) => h.stats[k] ?? 0;
  return {
    text: `  ${`${h.address}:${h.port}`.padEnd(22)} ${h.health.eds.padEnd(9)} ${ejected ? 'EJECTED (outlier detection)' : 'outlier ok'}   requests ${s('rq_total')}  errors ${s('rq_error')}  connect failures ${s('cx_connect_fail')}`,
    ...(ejected || unhealthy ? {tone: 'error' as const, bold: true} : {}),
  };
}

function envoyLines(data: PodData | undefined, focusHost: string | undefined): PodLine[] {
  const view = data?.envoy;
  const out: PodLine[] = [];
  if (!view) {
    out.push(data?.proxyError ? {text: `the Envoy admin endpoint could not be read: ${data.proxyError}`, tone: 'error'} : {text: 'reading the Envoy admin endpoint (GET only, through a port-forward)…', tone: 'dim'});
    return out;
  }
  for (const e of view.errors) out.push({text: `${e.part}: ${e.reason}`, tone: 'error'});
  const clusters = view.clusters ?? [];
  const hosts = view.endpoints ?? [];
  const routes = view.routes ?? [];
  if (focusHost) {
    out.push({text: `Upstream ${focusHost}`, bold: true});
    const mine = clusters.filter((c) => c.parts.fqdn === focusHost);
    if (mine.length === 0) out.push({text: '  this proxy has no cluster for it (no Service, or a Sidecar resource hides it)', tone: 'error'});
    for (const c of mine) {
      const eps = hosts.filter((h) => h.cluster === c.name);
      const healthy = eps.filter((h) => h.health.eds === 'HEALTHY' && !h.health.outlier).length;
      const od = c.outlier ? `outlier detection: ${c.outlier.consecutiveGatewayFailure !== undefined ? `${c.outlier.consecutiveGatewayFailure} consecutive gateway errors` : `${c.outlier.consecutive5xx ?? '?'} consecutive 5xx`}, ejection ${c.outlier.baseEjectionTime ?? '30s'}` : 'no outlier detection';
      const panic = c.panicThreshold === undefined ? 50 : c.panicThreshold;
      out.push({text: `  cluster ${c.name}${c.destinationRule ? `  (DestinationRule ${c.destinationRule})` : ''}`, tone: 'accent'});
      out.push({text: `  ${healthy} of ${eps.length} endpoint(s) healthy · ${od} · ${panic === 0 ? 'panic mode off' : `below ${panic}% healthy Envoy routes to all endpoints anyway (panic)`}`, ...(healthy === 0 ? {tone: 'error' as const, bold: true} : {})});
      if (eps.length === 0) out.push({text: '  no endpoint: requests fail with UH (no healthy upstream)', tone: 'error'});
      for (const h of eps) out.push(hostLine(h));
      if (healthy === 0 && eps.length > 0) out.push({text: panic > 0 ? '  no healthy endpoint: in panic mode Envoy still sends to the ejected ones — the failures keep coming from them' : '  no healthy endpoint: requests fail with UH (no healthy upstream)', tone: 'warn'});
    }
    const leading = routes.filter((r) => r.clusters.some((c) => c.name.endsWith(`|${focusHost}`)));
    for (const r of leading) {
      out.push({text: `  route ${r.routeConfig} ${r.virtualHost} ${r.match}${r.virtualService ? ` (VirtualService ${r.virtualService})` : ''}${r.name ? ` "${r.name}"` : ''}`});
      out.push({text: `    ${r.clusters.map((c) => `${Math.round(c.weight * 10) / 10}% ${c.name.split('|')[3] ?? c.name}${c.name.split('|')[2] ? ` (${c.name.split('|')[2]})` : ''}`).join(', ')}${r.retries !== undefined ? ` · ${r.retries} retries` : ''}`});
    }
    const stats = [...(view.stats ?? new Map<string, number>())].filter(([k]) => k.includes(`|${focusHost}.`));
    if (stats.length) out.push({text: '  stats', bold: true});
    for (const [k, v] of stats) {
      const name = k.slice(k.indexOf(`|${focusHost}.`) + focusHost.length + 2);
      const bad = /connect_fail|retry_limit_exceeded|ejections_active|healthy_panic|_5xx|_503/.test(name) && v > 0;
      out.push({text: `    ${name.padEnd(48)} ${v}`, ...(bad ? {tone: 'warn' as const} : {})});
    }
    out.push({text: ''});
  }
  const outbound = clusters.filter((c) => c.parts.direction === 'outbound' && c.parts.fqdn !== focusHost);
  out.push({text: `Clusters (${outbound.length} outbound)`, bold: true});
  for (const c of outbound) {
    const eps = hosts.filter((h) => h.cluster === c.name);
    const healthy = eps.filter((h) => h.health.eds === 'HEALTHY' && !h.health.outlier).length;
    out.push({text: `  ${c.name.padEnd(64)} ${healthy}/${eps.length} healthy${c.destinationRule ? `  DR ${c.destinationRule}` : ''}`, ...(eps.length > 0 && healthy < eps.length ? {tone: 'error' as const} : eps.length === 0 ? {tone: 'dim' as const} : {})});
  }
  const listeners = view.listeners ?? [];
  if (listeners.length) out.push({text: `Listeners (${listeners.length})`, bold: true});
  for (const l of listeners) out.push({text: `  ${`${l.address}:${l.port}`.padEnd(24)} ${l.type.padEnd(8)} ${l.destination}`});
  return out;
}

function linkerdLines(data: PodData | undefined, pod: Pod, snapshot: Snapshot | undefined, proxyLog: LogBuffer | undefined): PodLine[] {
  const out: PodLine[] = [];
  const view = data?.linkerd;
  if (!view) out.push(data?.proxyError ? {text: `the proxy's metrics could not be read: ${data.proxyError}`, tone: 'error'} : {text: 'reading the proxy\'s metrics (admin port 4191, GET /metrics)…', tone: 'dim'});
  else {
    out.push({text: `Proxy metrics${view.version ? ` (linkerd-proxy ${view.version})` : ''}${view.windowSeconds ? ` · rates over ${Math.round(view.windowSeconds)}s` : ' · rates after the next read'}`, bold: true});
    for (const f of view.flows) {
      const rate = view.rates?.find((r) => r.direction === f.direction && r.peer === f.peer);
      const failures = Object.entries(f.failures).filter(([, v]) => v > 0).map(([k, v]) => `${k} ×${v}`).join(', ');
      const bad = rate?.success !== undefined && rate.success !== null && rate.success < 0.99;
      out.push({text: `  ${f.direction === 'inbound' ? '←' : '→'} ${f.peer.padEnd(40)} ${rate ? `${rate.rps.toFixed(1)} rps  ${rate.success === null ? '-' : `${(rate.success * 100).toFixed(2)}%`}` : ''}  total ${f.requests}${failures ? `  failures: ${failures}` : ''}`, ...(bad ? {tone: 'error' as const} : {})});
    }
  }
  out.push({text: ''});
  out.push({text: 'Live requests (tap-style sample)', bold: true});
  const format = pod.metadata.annotations?.['config.linkerd.io/access-log'];
  const viz = snapshot?.meshes.find((m) => m.name === 'linkerd')?.extensions?.viz !== undefined;
  if (format === 'apache' || format === 'json') {
    const lines = (proxyLog?.lines ?? []).filter((l) => (format === 'json' ? l.startsWith('{') : /^\S+:\d+ \S+ - \[/.test(l))).slice(-TAP_SAMPLE_LINES);
    out.push({text: `  the last ${lines.length} requests from the proxy's access log (config.linkerd.io/access-log: ${format}); live \`linkerd viz tap\` needs a POST to the tap API, which meshdoctor never sends`, tone: 'dim'});
    for (const l of lines) out.push({text: `  ${l}`});
  } else {
    out.push({text: `  Not available: live tap (\`linkerd viz tap\`) needs a POST to the viz tap API${viz ? '' : ' (and viz is not installed here)'}, and meshdoctor only sends GETs;`, tone: 'warn'});
    out.push({text: '  this proxy writes no access log (annotation config.linkerd.io/access-log is not set), so there is no request sample to show.', tone: 'warn'});
    out.push({text: `  Run \`linkerd viz tap po/${pod.metadata.name} -n ${pod.metadata.namespace}\` yourself.`, tone: 'dim'});
  }
  return out;
}

const detailMemo = lastValue<PodDetail>();

export function podDetail(state: TuiState, entry: PodEntry): PodDetail {
  const data = state.data.pods[podKey(entry.namespace, entry.pod)];
  return detailMemo([state.data.snapshot, data, entry.tab, entry.search, entry.focusHost, entry.namespace, entry.pod], () => buildPodDetail(state, entry, data));
}

function buildPodDetail(state: TuiState, entry: PodEntry, data: PodData | undefined): PodDetail {
  const pod = podOf(state.data.snapshot, entry.namespace, entry.pod);
  if (!pod) return {containers: [], lines: [{text: state.data.snapshot ? `pod ${entry.namespace}/${entry.pod} is gone` : 'waiting for the cluster', tone: 'dim'}]};
  const mesh = proxyMeshes(pod)[0];
  const containers = containerLines(pod);
  const app = appContainer(pod)?.name;
  const proxy = proxyContainerName(pod);
  if (entry.tab === 'logs' || entry.tab === 'proxy-logs') {
    const container = entry.tab === 'logs' ? app : proxy;
    if (!container) return {pod, ...(mesh ? {mesh} : {}), containers, lines: [{text: entry.tab === 'logs' ? 'this pod runs no application container' : 'this pod has no mesh proxy', tone: 'dim'}]};
    const buffer = data?.logs[container];
    return {pod, ...(mesh ? {mesh} : {}), containers, container, following: buffer?.following ?? false, lines: logLines(buffer, entry.search, container)};
  }
  if (!mesh) return {pod, containers, lines: [{text: 'this pod has no mesh proxy', tone: 'dim'}]};
  const lines = mesh === 'linkerd' ? linkerdLines(data, pod, state.data.snapshot, proxy ? data?.logs[proxy] : undefined) : envoyLines(data, entry.focusHost);
  return {pod, mesh, containers, lines};
}

/** Index of the next (or previous) matching line from `from`, wrapping; -1 when none. */
export function nextMatch(lines: readonly PodLine[], from: number, direction: 1 | -1): number {
  const n = lines.length;
  for (let i = 1; i <= n; i++) {
    const at = (((from + direction * i) % n) + n) % n;
    if (lines[at].match) return at;
  }
  return -1;
}

export function tabAfter(tab: PodTab): PodTab {
  return tab === 'logs' ? 'proxy-logs' : tab === 'proxy-logs' ? 'proxy' : 'logs';
}
